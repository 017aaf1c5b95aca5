import { z } from 'zod';

/** A stored message or phase output retrieved as relevant to this turn. */
export const Prior = z.object({
  id: z.string().min(1),
  /** The fused relevance score the prior was ranked by (higher is better). */
  score: z.number(),
  /** Component scores, when the retrieval mode computed them. */
  scores: z
    .object({
      vector: z.number().optional(),
      keyword: z.number().optional(),
      fused: z.number().optional(),
    })
    .default({}),
  content: z.string(),
  thread_id: z.string().nullable().optional(),
  role: z.string().nullable().optional(),
  phase: z.string().nullable().optional(),
  created_at: z.string().optional(),
});
export type Prior = z.infer<typeof Prior>;

/** The Yield answer's reference to a prior by id. */
export const Citation = z.object({
  prior_id: z.string().min(1),
  /** The words of the answer that rest on the prior, when known. */
  quote: z.string().optional(),
});
export type Citation = z.infer<typeof Citation>;

/** How the Understanding phase judged the priors. */
export const PriorJudgement = z.object({
  kept: z.array(z.string()),
  pruned: z.array(z.string()),
  should_yield: z.boolean(),
  reason: z.string().optional(),
});
export type PriorJudgement = z.infer<typeof PriorJudgement>;
