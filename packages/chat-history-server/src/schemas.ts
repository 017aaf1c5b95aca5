/** Output shapes several tools share. */
import { z } from 'zod';
import type { ConversationRecord } from './store.js';

export const ConversationSummary = z.object({
  conversation_id: z.string(),
  title: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  /** Events stored now (after retention). */
  event_count: z.number().int(),
  /** Sum of stored events' token_count. */
  token_total: z.number().int(),
  /** The seq the next appended event will get. */
  next_seq: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  last_activity_at: z.string(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export function toSummary(c: ConversationRecord): ConversationSummary {
  return {
    conversation_id: c.id,
    title: c.title,
    metadata: c.metadata,
    event_count: c.event_count,
    token_total: c.token_total,
    next_seq: c.next_seq,
    created_at: c.created_at,
    updated_at: c.updated_at,
    last_activity_at: c.last_activity_at,
  };
}

/** "seqs 4–6", "seq 4", "no seqs" for people. */
export function describeSeqs(seqs: readonly number[]): string {
  if (seqs.length === 0) return 'no seqs';
  if (seqs.length === 1) return `seq ${seqs[0]}`;
  return `seqs ${seqs[0]}–${seqs.at(-1)}`;
}
