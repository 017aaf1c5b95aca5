/** Experience: the priors relevant to this turn from everything stored, and how new the turn is. */
import { Prior } from '@choir/contracts';
import { z } from 'zod';
import type { ExperienceOutput, PhaseContext, PhaseResult } from '../types.js';
import { PhaseFailure } from '../types.js';

export interface ExperienceInput {
  message: string;
  topK?: number;
}

export const DEFAULT_TOP_K = 5;

const SearchResult = z.object({
  priors: z.array(Prior),
  max_similarity: z.number(),
  novelty: z.number(),
  mode: z.string(),
});

export async function runExperience(
  input: ExperienceInput,
  ctx: PhaseContext,
): Promise<PhaseResult<ExperienceOutput>> {
  const result = await ctx.call('experience_search', {
    query: input.message,
    top_k: input.topK ?? DEFAULT_TOP_K,
  });
  if (!result.ok) throw PhaseFailure.from(result.error, 'experience_search');
  const parsed = SearchResult.safeParse(result.data);
  if (!parsed.success) {
    throw new PhaseFailure(
      'BAD_OUTPUT',
      `experience_search returned an unexpected shape: ${parsed.error.message}`,
    );
  }
  const output = parsed.data;
  const text =
    output.priors.length === 0
      ? `no priors (novelty ${output.novelty.toFixed(2)})`
      : `${output.priors.length} prior${output.priors.length === 1 ? '' : 's'}, best ${output.priors[0]!.score.toFixed(3)}; novelty ${output.novelty.toFixed(2)}`;
  return { output, text };
}
