import { afterEach, describe, expect, it } from 'vitest';
import { assistant, type Harness, harness, user } from './setup.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Page = {
  events: { seq: number; type: string }[];
  has_more: boolean;
  next_after_seq?: number | null;
  next_before_seq?: number | null;
};

describe('history_get', () => {
  it('pages forward and backward, filtered by type', async () => {
    h = await harness();
    const events = Array.from({ length: 7 }, (_, i) => (i % 2 ? assistant(`a${i}`) : user(`u${i}`)));
    await h.call('history_append', { conversation_id: 'c', events });
    const p1 = await h.call<Page>('history_get', { conversation_id: 'c', limit: 3 });
    expect(p1.data.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(p1.data).toMatchObject({ has_more: true, next_after_seq: 3 });
    const p2 = await h.call<Page>('history_get', { conversation_id: 'c', after_seq: 3, limit: 10 });
    expect(p2.data.events.map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    expect(p2.data).toMatchObject({ has_more: false, next_after_seq: null });
    const back = await h.call<Page>('history_get', { conversation_id: 'c', before_seq: 6, limit: 2 });
    expect(back.data.events.map((e) => e.seq)).toEqual([5, 4]);
    expect(back.data).toMatchObject({ has_more: true, next_before_seq: 4 });
    const users = await h.call<Page>('history_get', { conversation_id: 'c', types: ['user_message'] });
    expect(users.data.events.map((e) => e.seq)).toEqual([1, 3, 5, 7]);
  });

  it('answers NOT_FOUND for an unknown conversation and INVALID_INPUT for contradictory paging', async () => {
    h = await harness();
    expect(await h.call('history_get', { conversation_id: 'nope' })).toMatchObject({
      isError: true,
      code: 'NOT_FOUND',
    });
    await h.call('history_append', { conversation_id: 'c', events: [user('x')] });
    const both = await h.call('history_get', { conversation_id: 'c', after_seq: 1, before_seq: 5 });
    expect(both).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
    expect(await h.call('history_get', { conversation_id: 'c', limit: 201 })).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('caps a page by content size as well as by count', async () => {
    h = await harness();
    const big = 'x'.repeat(90_000);
    await h.call('history_append', {
      conversation_id: 'c',
      events: Array.from({ length: 15 }, () => user(big)),
    });
    const r = await h.call<Page>('history_get', { conversation_id: 'c', limit: 200 });
    expect(r.data.events).toHaveLength(11);
    expect(r.data).toMatchObject({ has_more: true, next_after_seq: 11 });
  });
});

describe('history_list_conversations', () => {
  it('lists by most recent activity with counts, in pages', async () => {
    let t = Date.parse('2025-06-01T00:00:00Z');
    const tick = () => {
      t += 1000;
      return new Date(t);
    };
    h = await harness({ now: tick });
    await h.call('history_append', { conversation_id: 'a', events: [user('one two three')] });
    await h.call('history_append', { conversation_id: 'b', events: [user('x'), assistant('y')] });
    await h.call('history_append', { conversation_id: 'c', events: [user('z')] });
    await h.call('history_append', { conversation_id: 'a', events: [assistant('later')] });
    await h.call('history_update_conversation', { conversation_id: 'b', title: 'Bee' });
    type List = { conversations: Record<string, unknown>[]; next_cursor: string | null };
    const p1 = await h.call<List>('history_list_conversations', { limit: 2 });
    expect(p1.data.conversations).toMatchObject([
      { conversation_id: 'a', event_count: 2, title: null, last_activity_at: '2025-06-01T00:00:04.000Z' },
      { conversation_id: 'c', event_count: 1 },
    ]);
    expect(p1.data.next_cursor).toEqual(expect.any(String));
    const p2 = await h.call<List>('history_list_conversations', { limit: 2, cursor: p1.data.next_cursor });
    expect(p2.data).toMatchObject({
      conversations: [{ conversation_id: 'b', title: 'Bee', event_count: 2 }],
      next_cursor: null,
    });
    expect(await h.call('history_list_conversations', { cursor: 'garbage' })).toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});

describe('history_search', () => {
  it('ranks with BM25, highlights matches and filters by conversation and type', async () => {
    h = await harness();
    await h.call('history_append', {
      conversation_id: 'trip',
      events: [
        user('Plan a trip to Kyoto in autumn'),
        assistant('Kyoto is lovely in autumn; Kyoto temples glow.'),
      ],
    });
    await h.call('history_append', { conversation_id: 'food', events: [user('Best ramen in Tokyo?')] });
    type Hits = {
      results: { conversation_id: string; seq: number; snippet: string; score: number }[];
      fts_query: string;
      next_cursor: string | null;
    };
    const r = await h.call<Hits>('history_search', { query: 'kyoto' });
    expect(r.data.fts_query).toBe('"kyoto"');
    expect(r.data.results.map((x) => `${x.conversation_id}#${x.seq}`)).toEqual(['trip#2', 'trip#1']);
    expect(r.data.results[0]!.snippet).toBe('**Kyoto** is lovely in autumn; **Kyoto** temples glow.');
    expect(r.data.results[0]!.score).toBeGreaterThan(r.data.results[1]!.score);
    const any = await h.call<Hits>('history_search', {
      query: 'ramen autumn',
      match: 'any',
      types: ['user_message'],
    });
    expect(any.data.results.map((x) => x.conversation_id).sort()).toEqual(['food', 'trip']);
    const within = await h.call<Hits>('history_search', {
      query: 'ramen autumn',
      match: 'any',
      conversation_id: 'food',
    });
    expect(within.data.results.map((x) => x.conversation_id)).toEqual(['food']);
    const paged = await h.call<Hits>('history_search', { query: 'kyoto', limit: 1 });
    const next = await h.call<Hits>('history_search', {
      query: 'kyoto',
      limit: 1,
      cursor: paged.data.next_cursor,
    });
    expect(next.data.results.map((x) => x.seq)).toEqual([1]);
    expect(next.data.next_cursor).toBeNull();
  });

  it('treats FTS syntax in a query as plain words and refuses queries with none', async () => {
    h = await harness();
    await h.call('history_append', { conversation_id: 'c', events: [user('use NEAR and OR as words')] });
    const r = await h.call<{ results: unknown[] }>('history_search', { query: 'NEAR( OR "' });
    expect(r.isError).toBe(false);
    expect(r.data.results).toHaveLength(1);
    expect(await h.call('history_search', { query: '?!' })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await h.call('history_search', { query: 'x', conversation_id: 'nope' })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
