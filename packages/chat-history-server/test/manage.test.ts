import { afterEach, describe, expect, it } from 'vitest';
import { assistant, type Harness, harness, user } from './setup.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('history_update_conversation', () => {
  it('sets and clears the title and replaces metadata', async () => {
    h = await harness();
    await h.call('history_append', { conversation_id: 'c', events: [user('x')] });
    const set = await h.call('history_update_conversation', {
      conversation_id: 'c',
      title: 'Trip',
      metadata: { lang: 'en' },
    });
    expect(set.data).toMatchObject({
      conversation_id: 'c',
      title: 'Trip',
      metadata: { lang: 'en' },
      event_count: 1,
    });
    const cleared = await h.call('history_update_conversation', {
      conversation_id: 'c',
      title: null,
      metadata: { x: 1 },
    });
    expect(cleared.data).toMatchObject({ title: null, metadata: { x: 1 } });
  });

  it('refuses an empty update and an unknown conversation', async () => {
    h = await harness();
    expect(await h.call('history_update_conversation', { conversation_id: 'c' })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await h.call('history_update_conversation', { conversation_id: 'c', title: 'T' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await h.count('conversations')).toBe(0);
  });
});

describe('history_delete_conversation', () => {
  it('deletes the conversation, its events, ledger, usage and index entries', async () => {
    h = await harness();
    await h.call('history_append', {
      conversation_id: 'gone',
      request_id: 'r1',
      events: [user('unique-word-zebra'), { ...assistant('ok'), model: 'm', usage: { output_tokens: 2 } }],
    });
    await h.call('history_append', { conversation_id: 'kept', events: [user('stay')] });
    const r = await h.call('history_delete_conversation', { conversation_id: 'gone' });
    expect(r.data).toEqual({ conversation_id: 'gone', deleted: true, events_deleted: 2 });
    expect(await h.count('chat_events')).toBe(1);
    expect(await h.count('append_requests')).toBe(0);
    expect(await h.count('usage_totals')).toBe(0);
    expect((await h.call<{ results: unknown[] }>('history_search', { query: 'zebra' })).data.results).toEqual(
      [],
    );
    expect(await h.call('history_delete_conversation', { conversation_id: 'gone' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    // A new conversation under the old id starts again at seq 1.
    expect(
      (await h.call('history_append', { conversation_id: 'gone', events: [user('again')] })).data.seqs,
    ).toEqual([1]);
  });
});

describe('history_usage', () => {
  it('sums tokens and cost per model and per conversation', async () => {
    h = await harness();
    const usage = (model: string, input: number, output: number, cost?: number) => ({
      ...assistant('answer'),
      model,
      usage: {
        input_tokens: input,
        output_tokens: output,
        ...(cost === undefined ? {} : { cost_usd: cost }),
      },
    });
    await h.call('history_append', {
      conversation_id: 'a',
      events: [user('q'), usage('m1', 100, 20, 0.1), usage('m2', 10, 5, 0.3)],
    });
    await h.call('history_append', {
      conversation_id: 'b',
      events: [usage('m1', 50, 10, 0.2), { ...assistant('no model'), usage: { input_tokens: 1 } }],
    });
    const all = await h.call('history_usage', {});
    expect(all.data).toEqual({
      total: { input_tokens: 161, output_tokens: 35, cost_usd: 0.6, events: 4 },
      by_model: [
        { model: 'm1', input_tokens: 150, output_tokens: 30, cost_usd: 0.3, events: 2 },
        { model: 'm2', input_tokens: 10, output_tokens: 5, cost_usd: 0.3, events: 1 },
        { model: 'unknown', input_tokens: 1, output_tokens: 0, cost_usd: 0, events: 1 },
      ],
      by_conversation: [
        { conversation_id: 'a', input_tokens: 110, output_tokens: 25, cost_usd: 0.4, events: 2 },
        { conversation_id: 'b', input_tokens: 51, output_tokens: 10, cost_usd: 0.2, events: 2 },
      ],
      next_cursor: null,
    });
    const one = await h.call('history_usage', { conversation_id: 'b' });
    expect(one.data.total).toEqual({ input_tokens: 51, output_tokens: 10, cost_usd: 0.2, events: 2 });
    const page = await h.call<{ by_conversation: { conversation_id: string }[]; next_cursor: string }>(
      'history_usage',
      { limit: 1 },
    );
    expect(page.data.by_conversation.map((c) => c.conversation_id)).toEqual(['a']);
    const rest = await h.call<{ by_conversation: { conversation_id: string }[] }>('history_usage', {
      limit: 1,
      cursor: page.data.next_cursor,
    });
    expect(rest.data.by_conversation.map((c) => c.conversation_id)).toEqual(['b']);
    expect(await h.call('history_usage', { conversation_id: 'zzz' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('retention', () => {
  it('applies the configured policy after every append, keeping seqs gap-free', async () => {
    h = await harness({
      env: {
        CHAT_HISTORY_RETENTION: 'message_count',
        CHAT_HISTORY_MAX_MESSAGES: '4',
        CHAT_HISTORY_PRESERVE_RECENT: '2',
      },
    });
    const r1 = await h.call('history_append', {
      conversation_id: 'c',
      events: [user('1'), assistant('2'), user('3')],
    });
    expect(r1.data.pruned_events).toBe(0);
    const r2 = await h.call('history_append', {
      conversation_id: 'c',
      events: [assistant('4'), user('5'), assistant('6')],
    });
    expect(r2.data).toMatchObject({ seqs: [4, 5, 6], pruned_events: 2 });
    expect(r2.text).toMatch(/Retention \(message_count\) removed 2 old events/);
    const left = await h.call<{ events: { seq: number }[] }>('history_get', { conversation_id: 'c' });
    expect(left.data.events.map((e) => e.seq)).toEqual([3, 4, 5, 6]);
    expect((await h.call('history_append', { conversation_id: 'c', events: [user('7')] })).data.seqs).toEqual(
      [7],
    );
  });

  it('keeps everything by default; token_limit on demand defaults to 8000 tokens', async () => {
    h = await harness({ env: { CHAT_HISTORY_RETENTION: '' } });
    const big = 'word '.repeat(3000); // 3000 tokens each
    await h.call('history_append', { conversation_id: 'c', events: [user(big), assistant(big), user(big)] });
    const list = await h.call<{ conversations: { event_count: number; token_total: number }[] }>(
      'history_list_conversations',
      {},
    );
    expect(list.data.conversations[0]!.event_count).toBe(3);
    const r = await h.call('history_apply_retention', {
      conversation_id: 'c',
      policy: 'token_limit',
      preserve_recent: 0,
    });
    expect(r.data).toMatchObject({
      policy: { policy: 'token_limit', max_tokens: 8000, preserve_recent: 0 },
      events_deleted: 1,
    });
  });

  it('time_based deletes events older than max_age_days on demand; dry_run changes nothing', async () => {
    let now = new Date('2025-06-01T00:00:00Z');
    h = await harness({ now: () => now });
    await h.call('history_append', {
      conversation_id: 'c',
      events: [
        { ...user('old'), timestamp: '2025-04-01T00:00:00Z' },
        { ...assistant('old too'), timestamp: '2025-04-02T00:00:00Z' },
        { ...user('recent'), timestamp: '2025-05-30T00:00:00Z' },
      ],
    });
    await h.call('history_append', { conversation_id: 'd', events: [user('today')] });
    const args = { policy: 'time_based', max_age_days: 30, preserve_recent: 0 };
    const dry = await h.call('history_apply_retention', { ...args, dry_run: true });
    expect(dry.data).toMatchObject({ dry_run: true, conversations_checked: 2, events_deleted: 2 });
    expect(dry.data.conversations).toEqual([
      { conversation_id: 'c', events_deleted: 2, tokens_freed: expect.any(Number), delete_through_seq: 2 },
    ]);
    expect(await h.count('chat_events')).toBe(4);
    const real = await h.call('history_apply_retention', args);
    expect(real.data).toMatchObject({ dry_run: false, events_deleted: 2 });
    expect(await h.count('chat_events')).toBe(2);
    // Six weeks later both remaining events are old: preserve_recent keeps each conversation's newest…
    now = new Date('2025-07-15T00:00:00Z');
    await h.call('history_apply_retention', { ...args, preserve_recent: 1 });
    expect(await h.count('chat_events')).toBe(2);
    // …and without it they go.
    await h.call('history_apply_retention', args);
    expect(await h.count('chat_events')).toBe(0);
  });

  it('refuses bad overrides and unknown conversations without deleting', async () => {
    h = await harness();
    await h.call('history_append', { conversation_id: 'c', events: [user('a'), user('b')] });
    expect(await h.call('history_apply_retention', { policy: 'forever' })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(await h.call('history_apply_retention', { max_messages: 0 })).toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(
      await h.call('history_apply_retention', {
        conversation_id: 'x',
        policy: 'message_count',
        max_messages: 1,
      }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.count('chat_events')).toBe(2);
  });
});
