import { countTokens } from '@choir/llm';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAMING_TOKENS_PER_EVENT } from '../src/context-packing.js';
import { assistant, type Harness, harness, user } from './setup.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Ctx = {
  events: { seq: number; type: string; role: string; content: string; truncated_tokens?: number }[];
  tokens_used: number;
  omitted_events: number;
  budget: number;
  exists: boolean;
};
const cost = (text: string) => countTokens(text) + FRAMING_TOKENS_PER_EVENT;

describe('history_context', () => {
  it('returns the newest events that fit, chronologically, with what it used and left out', async () => {
    h = await harness();
    const turns = Array.from({ length: 30 }, (_, i) => [
      user(`question number ${i}`),
      assistant(`answer number ${i} `.repeat(5)),
    ]);
    await h.call('history_append', { conversation_id: 'c', events: turns.flat() });
    const r = await h.call<Ctx>('history_context', {
      conversation_id: 'c',
      max_tokens: 200,
      reserve_tokens: 50,
    });
    expect(r.isError).toBe(false);
    const { events } = r.data;
    expect(r.data.budget).toBe(150);
    expect(events.at(-1)).toMatchObject({ seq: 60, type: 'assistant_message' });
    expect(events.map((e) => e.seq)).toEqual(
      Array.from({ length: events.length }, (_, i) => 61 - events.length + i),
    );
    const used = events.reduce((n, e) => n + cost(e.content), 0);
    expect(r.data.tokens_used).toBe(used);
    expect(used).toBeLessThanOrEqual(150);
    // The next older event would not have fitted.
    const older = events[0]!.seq - 1;
    const olderText =
      older % 2 === 1 ? `question number ${(older - 1) / 2}` : `answer number ${older / 2 - 1} `.repeat(5);
    expect(used + cost(olderText)).toBeGreaterThan(150);
    expect(r.data.omitted_events).toBe(60 - events.length);
  });

  it('uses the defaults 4000 / 500 from the contract', async () => {
    h = await harness();
    await h.call('history_append', { conversation_id: 'c', events: [user('hello')] });
    const r = await h.call<Ctx>('history_context', { conversation_id: 'c' });
    expect(r.data).toMatchObject({
      budget: 3500,
      tokens_used: cost('hello'),
      omitted_events: 0,
      exists: true,
    });
    expect(r.data.events).toMatchObject([{ seq: 1, type: 'user_message', role: 'user', content: 'hello' }]);
  });

  it('always includes the newest user message, truncated with a visible marker when it alone is too big', async () => {
    h = await harness();
    const huge = 'lorem ipsum dolor sit amet '.repeat(400);
    await h.call('history_append', {
      conversation_id: 'c',
      events: [user('earlier'), assistant('reply'), user(huge)],
    });
    const r = await h.call<Ctx>('history_context', {
      conversation_id: 'c',
      max_tokens: 300,
      reserve_tokens: 0,
    });
    expect(r.data.events).toHaveLength(1);
    const [only] = r.data.events;
    expect(only!.seq).toBe(3);
    expect(only!.content).toMatch(/\n\[…truncated \d+ tokens\]$/);
    expect(only!.truncated_tokens).toBeGreaterThan(countTokens(huge) - 300);
    expect(huge.startsWith(only!.content.split('\n[…truncated')[0]!)).toBe(true);
    expect(r.data.tokens_used).toBeLessThanOrEqual(300);
    expect(r.data.tokens_used).toBe(cost(only!.content));
    expect(r.text).toMatch(/was truncated to fit/);
  });

  it('keeps the newest user message even when newer events fill the budget', async () => {
    h = await harness();
    await h.call('history_append', {
      conversation_id: 'c',
      events: [
        user('the question'),
        assistant('x '.repeat(500)),
        { type: 'phase_output', content: 'ignored by default' },
      ],
    });
    const r = await h.call<Ctx>('history_context', {
      conversation_id: 'c',
      max_tokens: 100,
      reserve_tokens: 0,
    });
    expect(r.data.events.map((e) => e.content)).toEqual(['the question']);
    expect(r.data.omitted_events).toBe(2);
  });

  it('keeps a tool call and its result together or leaves both out', async () => {
    h = await harness();
    const call = { type: 'tool_call', tool_calls: [{ id: 'c1', name: 'search', arguments: { q: 'oslo' } }] };
    const result = { type: 'tool_result', tool_call_id: 'c1', content: 'rain '.repeat(40) };
    await h.call('history_append', {
      conversation_id: 'c',
      events: [user('old'), call, result, assistant('It rains in Oslo.'), user('thanks')],
    });
    const roomy = await h.call<Ctx>('history_context', {
      conversation_id: 'c',
      max_tokens: 1000,
      reserve_tokens: 0,
    });
    expect(roomy.data.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    // Room for the result but not for the call with it: neither appears, and packing stops there.
    const resultCost = cost(result.content);
    const tight = resultCost + cost('It rains in Oslo.') + cost('thanks') + 2;
    const r = await h.call<Ctx>('history_context', {
      conversation_id: 'c',
      max_tokens: tight,
      reserve_tokens: 0,
    });
    expect(r.data.events.map((e) => e.type)).toEqual(['assistant_message', 'user_message']);
  });

  it('does not merge identical user messages', async () => {
    h = await harness();
    await h.call('history_append', {
      conversation_id: 'c',
      events: [user('again?'), assistant('yes'), user('again?')],
    });
    const r = await h.call<Ctx>('history_context', { conversation_id: 'c' });
    expect(r.data.events.map((e) => e.content)).toEqual(['again?', 'yes', 'again?']);
  });

  it('includes other types on request', async () => {
    h = await harness();
    await h.call('history_append', {
      conversation_id: 'c',
      events: [
        user('q'),
        { type: 'phase_output', content: 'intent: q' },
        { type: 'meta', content: 'cycle 1' },
      ],
    });
    const r = await h.call<Ctx>('history_context', {
      conversation_id: 'c',
      types: ['user_message', 'phase_output'],
    });
    expect(r.data.events.map((e) => e.type)).toEqual(['user_message', 'phase_output']);
    expect(r.data.omitted_events).toBe(1);
  });

  it('gives an empty window for a conversation with no events yet', async () => {
    h = await harness();
    const r = await h.call<Ctx>('history_context', { conversation_id: 'new-one' });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      conversation_id: 'new-one',
      events: [],
      tokens_used: 0,
      omitted_events: 0,
      budget: 3500,
      exists: false,
    });
  });

  it('rejects a budget that leaves no room', async () => {
    h = await harness();
    const r = await h.call('history_context', { conversation_id: 'c', max_tokens: 600, reserve_tokens: 580 });
    expect(r).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
    expect(r.text).toMatch(/max_tokens - reserve_tokens is 20/);
  });

  it('walks as many pages as the budget needs on a long conversation', async () => {
    h = await harness();
    const events = Array.from({ length: 900 }, (_, i) => (i % 2 ? assistant(`a${i}`) : user(`u${i}`)));
    await h.call('history_append', { conversation_id: 'c', events });
    const r = await h.call<Ctx>('history_context', {
      conversation_id: 'c',
      max_tokens: 100_000,
      reserve_tokens: 0,
    });
    expect(r.data.events).toHaveLength(900);
    expect(r.data.omitted_events).toBe(0);
  });
});
