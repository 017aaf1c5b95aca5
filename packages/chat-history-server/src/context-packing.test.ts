import { describe, expect, it } from 'vitest';
import {
  ContextPacker,
  FRAMING_TOKENS_PER_EVENT as F,
  type PackableEvent,
  packContext,
  type Tokenizer,
  truncateToFit,
  truncationMarker,
} from './context-packing.js';

/** One token per whitespace-separated word: exact numbers a reader can check by hand. */
const words: Tokenizer = {
  count: (text) => text.split(/\s+/).filter(Boolean).length,
  truncate: (text, max) => text.split(/\s+/).filter(Boolean).slice(0, max).join(' '),
};

let nextSeq = 1;
function ev(type: string, tokens: number, extra: Partial<PackableEvent> = {}): PackableEvent {
  const seq = extra.seq ?? nextSeq++;
  return {
    seq,
    type,
    content: Array.from({ length: tokens }, (_, i) => `w${i}`).join(' '),
    tokenCount: tokens,
    callSeq: null,
    ...extra,
  };
}

/** Builds a chronological log with seqs 1..n and returns it newest first, as the store reads it. */
function log(...events: Omit<PackableEvent, 'seq'>[]): PackableEvent[] {
  return events.map((e, i) => ({ ...e, seq: i + 1 })).reverse();
}
const msg = (type: string, tokens: number, callSeq: number | null = null): Omit<PackableEvent, 'seq'> => {
  const { seq: _s, ...rest } = ev(type, tokens, { callSeq, seq: 0 });
  return rest;
};
const seqs = (r: { events: { event: PackableEvent }[] }) => r.events.map((e) => e.event.seq);

describe('packContext', () => {
  it('keeps the newest events that fit, in chronological order, and reports what it used', () => {
    // cost per event = tokens + 4 framing
    const newestFirst = log(
      msg('user_message', 10), // 1: 14
      msg('assistant_message', 20), // 2: 24
      msg('user_message', 6), // 3: 10  (pinned)
      msg('assistant_message', 16), // 4: 20
    );
    const r = packContext(newestFirst, 60, words);
    // pinned 10, then seq 4 (20) → 30, seq 2 (24) → 54, seq 1 (14) would make 68 > 60: stop.
    expect(seqs(r)).toEqual([2, 3, 4]);
    expect(r.tokensUsed).toBe(54);
    expect(r.dropped).toBe(1);
    expect(r.full).toBe(true);
  });

  it('stops at the first event that does not fit instead of skipping it for older ones', () => {
    const newestFirst = log(msg('user_message', 1), msg('assistant_message', 100), msg('user_message', 2));
    const r = packContext(newestFirst, 50, words);
    expect(seqs(r)).toEqual([3]);
    expect(r.tokensUsed).toBe(2 + F);
    expect(r.full).toBe(true);
  });

  it('reports full=false when the log ran out before the budget', () => {
    const r = packContext(log(msg('user_message', 3), msg('assistant_message', 5)), 100, words);
    expect(seqs(r)).toEqual([1, 2]);
    expect(r.tokensUsed).toBe(3 + 5 + 2 * F);
    expect(r.full).toBe(false);
    expect(r.dropped).toBe(0);
  });

  it('never merges identical user messages', () => {
    const same = { type: 'user_message', content: 'hello there', tokenCount: 2, callSeq: null };
    const r = packContext(log(same, msg('assistant_message', 1), same), 100, words);
    expect(seqs(r)).toEqual([1, 2, 3]);
    expect(r.events.filter((e) => e.content === 'hello there')).toHaveLength(2);
  });

  it('keeps a tool call together with its results and what lies between them', () => {
    const newestFirst = log(
      msg('user_message', 5), // 1
      msg('tool_call', 6), // 2
      msg('tool_result', 7, 2), // 3
      msg('tool_result', 8, 2), // 4
      msg('assistant_message', 3), // 5
    );
    const r = packContext(newestFirst, 200, words);
    expect(seqs(r)).toEqual([1, 2, 3, 4, 5]);
    expect(r.tokensUsed).toBe(5 + 6 + 7 + 8 + 3 + 5 * F);
  });

  it('drops a call and its results together when the pair does not fit, and stops there', () => {
    const newestFirst = log(
      msg('assistant_message', 2), // 1
      msg('tool_call', 30), // 2
      msg('tool_result', 30, 2), // 3
      msg('user_message', 4), // 4 pinned
      msg('assistant_message', 5), // 5
    );
    // budget 60: pinned 8, seq 5 → 17; result 34 → 51 still ≤ 60 but the call (34) makes 85.
    const r = packContext(newestFirst, 60, words);
    expect(seqs(r)).toEqual([4, 5]);
    expect(r.tokensUsed).toBe(17);
    expect(r.dropped).toBe(2);
    expect(r.events.some((e) => e.event.type === 'tool_result' || e.event.type === 'tool_call')).toBe(false);
  });

  it('drops a result whose call is not stored, and keeps packing older events', () => {
    const newestFirst = log(
      msg('assistant_message', 2), // 1
      msg('tool_result', 3, null), // 2 orphan (call pruned)
      msg('user_message', 4), // 3
    );
    const r = packContext(newestFirst, 100, words);
    expect(seqs(r)).toEqual([1, 3]);
    expect(r.dropped).toBe(1);
    expect(r.full).toBe(false);
  });

  it('handles results of two calls interleaved, closing the span only at the older call', () => {
    const newestFirst = log(
      msg('tool_call', 5), // 1 call a
      msg('tool_call', 5), // 2 call b
      msg('tool_result', 5, 1), // 3 result a
      msg('tool_result', 5, 2), // 4 result b
      msg('user_message', 5), // 5
    );
    const exact = 5 * (5 + F);
    expect(seqs(packContext(newestFirst, exact, words))).toEqual([1, 2, 3, 4, 5]);
    // One token short: the span 1..4 cannot close inside the budget, so none of it is shown.
    const short = packContext(newestFirst, exact - 1, words);
    expect(seqs(short)).toEqual([5]);
    expect(short.dropped).toBe(4);
  });

  it('treats a result that claims a later call as an orphan', () => {
    const r = packContext(log(msg('user_message', 1), msg('tool_result', 1, 5)), 100, words);
    expect(seqs(r)).toEqual([1]);
    expect(r.dropped).toBe(1);
  });

  it('pins the newest user message even when newer events fill the budget', () => {
    const newestFirst = log(
      msg('user_message', 10), // 1 older user message
      msg('user_message', 10), // 2 newest user message
      msg('assistant_message', 60), // 3
    );
    // budget 80: pinned costs 14, leaving 66; seq 3 costs 64 → fits; seq 1 (14) does not.
    const r = packContext(newestFirst, 80, words);
    expect(seqs(r)).toEqual([2, 3]);
    expect(r.tokensUsed).toBe(78);
    const big = packContext(log(msg('user_message', 10), msg('assistant_message', 200)), 40, words);
    expect(seqs(big)).toEqual([1]);
    expect(big.tokensUsed).toBe(14);
  });

  it('truncates a newest user message that alone exceeds the budget, with a visible marker', () => {
    const r = packContext(log(msg('assistant_message', 3), msg('user_message', 100)), 40, words);
    expect(seqs(r)).toEqual([2]);
    const [only] = r.events;
    // marker "[…truncated N tokens]" is 3 words; budget 40 - 4 framing - 3 marker = 33 words kept.
    expect(only!.content).toBe(`${ev('x', 33, { seq: 0 }).content}\n${truncationMarker(67)}`);
    expect(only!.truncatedTokens).toBe(67);
    expect(only!.cost).toBe(40);
    expect(r.tokensUsed).toBe(40);
    expect(r.full).toBe(true);
  });

  it('drops held results whose call is never offered (filtered out), then packs on', () => {
    // seq 2 (the call) is not in the stream, as when a type filter leaves it out.
    const newestFirst = log(
      msg('user_message', 1),
      msg('tool_call', 1),
      msg('tool_result', 1, 2),
      msg('user_message', 1),
    ).filter((e) => e.seq !== 2);
    const r = packContext(newestFirst, 100, words);
    expect(seqs(r)).toEqual([1, 4]);
    expect(r.dropped).toBe(1);
    // The log may also end while a result still waits for its call.
    const cut = packContext(newestFirst.slice(0, 2), 100, words);
    expect(seqs(cut)).toEqual([4]);
    expect(cut.dropped).toBe(1);
    expect(cut.full).toBe(false);
  });

  it('returns an empty window for an empty log', () => {
    const r = packContext([], 100, words);
    expect(r).toEqual({ events: [], tokensUsed: 0, dropped: 0, full: false });
  });
});

describe('ContextPacker', () => {
  it('asks for no more events once full, so the reader can stop early', () => {
    const pinned = ev('user_message', 2, { seq: 100 });
    const packer = new ContextPacker(40, words, pinned);
    expect(packer.offer(pinned)).toBe(true);
    expect(packer.offer(ev('assistant_message', 20, { seq: 99 }))).toBe(true);
    expect(packer.offer(ev('assistant_message', 20, { seq: 98 }))).toBe(false);
    expect(packer.offer(ev('assistant_message', 1, { seq: 97 }))).toBe(false);
    expect(packer.finish().events.map((e) => e.event.seq)).toEqual([99, 100]);
  });

  it('refuses events out of order and budgets too small to hold a marker', () => {
    const packer = new ContextPacker(100, words, null);
    packer.offer(ev('meta', 1, { seq: 5 }));
    expect(() => packer.offer(ev('meta', 1, { seq: 6 }))).toThrow(/newest first/);
    expect(() => new ContextPacker(10, words, null)).toThrow(/at least 32/);
  });
});

describe('truncateToFit', () => {
  it('returns the text untouched when it fits', () => {
    expect(truncateToFit('a b c', 3, 7, words)).toEqual({ content: 'a b c', cost: 7, truncatedTokens: 0 });
  });

  it('steps back when joining prefix and marker costs more than counted apart', () => {
    // A tokenizer where the join costs one extra token: the first attempt overflows by one.
    let calls = 0;
    const sticky: Tokenizer = {
      count: (t) => words.count(t) + (/\S\n\[/.test(t) ? 1 : 0),
      truncate: (t, n) => {
        calls++;
        return words.truncate(t, n);
      },
    };
    const text = ev('x', 50, { seq: 0 }).content;
    const r = truncateToFit(text, 50, 20, sticky);
    expect(r.cost).toBeLessThanOrEqual(20);
    expect(r.content.endsWith(truncationMarker(r.truncatedTokens))).toBe(true);
    expect(calls).toBe(2);
  });
});
