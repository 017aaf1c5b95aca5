/** experience_record: store a message or phase output, with its novelty and novelty reward. */
import { createHash } from 'node:crypto';
import { PhaseName } from '@choir/contracts';
import { defineTool, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import type { ExperienceContext } from '../context.js';
import { formatExperienceId, parseExperienceId } from '../ids.js';
import { MAX_TAGS, normaliseTags } from '../keywords.js';
import { isNearDuplicate, normaliseForDuplicate, noveltyOf, noveltyReward } from '../novelty.js';
import { NOVELTY_NEIGHBOURS } from '../retrieval.js';
import { roundScore } from '../similarity.js';
import {
  assertSpaceCurrent,
  ExperienceId,
  LinkType,
  MAX_CONTENT_CHARS,
  MAX_METADATA_BYTES,
  nowIso,
  resolveIds,
  ThreadId,
} from './common.js';

export const RecordInput = z.object({
  content: z
    .string()
    .max(MAX_CONTENT_CHARS)
    .refine((s) => s.trim().length > 0, 'content must not be empty')
    .describe('The message or phase output to remember.'),
  role: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'role must be a lowercase word such as user, assistant, system or tool')
    .describe('Who said it: user, assistant, system, tool, …'),
  phase: PhaseName.optional().describe('The PostChain phase that produced it, if any.'),
  thread_id: ThreadId.optional(),
  author: z.string().min(1).max(200).optional().describe('Who earns its rewards (a user or persona id).'),
  metadata: z.record(z.string(), z.unknown()).optional().describe('Free-form JSON object, at most 8 KB.'),
  tags: z.array(z.string().min(1).max(64)).max(MAX_TAGS).optional(),
  links: z
    .array(z.object({ target_id: ExperienceId, type: LinkType, weight: z.number().min(0).max(1) }))
    .max(50)
    .optional()
    .describe('Links from this experience to stored ones.'),
});

export const RecordOutput = z.object({
  id: z.string(),
  duplicate: z.boolean().describe('True when an identical message was already stored: its id is returned.'),
  max_similarity: z.number(),
  novelty: z.number(),
  novelty_reward: z.number(),
  /** The most similar stored experience, if any. */
  nearest_id: z.string().nullable(),
  created_at: z.string(),
});

export function contentKey(content: string): string {
  return createHash('sha256').update(normaliseForDuplicate(content)).digest('hex');
}

export const recordTool = (context: ExperienceContext) =>
  defineTool({
    name: 'experience_record',
    title: 'Remember a message',
    description:
      'Stores a message or phase output in long-term memory and reports how new it is: max_similarity to ' +
      'everything stored, novelty = 1 - max_similarity, and the novelty reward (0 above similarity 0.95, ' +
      'rising tenfold per 0.2375 of similarity lost, capped at 100). The same text repeated in the same ' +
      'thread is not stored twice: the existing id comes back with duplicate: true.',
    input: RecordInput,
    output: RecordOutput,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args, ctx) {
      const { store } = context;
      if (args.metadata && Buffer.byteLength(JSON.stringify(args.metadata)) > MAX_METADATA_BYTES) {
        throw new ToolError('INVALID_INPUT', `metadata is larger than ${MAX_METADATA_BYTES} bytes as JSON`);
      }
      const linkTargets = (args.links ?? []).map((l) => l.target_id);
      // Checked before anything is written (the vector space, the embedding cache), and again
      // inside the transaction in case another call deleted a target meanwhile.
      await resolveIds(store, store.db, linkTargets, 'link target');
      const embedder = context.requireEmbedder();
      const space = await context.requireSpace(ctx.signal);
      const embedding = await embedder.embedOne(args.content, { signal: ctx.signal });
      const key = contentKey(args.content);
      const threadId = args.thread_id ?? null;
      const createdAt = nowIso(context.now);

      const outcome = await store.transaction(async (trx) => {
        await assertSpaceCurrent(store, trx, space);
        await resolveIds(store, trx, linkTargets, 'link target');
        const repeat = (await store.sameTextInThread(trx, space, key, threadId, embedding)).find((s) =>
          isNearDuplicate(true, s.similarity),
        );
        if (repeat) {
          const [existing] = await store.getExperiences(trx, [repeat.seq]);
          return {
            seq: repeat.seq,
            duplicate: true,
            maxSimilarity: repeat.similarity,
            nearest: repeat.seq,
            createdAt: existing!.created_at,
          };
        }
        const nearest = await store.nearest(trx, space, embedding, NOVELTY_NEIGHBOURS);
        const maxSimilarity = roundScore(Math.max(0, nearest[0]?.similarity ?? 0));
        const reward = noveltyReward(maxSimilarity);
        const seq = await store.insertExperience(trx, {
          content: args.content,
          contentKey: key,
          role: args.role,
          phase: args.phase ?? null,
          threadId,
          author: args.author ?? null,
          metadata: args.metadata ?? null,
          tags: normaliseTags(args.tags ?? []),
          maxSimilarity,
          novelty: roundScore(noveltyOf(maxSimilarity)),
          noveltyReward: reward,
          createdAt,
        });
        await store.insertVector(trx, space, seq, embedding);
        await store.upsertLinks(
          trx,
          (args.links ?? []).map((link) => ({
            source: seq,
            target: parseExperienceId(link.target_id)!,
            type: link.type,
            weight: link.weight,
            origin: 'caller' as const,
            createdAt,
          })),
        );
        if (reward > 0) {
          await store.insertReward(trx, {
            experienceSeq: seq,
            kind: 'novelty',
            amount: reward,
            author: args.author ?? null,
            threadId,
            sourceSeq: null,
            createdAt,
          });
        }
        return { seq, duplicate: false, maxSimilarity, nearest: nearest[0]?.seq ?? null, createdAt };
      });

      const maxSimilarity = roundScore(Math.min(1, Math.max(0, outcome.maxSimilarity)));
      const data = {
        id: formatExperienceId(outcome.seq),
        duplicate: outcome.duplicate,
        max_similarity: maxSimilarity,
        novelty: roundScore(noveltyOf(maxSimilarity)),
        novelty_reward: outcome.duplicate ? 0 : noveltyReward(maxSimilarity),
        nearest_id: outcome.nearest === null ? null : formatExperienceId(outcome.nearest),
        created_at: outcome.createdAt,
      };
      const text = outcome.duplicate
        ? `Already stored as ${data.id} (same text in the same thread); nothing new was written.`
        : `Stored ${data.id}: max similarity ${data.max_similarity.toFixed(3)}, novelty ${data.novelty.toFixed(3)}, ` +
          `novelty reward ${data.novelty_reward}.`;
      return { text, data };
    },
  });
