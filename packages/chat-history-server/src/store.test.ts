import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@choir/storage';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryDB } from './db.js';
import { HistoryError } from './errors.js';
import { batchFingerprint, type EventInput, toEventRow } from './events.js';
import { migrationsDir } from './migrations-dir.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention.js';
import { HistoryStore } from './store.js';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const UNLIMITED: RetentionPolicy = { ...DEFAULT_RETENTION, policy: 'unlimited' };
const NOW = new Date('2025-06-01T12:00:00Z');

const opened: Store<HistoryDB>[] = [];
async function open(dataDir = mkdtempSync(join(tmpdir(), 'choir-history-'))) {
  const store = await openStore<HistoryDB>({
    server: 'chat-history',
    migrationsDir: migrationsDir(),
    env: { CHOIR_DATA_DIR: dataDir },
  });
  opened.push(store);
  return { history: new HistoryStore(store), store, dataDir };
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

function append(
  history: HistoryStore,
  conversationId: string,
  events: EventInput[],
  options: { requestId?: string; retention?: RetentionPolicy; now?: Date } = {},
) {
  const now = options.now ?? NOW;
  return history.append({
    conversationId,
    requestId: options.requestId ?? null,
    fingerprint: batchFingerprint(events),
    rows: events.map((e) => toEventRow(e, { now, requestId: options.requestId ?? null, countTokens: words })),
    now,
    retention: options.retention ?? UNLIMITED,
  });
}
const user = (content: string): EventInput => ({ type: 'user_message', content });
const assistant = (content: string): EventInput => ({ type: 'assistant_message', content });
const count = async (store: Store<HistoryDB>, table: 'chat_events' | 'conversations' | 'append_requests') =>
  Number((await store.rawClient.execute(`SELECT COUNT(*) AS n FROM ${table}`)).rows[0]!.n);

describe('HistoryStore.append', () => {
  it('assigns seqs per conversation and keeps the conversation counters', async () => {
    const { history } = await open();
    expect((await append(history, 'a', [user('one two'), assistant('three')])).seqs).toEqual([1, 2]);
    expect((await append(history, 'b', [user('x')])).seqs).toEqual([1]);
    expect((await append(history, 'a', [user('four five six')])).seqs).toEqual([3]);
    const a = await history.conversation('a');
    expect(a).toMatchObject({
      id: 'a',
      next_seq: 4,
      event_count: 3,
      token_total: 6,
      title: null,
      metadata: {},
    });
  });

  it('returns the original seqs for a retried request_id and writes nothing', async () => {
    const { history, store } = await open();
    await append(history, 'a', [user('first')]);
    const batch = [user('hello'), assistant('hi')];
    const first = await append(history, 'a', batch, { requestId: 'req-1' });
    const retry = await append(history, 'a', batch, { requestId: 'req-1' });
    expect(first).toMatchObject({ seqs: [2, 3], duplicate: false });
    expect(retry).toMatchObject({ seqs: [2, 3], duplicate: true });
    expect(await count(store, 'chat_events')).toBe(3);
    // The same request_id in another conversation is a different request.
    expect((await append(history, 'b', batch, { requestId: 'req-1' })).seqs).toEqual([1, 2]);
  });

  it('refuses a request_id reused for different events, writing nothing', async () => {
    const { history, store } = await open();
    await append(history, 'a', [user('hello')], { requestId: 'r' });
    const error = await append(history, 'a', [user('something else')], { requestId: 'r' }).catch((e) => e);
    expect(error).toBeInstanceOf(HistoryError);
    expect(error.code).toBe('CONFLICT');
    expect(await count(store, 'chat_events')).toBe(1);
    expect((await history.conversation('a'))!.next_seq).toBe(2);
  });

  it('writes nothing of a batch that fails halfway', async () => {
    const { history, store } = await open();
    await append(history, 'a', [user('kept')]);
    const rows = [user('x'), user('y')].map((e) =>
      toEventRow(e, { now: NOW, requestId: null, countTokens: words }),
    );
    rows[1]!.id = rows[0]!.id; // the second insert violates UNIQUE(id)
    const error = await history
      .append({ conversationId: 'a', requestId: 'r', fingerprint: 'f', rows, now: NOW, retention: UNLIMITED })
      .catch((e) => e);
    expect(String(error)).toMatch(/UNIQUE/);
    expect(await count(store, 'chat_events')).toBe(1);
    expect(await count(store, 'append_requests')).toBe(0);
    expect((await history.conversation('a'))!.next_seq).toBe(2);
    expect((await append(history, 'a', [user('next')])).seqs).toEqual([2]);
  });
  // Two writers on one file are tested with two real server processes (test/stdio.test.ts): in
  // one process, SQLite's busy wait would block the event loop the lock holder needs.
});

describe('HistoryStore retention', () => {
  it('prunes after an append and keeps handing out seqs from the counter', async () => {
    const { history } = await open();
    const policy: RetentionPolicy = {
      ...DEFAULT_RETENTION,
      policy: 'message_count',
      maxMessages: 3,
      preserveRecent: 0,
    };
    for (let i = 1; i <= 5; i++) await append(history, 'a', [user(`m${i}`)], { retention: policy });
    const left = await history.events({ conversationId: 'a', limit: 10 });
    expect(left.map((e) => e.seq)).toEqual([3, 4, 5]);
    const out = await append(history, 'a', [user('m6')], { retention: policy });
    expect(out.seqs).toEqual([6]);
    expect(out.pruned).toEqual({ deleteThroughSeq: 3, eventsToDelete: 1, tokensToFree: 1 });
    expect(await history.conversation('a')).toMatchObject({ event_count: 3, token_total: 3, next_seq: 7 });
  });

  it('dry runs plan without deleting', async () => {
    const { history, store } = await open();
    await append(history, 'a', [user('a b'), user('c d'), user('e f')]);
    const policy: RetentionPolicy = {
      ...DEFAULT_RETENTION,
      policy: 'token_limit',
      maxTokens: 2,
      preserveRecent: 0,
    };
    const [dry] = await history.applyRetention({ conversationId: 'a', policy, now: NOW, dryRun: true });
    expect(dry!.plan).toEqual({ deleteThroughSeq: 2, eventsToDelete: 2, tokensToFree: 4 });
    expect(await count(store, 'chat_events')).toBe(3);
    await history.applyRetention({ policy, now: NOW, dryRun: false });
    expect(await count(store, 'chat_events')).toBe(1);
  });
});

describe('HistoryStore full-text index', () => {
  it('stays in step with inserts, retention and conversation deletes', async () => {
    const { history } = await open();
    await append(history, 'a', [user('the quick brown fox'), assistant('a lazy dog')]);
    await append(history, 'b', [user('another quick thought')]);
    const quick = await history.search({ match: '"quick"', limit: 10, offset: 0 });
    expect(quick.map((h) => `${h.conversation_id}:${h.seq}`).sort()).toEqual(['a:1', 'b:1']);
    expect(quick[0]!.snippet).toContain('**quick**');
    const policy: RetentionPolicy = {
      ...DEFAULT_RETENTION,
      policy: 'message_count',
      maxMessages: 1,
      preserveRecent: 0,
    };
    await history.applyRetention({ conversationId: 'a', policy, now: NOW, dryRun: false });
    expect(
      (await history.search({ match: '"quick"', limit: 10, offset: 0 })).map((h) => h.conversation_id),
    ).toEqual(['b']);
    expect(await history.deleteConversation('b')).toBe(1);
    expect(await history.search({ match: '"quick"', limit: 10, offset: 0 })).toEqual([]);
    expect((await history.search({ match: '"lazy"', limit: 10, offset: 0 })).length).toBe(1);
    expect(await history.deleteConversation('b')).toBeNull();
  });
});

describe('HistoryStore context walk', () => {
  it('finds the call of each result, and reads newest first through the seq index', async () => {
    const { history, store } = await open();
    await append(history, 'a', [
      user('weather?'),
      {
        type: 'tool_call',
        content: '',
        tool_calls: [{ id: 'c1', name: 'weather', arguments: { city: 'Oslo' } }],
      },
      { type: 'tool_result', tool_call_id: 'c1', content: 'rain' },
      { type: 'tool_result', tool_call_id: 'nope', content: 'orphan' },
    ]);
    const page = await history.contextPage('a', Number.MAX_SAFE_INTEGER, 10, [
      'user_message',
      'tool_call',
      'tool_result',
    ]);
    expect(page.map((r) => [r.seq, r.call_seq])).toEqual([
      [4, null],
      [3, 2],
      [2, null],
      [1, null],
    ]);
    const plan = await store.rawClient.execute({
      sql: `EXPLAIN QUERY PLAN SELECT seq FROM chat_events INDEXED BY chat_events_seq
            WHERE conversation_id = ? AND seq < ? AND type IN ('user_message', 'tool_result') ORDER BY seq DESC LIMIT 10`,
      args: ['a', 100],
    });
    const detail = plan.rows.map((r) => String(r.detail)).join(' | ');
    expect(detail).toMatch(/USING INDEX chat_events_seq/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it('keeps usage totals when retention prunes the events that carried them', async () => {
    const { history } = await open();
    await append(history, 'a', [
      {
        type: 'assistant_message',
        content: 'x',
        model: 'm1',
        usage: { input_tokens: 10, output_tokens: 5, cost_usd: 0.5 },
      },
      { type: 'assistant_message', content: 'y', model: 'm1', usage: { input_tokens: 1, output_tokens: 2 } },
      { type: 'assistant_message', content: 'z', model: 'm2', usage: { output_tokens: 7 } },
    ]);
    const policy: RetentionPolicy = {
      ...DEFAULT_RETENTION,
      policy: 'message_count',
      maxMessages: 1,
      preserveRecent: 0,
    };
    await history.applyRetention({ conversationId: 'a', policy, now: NOW, dryRun: false });
    expect(await history.usage('a')).toEqual([
      { conversation_id: 'a', model: 'm1', input_tokens: 11, output_tokens: 7, cost_usd: 0.5, events: 2 },
      { conversation_id: 'a', model: 'm2', input_tokens: 0, output_tokens: 7, cost_usd: 0, events: 1 },
    ]);
  });
});
