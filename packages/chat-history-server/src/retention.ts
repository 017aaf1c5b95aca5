/**
 * Retention policies: which old events of a conversation to delete. Retention always removes
 * the oldest events (a prefix of the log), so what stays is a contiguous recent history, and
 * the newest `preserveRecent` events are never removed, whatever the policy says.
 */

export const RETENTION_POLICIES = ['token_limit', 'message_count', 'time_based', 'unlimited'] as const;
export type RetentionPolicyName = (typeof RETENTION_POLICIES)[number];

export interface RetentionPolicy {
  policy: RetentionPolicyName;
  /** token_limit: tokens (sum of event token_count) kept per conversation. */
  maxTokens: number;
  /** message_count: events kept per conversation. */
  maxMessages: number;
  /** time_based: events younger than this many days are kept. */
  maxAgeDays: number;
  /** The newest events no policy removes. */
  preserveRecent: number;
}

/**
 * The server is the durable log of every conversation and `choir` resumes conversations from it,
 * so nothing is deleted unless the user chooses a policy; each policy's own limit defaults to
 * the original design's value (8000 tokens, 100 messages, 30 days).
 */
export const DEFAULT_RETENTION: RetentionPolicy = {
  policy: 'unlimited',
  maxTokens: 8000,
  maxMessages: 100,
  maxAgeDays: 30,
  preserveRecent: 10,
};

export interface RetainableEvent {
  seq: number;
  type: string;
  tokenCount: number;
  /** Epoch milliseconds of the event's timestamp. */
  time: number;
  /** On a tool_result: seq of the event that issued its call, or null. */
  callSeq: number | null;
}

export interface RetentionPlan {
  /** Delete every event with seq <= this; null when nothing goes. */
  deleteThroughSeq: number | null;
  eventsToDelete: number;
  tokensToFree: number;
}

const DAY_MS = 86_400_000;

/** How many of the newest events the policy itself keeps (before preserveRecent and pairing). */
function keptByPolicy(policy: RetentionPolicy, newestFirst: readonly RetainableEvent[], now: number): number {
  const n = newestFirst.length;
  switch (policy.policy) {
    case 'unlimited':
      return n;
    case 'message_count':
      return Math.min(n, policy.maxMessages);
    case 'token_limit': {
      let total = 0;
      let kept = 0;
      for (const event of newestFirst) {
        total += event.tokenCount;
        if (total > policy.maxTokens) break;
        kept++;
      }
      return kept;
    }
    case 'time_based': {
      // Only the run of old events at the start of the log goes: an old timestamp sitting among
      // newer ones (an import, a clock that jumped) is kept rather than punching a hole.
      const cutoff = now - policy.maxAgeDays * DAY_MS;
      let oldRun = 0;
      for (let i = n - 1; i >= 0 && newestFirst[i]!.time < cutoff; i--) oldRun++;
      return n - oldRun;
    }
  }
}

/**
 * Plans what to delete from one conversation.
 * @param newestFirst every stored event of the conversation, newest first
 */
export function planRetention(
  policy: RetentionPolicy,
  newestFirst: readonly RetainableEvent[],
  now: number,
): RetentionPlan {
  const n = newestFirst.length;
  const floor = Math.min(n, policy.preserveRecent);
  let kept = Math.max(floor, keptByPolicy(policy, newestFirst, now));
  // A result whose call is being deleted would be an orphan no context can show: it goes too,
  // unless it is one of the preserved events.
  const newestDeletedSeq = kept < n ? newestFirst[kept]!.seq : null;
  while (kept > floor && newestDeletedSeq !== null) {
    const oldestKept = newestFirst[kept - 1]!;
    if (
      oldestKept.type !== 'tool_result' ||
      oldestKept.callSeq === null ||
      oldestKept.callSeq > newestDeletedSeq
    )
      break;
    kept--;
  }
  if (kept >= n) return { deleteThroughSeq: null, eventsToDelete: 0, tokensToFree: 0 };
  let tokens = 0;
  for (let i = kept; i < n; i++) tokens += newestFirst[i]!.tokenCount;
  return { deleteThroughSeq: newestFirst[kept]!.seq, eventsToDelete: n - kept, tokensToFree: tokens };
}
