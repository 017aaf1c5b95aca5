/** Schemas and helpers the experience tools share. */
import { Prior } from '@choir/contracts';
import { ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { LINK_TYPES } from '../db.js';
import { formatExperienceId, parseExperienceId } from '../ids.js';
import type { Db, ExperienceStore } from '../store.js';
import type { VectorSpace } from '../vector-space.js';

/** Longest message the server stores: a long answer fits, a pasted book does not. */
export const MAX_CONTENT_CHARS = 32_000;
/** Longest search query. */
export const MAX_QUERY_CHARS = 8_000;
/** Largest metadata object, as JSON. */
export const MAX_METADATA_BYTES = 8_192;

export const ExperienceId = z
  .string()
  .min(1)
  .max(40)
  .describe('An experience id as returned by experience_record, e.g. "exp_12".');

export const ThreadId = z.string().min(1).max(200).describe('A conversation or thread id.');

export const LinkType = z.enum(LINK_TYPES);

export const LinkOut = z.object({
  target_id: z.string(),
  type: LinkType,
  weight: z.number().min(0).max(1),
});

/** A prior as @choir/contracts defines it, plus what a person browsing memory wants to see. */
export const PriorOut = Prior.extend({
  author: z.string().nullable(),
  tags: z.array(z.string()),
  /** True when `content` is a shortened preview; experience_get returns the whole text. */
  truncated: z.boolean(),
});
export type PriorOut = z.infer<typeof PriorOut>;

export const ExperienceOut = z.object({
  id: z.string(),
  content: z.string(),
  role: z.string(),
  phase: z.string().nullable(),
  thread_id: z.string().nullable(),
  author: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  tags: z.array(z.string()),
  max_similarity: z.number(),
  novelty: z.number(),
  novelty_reward: z.number(),
  created_at: z.string(),
});

/**
 * Seqs behind ids, in the order given and deduplicated; NOT_FOUND naming every id that is not
 * a stored experience (checked against `exec`, so inside a transaction it is consistent).
 */
export async function resolveIds(
  store: ExperienceStore,
  exec: Db,
  ids: readonly string[],
  what = 'experience',
): Promise<number[]> {
  const seqs: number[] = [];
  const malformed: string[] = [];
  for (const id of ids) {
    const seq = parseExperienceId(id);
    if (seq === null) malformed.push(id);
    else if (!seqs.includes(seq)) seqs.push(seq);
  }
  const found = await store.existingSeqs(exec, seqs);
  const missing = [...malformed, ...seqs.filter((s) => !found.has(s)).map(formatExperienceId)];
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).map((id) => JSON.stringify(id));
    throw new ToolError(
      'NOT_FOUND',
      `no ${what} has the id ${shown.join(', ')}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''}`,
      'Ids look like "exp_12"; experience_search or experience_stats show what is stored.',
    );
  }
  return seqs;
}

export async function resolveId(
  store: ExperienceStore,
  exec: Db,
  id: string,
  what?: string,
): Promise<number> {
  const [seq] = await resolveIds(store, exec, [id], what);
  return seq!;
}

/** Refuses to write when a reindex in another process switched the vector table meanwhile. */
export async function assertSpaceCurrent(
  store: ExperienceStore,
  exec: Db,
  space: VectorSpace,
): Promise<void> {
  const current = await store.readVectorSpace(exec);
  if (current?.generation !== space.generation) {
    throw new ToolError(
      'CONFLICT',
      'the memory was reindexed while this call ran; nothing was written',
      'Call again.',
    );
  }
}

export function nowIso(now: () => Date): string {
  return now().toISOString();
}
