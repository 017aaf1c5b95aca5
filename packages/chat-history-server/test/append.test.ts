import { countTokens } from '@choir/llm';
import { afterEach, describe, expect, it } from 'vitest';
import { assistant, type Harness, harness, user } from './setup.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('history_append', () => {
  it('assigns gap-free seqs per conversation and counts tokens at write time', async () => {
    h = await harness();
    const first = await h.call('history_append', {
      conversation_id: 'conv-1',
      events: [user('What is the PostChain?'), assistant('Six phases: A, E, I, O, U, Y.')],
    });
    expect(first.isError).toBe(false);
    expect(first.data).toEqual({
      conversation_id: 'conv-1',
      seqs: [1, 2],
      duplicate: false,
      token_counts: [countTokens('What is the PostChain?'), countTokens('Six phases: A, E, I, O, U, Y.')],
      pruned_events: 0,
    });
    expect(first.text).toBe('Appended 2 events to conv-1 (seqs 1–2).');
    const second = await h.call('history_append', { conversation_id: 'conv-1', events: [user('And then?')] });
    expect(second.data.seqs).toEqual([3]);
    const other = await h.call('history_append', { conversation_id: 'conv-2', events: [user('hi')] });
    expect(other.data.seqs).toEqual([1]);
  });

  it('stores every field and derives roles from types', async () => {
    h = await harness();
    await h.call('history_append', {
      conversation_id: 'c',
      events: [
        {
          type: 'tool_call',
          content: '',
          tool_calls: [{ id: 'call_1', name: 'lookup', arguments: { q: 'x' } }],
          model: 'gpt-x',
          usage: { input_tokens: 12, output_tokens: 3, cost_usd: 0.001 },
          extra: { phase: 'action' },
          timestamp: '2025-06-01T10:00:00+02:00',
        },
        { type: 'tool_result', tool_call_id: 'call_1', content: 'found' },
      ],
    });
    const got = await h.call<{ events: Record<string, unknown>[] }>('history_get', { conversation_id: 'c' });
    expect(got.data.events).toMatchObject([
      {
        seq: 1,
        type: 'tool_call',
        role: 'assistant',
        content: '',
        tool_calls: [{ id: 'call_1', name: 'lookup', arguments: { q: 'x' } }],
        model: 'gpt-x',
        usage: { input_tokens: 12, output_tokens: 3, cost_usd: 0.001 },
        extra: { phase: 'action' },
        timestamp: '2025-06-01T08:00:00.000Z',
        token_count: countTokens(JSON.stringify([{ id: 'call_1', name: 'lookup', arguments: { q: 'x' } }])),
      },
      { seq: 2, type: 'tool_result', role: 'tool', tool_call_id: 'call_1', content: 'found' },
    ]);
    expect(got.data.events[0]!.id).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it('returns the original seqs for a retried request_id and writes nothing', async () => {
    h = await harness();
    const batch = { conversation_id: 'c', request_id: 'turn-7', events: [user('a'), assistant('b')] };
    const first = await h.call('history_append', batch);
    const retry = await h.call('history_append', batch);
    expect(first.data).toMatchObject({ seqs: [1, 2], duplicate: false });
    expect(retry.data).toEqual({
      conversation_id: 'c',
      seqs: [1, 2],
      duplicate: true,
      token_counts: [],
      pruned_events: 0,
    });
    expect(retry.text).toMatch(/Nothing was written/);
    expect(await h.count('chat_events')).toBe(2);
  });

  it('still recognises a retry after the server restarts on the same database', async () => {
    h = await harness();
    const batch = { conversation_id: 'c', request_id: 'turn-1', events: [user('persist me')] };
    expect((await h.call('history_append', batch)).data.seqs).toEqual([1]);
    const dataDir = h.dataDir;
    await h.close();
    h = await harness({ dataDir });
    const retry = await h.call('history_append', batch);
    expect(retry.data).toMatchObject({ seqs: [1], duplicate: true });
    expect(await h.count('chat_events')).toBe(1);
  });

  it('refuses a request_id reused for different events with CONFLICT, writing nothing', async () => {
    h = await harness();
    await h.call('history_append', { conversation_id: 'c', request_id: 'r', events: [user('one')] });
    const reuse = await h.call('history_append', {
      conversation_id: 'c',
      request_id: 'r',
      events: [user('two')],
    });
    expect(reuse).toMatchObject({ isError: true, code: 'CONFLICT' });
    expect(reuse.text).toMatch(/request_id "r" was already used/);
    expect(await h.count('chat_events')).toBe(1);
  });

  const badBatches: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown event type', { events: [{ type: 'chat', content: 'x' }] }, /events\.0\.type/],
    [
      'a role that contradicts the type',
      { events: [{ type: 'user_message', role: 'assistant', content: 'x' }] },
      /role "user"/,
    ],
    ['an empty user message', { events: [user('  ')] }, /needs non-empty content/],
    [
      'a tool_result without tool_call_id',
      { events: [{ type: 'tool_result', content: 'x' }] },
      /needs the tool_call_id/,
    ],
    ['a tool_call without ids', { events: [{ type: 'tool_call', content: 'x' }] }, /tool_call needs/],
    [
      'tool_calls on a user message',
      { events: [{ ...user('x'), tool_calls: [{ id: 'a' }] }] },
      /tool_calls belong/,
    ],
    [
      'repeated call ids',
      { events: [{ type: 'tool_call', tool_calls: [{ id: 'a' }, { id: 'a' }] }] },
      /appears twice/,
    ],
    ['an unknown field', { events: [{ ...user('x'), tool_call_ids: ['a'] }] }, /Unrecognized key/],
    ['a malformed timestamp', { events: [{ ...user('x'), timestamp: 'yesterday' }] }, /timestamp/],
    ['negative usage', { events: [{ ...assistant('x'), usage: { input_tokens: -1 } }] }, /input_tokens/],
    ['an empty batch', { events: [] }, /events/],
    ['a conversation id with a slash', { conversation_id: 'a/b', events: [user('x')] }, /conversation_id/],
    [
      'a batch over 1000 events',
      { events: Array.from({ length: 1001 }, () => user('x')) },
      /1001 items exceeds|1000/,
    ],
  ];
  it.each(badBatches)('rejects %s with INVALID_INPUT and writes nothing', async (_what, args, message) => {
    h = await harness();
    const r = await h.call('history_append', { conversation_id: 'c', ...args });
    expect(r.isError).toBe(true);
    expect(r.code).toBe('INVALID_INPUT');
    expect(r.text).toMatch(message);
    expect(await h.count('chat_events')).toBe(0);
    expect(await h.count('conversations')).toBe(0);
  });

  it('rejects the whole batch when one event is bad, naming it', async () => {
    h = await harness();
    await h.call('history_append', { conversation_id: 'c', events: [user('before')] });
    const r = await h.call('history_append', {
      conversation_id: 'c',
      events: [user('fine'), assistant('fine too'), { type: 'tool_result', content: 'no id' }],
    });
    expect(r).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
    expect(r.text).toMatch(/^INVALID_INPUT: events\[2\]: a tool_result needs the tool_call_id/);
    expect(await h.count('chat_events')).toBe(1);
    expect(
      (await h.call('history_append', { conversation_id: 'c', events: [user('after')] })).data.seqs,
    ).toEqual([2]);
  });
});
