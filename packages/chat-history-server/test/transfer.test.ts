import { afterEach, describe, expect, it } from 'vitest';
import { assistant, type Harness, harness, user } from './setup.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Export = { jsonl: string; events_exported: number; next_after_seq: number | null };
type Imported = {
  conversation_id: string;
  created: boolean;
  events_imported: number;
  events_skipped: number;
  events_pruned: number;
};

const TURN = {
  conversation_id: 'trip',
  request_id: 'turn-1',
  events: [
    { ...user('Weather in Oslo?'), timestamp: '2025-06-01T10:00:00Z', extra: { client: 'cli' } },
    { type: 'tool_call', tool_calls: [{ id: 'c1', name: 'weather', arguments: { city: 'Oslo' } }] },
    { type: 'tool_result', tool_call_id: 'c1', content: 'rain, 12°C' },
    {
      ...assistant('It rains.'),
      model: 'm1',
      usage: { input_tokens: 40, output_tokens: 4, cost_usd: 0.002 },
    },
    { type: 'phase_output', content: 'understanding: done', extra: { phase: 'understanding' } },
  ],
};
async function seed(hh: Harness) {
  await hh.call('history_append', TURN);
  await hh.call('history_update_conversation', {
    conversation_id: 'trip',
    title: 'Oslo',
    metadata: { tag: 'weather' },
  });
}

describe('history_export / history_import', () => {
  it('round-trips everything through JSONL', async () => {
    h = await harness();
    await seed(h);
    const exported = await h.call<Export>('history_export', { conversation_id: 'trip' });
    expect(exported.data).toMatchObject({ events_exported: 5, next_after_seq: null });
    const lines = exported.data.jsonl
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind)).toEqual([
      'conversation',
      'request',
      'event',
      'event',
      'event',
      'event',
      'event',
    ]);
    expect(lines[0]).toMatchObject({
      format: 'choir-chat-history/1',
      id: 'trip',
      title: 'Oslo',
      next_seq: 6,
    });
    const before = await h.call('history_get', { conversation_id: 'trip' });
    const usageBefore = await h.call('history_usage', {});

    await h.call('history_delete_conversation', { conversation_id: 'trip' });
    const imported = await h.call<Imported>('history_import', { jsonl: exported.data.jsonl });
    expect(imported.data).toEqual({
      conversation_id: 'trip',
      created: true,
      events_imported: 5,
      events_skipped: 0,
      events_pruned: 0,
    });

    expect((await h.call('history_get', { conversation_id: 'trip' })).data).toEqual(before.data);
    expect((await h.call('history_usage', {})).data).toEqual(usageBefore.data);
    const again = await h.call<Export>('history_export', { conversation_id: 'trip' });
    expect(again.data.jsonl).toBe(exported.data.jsonl);
    // The ledger came along: a retry of the original append is still recognised.
    const retry = await h.call('history_append', TURN);
    expect(retry.data).toMatchObject({ seqs: [1, 2, 3, 4, 5], duplicate: true });
    // …and the seq counter: the next append continues at 6.
    expect(
      (await h.call('history_append', { conversation_id: 'trip', events: [user('more')] })).data.seqs,
    ).toEqual([6]);
  });

  it('re-importing is harmless, and importing under another id makes a copy with fresh event ids', async () => {
    h = await harness();
    await seed(h);
    const { jsonl } = (await h.call<Export>('history_export', { conversation_id: 'trip' })).data;
    const twice = await h.call<Imported>('history_import', { jsonl });
    expect(twice.data).toMatchObject({ created: false, events_imported: 0, events_skipped: 5 });
    const copy = await h.call<Imported>('history_import', { jsonl, conversation_id: 'trip-copy' });
    expect(copy.data).toMatchObject({ conversation_id: 'trip-copy', created: true, events_imported: 5 });
    type Events = { events: { id: string; content: string }[] };
    const original = await h.call<Events>('history_get', { conversation_id: 'trip' });
    const copied = await h.call<Events>('history_get', { conversation_id: 'trip-copy' });
    expect(copied.data.events.map((e) => e.content)).toEqual(original.data.events.map((e) => e.content));
    expect(copied.data.events.some((e) => original.data.events.some((o) => o.id === e.id))).toBe(false);
  });

  it('exports and imports in pages', async () => {
    h = await harness();
    await h.call('history_append', {
      conversation_id: 'long',
      events: Array.from({ length: 25 }, (_, i) => user(`m${i}`)),
    });
    const p1 = await h.call<Export>('history_export', { conversation_id: 'long', limit: 10 });
    const p2 = await h.call<Export>('history_export', {
      conversation_id: 'long',
      limit: 10,
      after_seq: p1.data.next_after_seq,
    });
    const p3 = await h.call<Export>('history_export', {
      conversation_id: 'long',
      limit: 10,
      after_seq: p2.data.next_after_seq,
    });
    expect([p1, p2, p3].map((p) => [p.data.events_exported, p.data.next_after_seq])).toEqual([
      [10, 10],
      [10, 20],
      [5, null],
    ]);
    for (const page of [p1, p2, p3]) {
      expect(
        (await h.call('history_import', { jsonl: page.data.jsonl, conversation_id: 'long-copy' })).isError,
      ).toBe(false);
    }
    const copy = await h.call<{ events: { seq: number }[] }>('history_get', {
      conversation_id: 'long-copy',
      limit: 100,
    });
    expect(copy.data.events.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('exports an OpenAI-style messages array', async () => {
    h = await harness();
    await seed(h);
    const r = await h.call('history_export', { conversation_id: 'trip', format: 'openai' });
    expect(r.data).toEqual({
      conversation_id: 'trip',
      format: 'openai',
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'rain, 12°C' },
        { role: 'assistant', content: 'It rains.' },
      ],
      events_exported: 5,
      skipped_events: 1,
      next_after_seq: null,
    });
  });

  const header =
    '{"kind":"conversation","format":"choir-chat-history/1","id":"imp","created_at":"2025-01-01T00:00:00Z"}';
  const event = (seq: number, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      kind: 'event',
      id: `e${seq}`,
      seq,
      timestamp: '2025-01-01T00:00:00Z',
      type: 'user_message',
      role: 'user',
      content: `m${seq}`,
      ...extra,
    });
  const badImports: [string, string, RegExp][] = [
    ['no header', event(1), /line 1: the first line must be the conversation header/],
    ['invalid JSON', `${header}\n{nope`, /line 2: not valid JSON/],
    ['a wrong format tag', header.replace('/1', '/9'), /line 1: format/],
    ['seqs out of order', `${header}\n${event(2)}\n${event(1)}`, /line 3: seq 1 does not follow 2/],
    [
      'a role contradicting the type',
      `${header}\n${event(1, { role: 'assistant' })}`,
      /line 2: a user_message has role "user"/,
    ],
    ['an unknown field', `${header}\n${event(1, { colour: 'red' })}`, /line 2: .*Unrecognized key/],
    [
      'next_seq behind the events',
      `${header.replace('}', ',"next_seq":2}')}\n${event(5)}`,
      /next_seq 2 must be greater/,
    ],
  ];
  it.each(badImports)('refuses %s with INVALID_INPUT and writes nothing', async (_what, jsonl, message) => {
    h = await harness();
    const r = await h.call('history_import', { jsonl });
    expect(r).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
    expect(r.text).toMatch(message);
    expect(await h.count('conversations')).toBe(0);
    expect(await h.count('chat_events')).toBe(0);
  });

  it('refuses a different event at a stored seq with CONFLICT, writing nothing', async () => {
    h = await harness();
    expect((await h.call('history_import', { jsonl: `${header}\n${event(1)}` })).isError).toBe(false);
    const clash = `${header}\n${event(1, { id: 'other' })}\n${event(2)}`;
    const r = await h.call('history_import', { jsonl: clash });
    expect(r).toMatchObject({ isError: true, code: 'CONFLICT' });
    expect(await h.count('chat_events')).toBe(1);
  });

  it('answers NOT_FOUND when exporting an unknown conversation', async () => {
    h = await harness();
    expect(await h.call('history_export', { conversation_id: 'nope' })).toMatchObject({
      isError: true,
      code: 'NOT_FOUND',
    });
  });
});
