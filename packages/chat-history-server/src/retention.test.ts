import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, planRetention, type RetainableEvent, type RetentionPolicy } from './retention.js';

const NOW = Date.parse('2025-06-30T00:00:00Z');
const DAY = 86_400_000;

/** Chronological events with seqs starting at `first`, returned newest first. */
function log(
  events: { tokens?: number; ageDays?: number; type?: string; callSeq?: number | null }[],
  first = 1,
): RetainableEvent[] {
  return events
    .map((e, i) => ({
      seq: first + i,
      type: e.type ?? 'user_message',
      tokenCount: e.tokens ?? 10,
      time: NOW - (e.ageDays ?? 0) * DAY,
      callSeq: e.callSeq ?? null,
    }))
    .reverse();
}
const policy = (p: Partial<RetentionPolicy>): RetentionPolicy => ({
  ...DEFAULT_RETENTION,
  preserveRecent: 0,
  ...p,
});
const many = (n: number, e: { tokens?: number; ageDays?: number } = {}) => Array.from({ length: n }, () => e);

describe('planRetention', () => {
  it('unlimited deletes nothing', () => {
    expect(planRetention(policy({ policy: 'unlimited' }), log(many(500)), NOW)).toEqual({
      deleteThroughSeq: null,
      eventsToDelete: 0,
      tokensToFree: 0,
    });
  });

  it('token_limit keeps the newest events whose tokens sum to at most maxTokens', () => {
    // 10 events of 30 tokens, limit 100: the newest 3 (90 tokens) stay, seqs 1..7 go.
    const plan = planRetention(
      policy({ policy: 'token_limit', maxTokens: 100 }),
      log(many(10, { tokens: 30 })),
      NOW,
    );
    expect(plan).toEqual({ deleteThroughSeq: 7, eventsToDelete: 7, tokensToFree: 210 });
  });

  it('token_limit keeps everything when the total fits exactly', () => {
    const plan = planRetention(
      policy({ policy: 'token_limit', maxTokens: 100 }),
      log(many(4, { tokens: 25 })),
      NOW,
    );
    expect(plan.deleteThroughSeq).toBeNull();
  });

  it('message_count keeps the newest maxMessages events', () => {
    const plan = planRetention(
      policy({ policy: 'message_count', maxMessages: 100 }),
      log(many(130), 11),
      NOW,
    );
    // seqs 11..140; the newest 100 are 41..140.
    expect(plan).toEqual({ deleteThroughSeq: 40, eventsToDelete: 30, tokensToFree: 300 });
  });

  it('time_based deletes the leading run of events older than maxAgeDays', () => {
    const events = log([{ ageDays: 40 }, { ageDays: 35 }, { ageDays: 31 }, { ageDays: 29 }, { ageDays: 0 }]);
    const plan = planRetention(policy({ policy: 'time_based', maxAgeDays: 30 }), events, NOW);
    expect(plan).toEqual({ deleteThroughSeq: 3, eventsToDelete: 3, tokensToFree: 30 });
  });

  it('time_based keeps an old timestamp that sits after a recent one rather than punching a hole', () => {
    const events = log([{ ageDays: 40 }, { ageDays: 1 }, { ageDays: 90 }, { ageDays: 0 }]);
    const plan = planRetention(policy({ policy: 'time_based', maxAgeDays: 30 }), events, NOW);
    expect(plan.deleteThroughSeq).toBe(1);
  });

  it('preserveRecent overrides every policy', () => {
    const events = log(many(20, { tokens: 1000 }));
    const plan = planRetention(
      policy({ policy: 'token_limit', maxTokens: 100, preserveRecent: 5 }),
      events,
      NOW,
    );
    expect(plan).toEqual({ deleteThroughSeq: 15, eventsToDelete: 15, tokensToFree: 15_000 });
    const all = planRetention(
      policy({ policy: 'message_count', maxMessages: 1, preserveRecent: 50 }),
      events,
      NOW,
    );
    expect(all.deleteThroughSeq).toBeNull();
  });

  it('deletes a result together with its call instead of leaving it orphaned', () => {
    // seq 1 user, 2 tool_call, 3 tool_result (of 2), 4 tool_result (of 2), 5 assistant.
    const events = log([
      { tokens: 10 },
      { tokens: 10, type: 'tool_call' },
      { tokens: 10, type: 'tool_result', callSeq: 2 },
      { tokens: 10, type: 'tool_result', callSeq: 2 },
      { tokens: 10, type: 'assistant_message' },
    ]);
    // The limit alone would keep seqs 3..5 (30 tokens); both results go with their call.
    const plan = planRetention(policy({ policy: 'token_limit', maxTokens: 30 }), events, NOW);
    expect(plan).toEqual({ deleteThroughSeq: 4, eventsToDelete: 4, tokensToFree: 40 });
    // …but never into the preserved events.
    const kept = planRetention(
      policy({ policy: 'token_limit', maxTokens: 30, preserveRecent: 2 }),
      events,
      NOW,
    );
    expect(kept.deleteThroughSeq).toBe(3);
  });

  it('plans nothing for an empty conversation', () => {
    expect(planRetention(DEFAULT_RETENTION, [], NOW).deleteThroughSeq).toBeNull();
  });
});
