/** experience_observe: the Observation phase — tags for a turn and typed links to its priors. */
import { defineTool, type ToolContext, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import type { ExperienceContext } from '../context.js';
import type { LinkType as LinkTypeName } from '../db.js';
import { formatExperienceId } from '../ids.js';
import { DEFAULT_KEYWORD_TAGS, extractKeywords, MAX_TAGS, normaliseTags } from '../keywords.js';
import { previewOf } from '../preview.js';
import { roundScore } from '../similarity.js';
import type { ExperienceRecord } from '../store.js';
import {
  ExperienceId,
  LinkOut,
  LinkType,
  MAX_CONTENT_CHARS,
  nowIso,
  resolveId,
  resolveIds,
  ThreadId,
} from './common.js';

/** Most tags an observation adds. */
export const MAX_OBSERVED_TAGS = 8;
/** How much of the message and of each prior the model sees. */
const MESSAGE_CHARS = 4000;
const PRIOR_CHARS = 500;

export const ObserveInput = z.object({
  content: z
    .string()
    .max(MAX_CONTENT_CHARS)
    .refine((s) => s.trim().length > 0, 'content must not be empty')
    .optional()
    .describe('Text to observe when it is not stored (nothing is persisted then).'),
  experience_id: ExperienceId.optional().describe(
    'A stored experience to observe: its tags and links are saved.',
  ),
  prior_ids: z.array(ExperienceId).max(50).default([]).describe('Stored experiences to link to.'),
  thread_id: ThreadId.optional().describe(
    'The turn’s thread; accepted for the host’s convenience, not used to filter.',
  ),
  use_model: z
    .boolean()
    .default(true)
    .describe(
      'false takes the no-model path (keyword tags, similarity links) even when a model is available.',
    ),
});

export const ObserveOutput = z.object({
  tags: z.array(z.string()),
  links: z.array(LinkOut),
  generated: z
    .boolean()
    .describe('True when a model chose the tags and links; false for keywords and similarity.'),
  model: z.string().optional(),
  persisted: z.boolean().describe('True when tags and links were saved on experience_id.'),
  /** Link targets the model named that are not among prior_ids; they are ignored. */
  dropped_links: z.array(z.string()),
});

/** What the model must answer. */
export const ModelObservation = z.object({
  tags: z.array(z.string()).max(20),
  links: z
    .array(
      z.object({
        target_id: z.string(),
        type: LinkType,
        weight: z.number().min(0).max(1),
      }),
    )
    .max(100),
});

const SYSTEM_PROMPT = `You observe one message of a conversation for a long-term memory.
1. Give 1-${MAX_OBSERVED_TAGS} short topical tags (lowercase, one or two words each).
2. For each earlier message listed, say how the message relates to it:
   "supports" (agrees with or confirms it), "contradicts" (disagrees with or corrects it),
   "elaborates" (adds detail to it) or "relates" (same topic, none of the above),
   with a weight from 0 to 1 for how strong the relation is. Leave out earlier messages that are unrelated.
Answer with JSON only: {"tags": ["..."], "links": [{"target_id": "exp_1", "type": "relates", "weight": 0.5}]}`;

export function observationPrompt(content: string, priors: ExperienceRecord[]): string {
  const message = previewOf(content, MESSAGE_CHARS).text;
  const earlier = priors.length
    ? priors
        .map((p) => `[${formatExperienceId(p.seq)}] (${p.role}) ${previewOf(p.content, PRIOR_CHARS).text}`)
        .join('\n')
    : '(none)';
  return `Message:\n${message}\n\nEarlier messages:\n${earlier}`;
}

interface Observation {
  tags: string[];
  links: { target: number; type: LinkTypeName; weight: number }[];
  dropped: string[];
  generated: boolean;
  model?: string;
}

export const observeTool = (context: ExperienceContext) =>
  defineTool({
    name: 'experience_observe',
    title: 'Observe a turn',
    description:
      'The Observation phase: tags a message and links it to given priors with typed, weighted links ' +
      '(relates / supports / contradicts / elaborates). With a model (MCP sampling or a configured provider) ' +
      'the model decides (generated: true); without one, tags are the most frequent content words and every ' +
      'prior gets a "relates" link weighted by cosine similarity (generated: false). Pass experience_id to ' +
      'save the tags and links on a stored experience; pass content to observe text without storing anything.',
    input: ObserveInput,
    output: ObserveOutput,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async handler(args, ctx) {
      const { store } = context;
      if ((args.content === undefined) === (args.experience_id === undefined)) {
        throw new ToolError('INVALID_INPUT', 'give exactly one of content or experience_id');
      }
      const subjectSeq =
        args.experience_id === undefined ? null : await resolveId(store, store.db, args.experience_id);
      const priorSeqs = await resolveIds(store, store.db, args.prior_ids, 'prior');
      if (subjectSeq !== null && priorSeqs.includes(subjectSeq)) {
        throw new ToolError('INVALID_INPUT', `${args.experience_id} cannot be linked to itself`);
      }
      const subject = subjectSeq === null ? null : (await store.getExperiences(store.db, [subjectSeq]))[0]!;
      const content = subject?.content ?? args.content!;
      const priors = await store.getExperiences(store.db, priorSeqs);

      const observation =
        args.use_model && ctx.modelAvailable
          ? await observeWithModel(content, priors, ctx)
          : await observeWithoutModel(context, content, subjectSeq, priorSeqs, ctx.signal);

      let persisted = false;
      if (subject) {
        const createdAt = nowIso(context.now);
        await store.transaction(async (trx) => {
          // The subject may have been deleted since it was read; a write would then fail on its key.
          await resolveIds(store, trx, [args.experience_id!, ...args.prior_ids]);
          await store.upsertLinks(
            trx,
            observation.links.map((l) => ({
              source: subject.seq,
              target: l.target,
              type: l.type,
              weight: l.weight,
              origin: observation.generated ? ('model' as const) : ('similarity' as const),
              createdAt,
            })),
          );
          const [current] = await store.getExperiences(trx, [subject.seq]);
          await store.updateTags(
            trx,
            subject.seq,
            normaliseTags([...current!.tags, ...observation.tags], MAX_TAGS),
          );
        });
        persisted = true;
      }

      const links = observation.links.map((l) => ({
        target_id: formatExperienceId(l.target),
        type: l.type,
        weight: l.weight,
      }));
      const how = observation.generated
        ? `by ${observation.model}`
        : 'without a model (keywords and similarity)';
      const text =
        `Observed ${how}: tags ${observation.tags.join(', ') || '(none)'}; ` +
        `${links.length} link${links.length === 1 ? '' : 's'}` +
        (links.length ? ` (${links.map((l) => `${l.type} ${l.target_id} ${l.weight}`).join(', ')})` : '') +
        (persisted ? `; saved on ${args.experience_id}.` : '; nothing saved.');
      return {
        text,
        data: {
          tags: observation.tags,
          links,
          generated: observation.generated,
          ...(observation.model ? { model: observation.model } : {}),
          persisted,
          dropped_links: observation.dropped,
        },
      };
    },
  });

async function observeWithModel(
  content: string,
  priors: ExperienceRecord[],
  ctx: ToolContext,
): Promise<Observation> {
  const result = await ctx.generate({
    system: SYSTEM_PROMPT,
    messages: [{ role: 'user', content: observationPrompt(content, priors) }],
    purpose: 'observe',
    temperature: 0,
    maxTokens: 800,
    schema: ModelObservation,
  });
  const bySeq = new Map(priors.map((p) => [formatExperienceId(p.seq), p.seq]));
  const links: Observation['links'] = [];
  const dropped: string[] = [];
  for (const link of result.data.links) {
    const target = bySeq.get(link.target_id.replace(/^\[|\]$/g, ''));
    if (target === undefined) {
      dropped.push(link.target_id);
      continue;
    }
    if (links.some((l) => l.target === target && l.type === link.type)) continue;
    links.push({ target, type: link.type, weight: roundScore(link.weight, 4) });
  }
  return {
    tags: normaliseTags(result.data.tags, MAX_OBSERVED_TAGS),
    links,
    dropped,
    generated: true,
    model: result.model,
  };
}

async function observeWithoutModel(
  context: ExperienceContext,
  content: string,
  subjectSeq: number | null,
  priorSeqs: number[],
  signal: AbortSignal,
): Promise<Observation> {
  const tags = normaliseTags(extractKeywords(content, DEFAULT_KEYWORD_TAGS), MAX_OBSERVED_TAGS);
  if (priorSeqs.length === 0) return { tags, links: [], dropped: [], generated: false };
  const { store } = context;
  // Priors exist, so the vector space does: a mismatched embedder is refused here (CONFLICT).
  const space = await context.currentSpace(signal);
  if (!space)
    throw new ToolError('CONFLICT', 'the stored experiences have no vectors yet', 'Run experience_reindex.');
  const vector =
    (subjectSeq === null ? null : await store.vectorOf(store.db, space, subjectSeq)) ??
    (await context.requireEmbedder().embedOne(content, { signal }));
  const similarity = await store.similarities(store.db, space, vector, priorSeqs);
  const links = priorSeqs.map((target) => ({
    target,
    type: 'relates' as const,
    weight: roundScore(Math.min(1, Math.max(0, similarity.get(target) ?? 0)), 4),
  }));
  return { tags, links, dropped: [], generated: false };
}
