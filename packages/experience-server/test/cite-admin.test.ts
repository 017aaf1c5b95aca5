import { createHashEmbedder } from '@choir/llm';
import { callTool } from '@choir/server-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { countingEmbedder, type Harness, harness } from './helpers.js';

let h: Harness;
let other: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await other?.close();
  other = undefined;
});

async function recordMany(n: number, extra: Record<string, unknown> = {}, from = 0): Promise<void> {
  const topics = [
    'rivers',
    'volcanoes',
    'violins',
    'glaciers',
    'compilers',
    'orchids',
    'falcons',
    'tariffs',
    'comets',
  ];
  for (let i = from; i < from + n; i++) {
    const r = await h.call('experience_record', {
      content: `A note on ${topics[i % topics.length]} number ${i + 1}`,
      role: 'user',
      ...extra,
    });
    expect(r.isError).toBe(false);
  }
}

describe('experience_cite', () => {
  it('pays 0.5 per new citation, at most 5 per citing message, and never twice', async () => {
    h = await harness();
    await recordMany(7, { author: 'bo', thread_id: 'th' });
    const answer = await h.call('experience_record', {
      content: 'The final answer',
      role: 'assistant',
      author: 'aria',
    });
    const citing = answer.data.id as string;
    const first = await h.call('experience_cite', {
      citing_id: citing,
      cited_ids: ['exp_1', 'exp_2', 'exp_2'],
    });
    expect(first.data).toEqual({
      citing_id: citing,
      recorded: 2,
      rewards: [
        { experience_id: 'exp_1', reward: 0.5 },
        { experience_id: 'exp_2', reward: 0.5 },
      ],
      already_cited: [],
    });
    const second = await h.call('experience_cite', {
      citing_id: citing,
      cited_ids: ['exp_2', 'exp_3', 'exp_4', 'exp_5', 'exp_6'],
    });
    expect(second.data).toEqual({
      citing_id: citing,
      recorded: 4,
      rewards: [
        { experience_id: 'exp_2', reward: 0 },
        { experience_id: 'exp_3', reward: 0.5 },
        { experience_id: 'exp_4', reward: 0.5 },
        { experience_id: 'exp_5', reward: 0.5 },
        { experience_id: 'exp_6', reward: 0 },
      ],
      already_cited: ['exp_2'],
    });
    expect(await h.count('experience_citations')).toBe(6);

    const citations = await h.call<{ totals: Record<string, unknown>; entries: unknown[] }>(
      'experience_rewards',
      {
        kind: 'citation',
      },
    );
    expect(citations.data.totals).toEqual({
      total: 2.5,
      count: 5,
      by_author: [{ author: 'bo', total: 2.5, count: 5 }],
      by_thread: [{ thread_id: 'th', total: 2.5, count: 5 }],
    });
    expect(citations.data.entries[0]).toMatchObject({
      experience_id: 'exp_5',
      kind: 'citation',
      amount: 0.5,
      author: 'bo',
      thread_id: 'th',
      source_id: citing,
    });
    const one = await h.call<{ totals: { total: number } }>('experience_rewards', { experience_id: 'exp_1' });
    // Its novelty reward when recorded plus one citation.
    expect(one.data.totals.total).toBe(100.5);
  });

  it.each([
    ['a citation of itself', { citing_id: 'exp_1', cited_ids: ['exp_2', 'exp_1'] }, 'INVALID_INPUT'],
    ['an unknown citing id', { citing_id: 'exp_9', cited_ids: ['exp_1'] }, 'NOT_FOUND'],
    ['an unknown cited id', { citing_id: 'exp_1', cited_ids: ['exp_2', 'exp_42'] }, 'NOT_FOUND'],
    ['no cited ids', { citing_id: 'exp_1', cited_ids: [] }, 'INVALID_INPUT'],
  ])('refuses %s and writes nothing', async (_what, args, code) => {
    h = await harness();
    await recordMany(2);
    const rewards = await h.count('experience_rewards');
    const r = await h.call('experience_cite', args);
    expect(r).toMatchObject({ isError: true, code });
    expect(await h.count('experience_citations')).toBe(0);
    expect(await h.count('experience_rewards')).toBe(rewards);
  });
});

describe('experience_rewards', () => {
  it('pages the ledger newest first with a cursor and totals by author and thread', async () => {
    h = await harness();
    await recordMany(3, { author: 'ana', thread_id: 'a' });
    // Different text: a repeat in another thread would be stored but earn no novelty reward.
    await recordMany(2, { author: 'bo', thread_id: 'b' }, 3);
    const page1 = await h.call<{
      entries: { experience_id: string }[];
      next_cursor: string | null;
      totals: { count: number; by_thread: { thread_id: string }[] };
    }>('experience_rewards', { limit: 2 });
    expect(page1.data.entries.map((e) => e.experience_id)).toEqual(['exp_5', 'exp_4']);
    expect(page1.data.totals.count).toBe(5);
    expect(page1.data.totals.by_thread.map((t) => t.thread_id).sort()).toEqual(['a', 'b']);
    const page2 = await h.call<{ entries: { experience_id: string }[]; next_cursor: string | null }>(
      'experience_rewards',
      {
        limit: 2,
        cursor: page1.data.next_cursor,
      },
    );
    expect(page2.data.entries.map((e) => e.experience_id)).toEqual(['exp_3', 'exp_2']);
    const page3 = await h.call<{ entries: { experience_id: string }[]; next_cursor: string | null }>(
      'experience_rewards',
      {
        limit: 2,
        cursor: page2.data.next_cursor,
      },
    );
    expect(page3.data.entries.map((e) => e.experience_id)).toEqual(['exp_1']);
    expect(page3.data.next_cursor).toBeNull();
    const bo = await h.call<{ totals: { count: number; by_author: { author: string }[] } }>(
      'experience_rewards',
      { author: 'bo' },
    );
    expect(bo.data.totals.count).toBe(2);
    expect(bo.data.totals.by_author.map((a) => a.author)).toEqual(['bo']);
    expect(await h.call('experience_rewards', { cursor: 'abc' })).toMatchObject({
      isError: true,
      code: 'INVALID_INPUT',
    });
    expect(await h.call('experience_rewards', { experience_id: 'exp_99' })).toMatchObject({
      isError: true,
      code: 'NOT_FOUND',
    });
  });
});

describe('experience_stats, experience_get and experience_delete', () => {
  it('counts what is stored and says the embedder is ready', async () => {
    h = await harness();
    const empty = await h.call('experience_stats');
    expect(empty.data).toMatchObject({
      experiences: 0,
      threads: 0,
      embedder: { status: 'empty', stored: null },
    });
    await recordMany(2, { thread_id: 'x' });
    await h.call('experience_record', {
      content: 'An answer about orchids',
      role: 'assistant',
      thread_id: 'y',
    });
    await h.call('experience_cite', { citing_id: 'exp_3', cited_ids: ['exp_2'] });
    const stats = await h.call('experience_stats');
    expect(stats.data).toEqual({
      experiences: 3,
      threads: 2,
      links: 0,
      citations: 1,
      by_role: [
        { role: 'assistant', count: 1 },
        { role: 'user', count: 2 },
      ],
      rewards: expect.objectContaining({ citation: 0.5 }),
      oldest: '2025-03-01T10:00:01.000Z',
      newest: '2025-03-01T10:00:03.000Z',
      embedder: {
        configured: 'choir-hash-v1+content-words',
        configured_dimension: 384,
        stored: 'choir-hash-v1+content-words',
        stored_dimension: 384,
        status: 'ready',
      },
    });
  });

  it('refuses unknown ids in get', async () => {
    h = await harness();
    await recordMany(1);
    expect(await h.call('experience_get', { ids: ['exp_1', 'exp_2'] })).toMatchObject({
      isError: true,
      code: 'NOT_FOUND',
    });
  });

  it('deletes by id with everything attached, and refuses unknown ids without deleting anything', async () => {
    h = await harness();
    await recordMany(3);
    await h.call('experience_cite', { citing_id: 'exp_3', cited_ids: ['exp_1'] });
    await h.call('experience_observe', { experience_id: 'exp_2', prior_ids: ['exp_1'] });
    const refused = await h.call('experience_delete', { ids: ['exp_1', 'exp_9'] });
    expect(refused).toMatchObject({ isError: true, code: 'NOT_FOUND' });
    expect(refused.text).toContain('"exp_9"');
    expect(await h.count('experiences')).toBe(3);

    const r = await h.call('experience_delete', { ids: ['exp_1'] });
    expect(r.data).toEqual({ deleted: 1, ids: ['exp_1'], truncated: false });
    expect(await h.count('experiences')).toBe(2);
    expect(await h.count('experience_vectors_1')).toBe(2);
    expect(await h.count('experience_citations')).toBe(0);
    expect(await h.count('experience_links')).toBe(0);
    expect(await h.count('experience_rewards')).toBe(2);
    const search = await h.call<{ priors: { id: string }[] }>('experience_search', {
      query: 'rivers number 1',
      top_k: 10,
    });
    expect(search.data.priors.map((p) => p.id)).not.toContain('exp_1');
    // Ids are never reused.
    const next = await h.call('experience_record', { content: 'something new entirely', role: 'user' });
    expect(next.data.id).toBe('exp_4');
  });

  it('deletes a whole thread', async () => {
    h = await harness();
    await recordMany(3, { thread_id: 'gone' });
    await recordMany(1, { thread_id: 'kept' });
    const r = await h.call('experience_delete', { thread_id: 'gone' });
    expect(r.data).toEqual({ deleted: 3, ids: ['exp_1', 'exp_2', 'exp_3'], truncated: false });
    expect(await h.call('experience_delete', { thread_id: 'gone' })).toMatchObject({
      isError: true,
      code: 'NOT_FOUND',
    });
    expect(await h.call('experience_delete', {})).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
    expect(await h.call('experience_delete', { ids: ['exp_4'], thread_id: 'kept' })).toMatchObject({
      isError: true,
      code: 'INVALID_INPUT',
    });
    expect(await h.count('experiences')).toBe(1);
  });
});

describe('embedders', () => {
  it('refuses to mix embedders, then reindexes with progress notifications', async () => {
    h = await harness({ embedder: createHashEmbedder({ dimension: 64 }) });
    await recordMany(5);
    await h.call('experience_observe', { experience_id: 'exp_2', prior_ids: ['exp_1'] });
    const rewardsBefore = await h.count('experience_rewards');

    // The same database, now with another embedder (another dimension).
    other = await harness({ dataDir: h.dataDir, embedder: createHashEmbedder({ dimension: 128 }) });
    const refused = await other.call('experience_record', { content: 'new text', role: 'user' });
    expect(refused).toMatchObject({ isError: true, code: 'CONFLICT' });
    expect(refused.text).toContain('choir-hash-v1+content-words (64 dimensions)');
    expect(refused.text).toContain('choir-hash-v1+content-words (128 dimensions)');
    expect(refused.text).toContain('Hint: Run experience_reindex to re-embed all 5 experiences');
    expect(await other.call('experience_search', { query: 'rivers' })).toMatchObject({
      isError: true,
      code: 'CONFLICT',
    });
    expect((await other.call('experience_stats')).data).toMatchObject({
      embedder: { status: 'mismatch', stored_dimension: 64, configured_dimension: 128 },
    });
    expect(await other.count('experiences')).toBe(5);
    expect(await other.count('experience_rewards')).toBe(rewardsBefore);

    const progress: { progress: number; total?: number; message?: string }[] = [];
    const reindexed = await callTool(
      other.client,
      'experience_reindex',
      { batch_size: 2 },
      {
        onprogress: (p) => progress.push(p),
      },
    );
    expect(reindexed.isError).toBe(false);
    expect(reindexed.data).toEqual({
      embedder: 'choir-hash-v1+content-words',
      dimension: 128,
      previous: { embedder: 'choir-hash-v1+content-words', dimension: 64 },
      reindexed: 5,
      from_cache: 0,
    });
    expect(progress.map((p) => [p.progress, p.total])).toEqual([
      [0, 5],
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
    expect(progress[0]!.message).toContain('re-embedding 5 experiences');
    expect(await other.count('experience_vectors_2')).toBe(5);
    await expect(other.count('experience_vectors_1')).rejects.toThrow(/no such table/);
    // Links, rewards and ids survive; the memory works again.
    expect(await other.count('experience_links')).toBe(1);
    const search = await other.call<{ priors: { id: string }[] }>('experience_search', {
      query: 'volcanoes',
      top_k: 1,
    });
    expect(search.data.priors.map((p) => p.id)).toEqual(['exp_2']);
    const recorded = await other.call('experience_record', { content: 'new text', role: 'user' });
    expect(recorded.data.id).toBe('exp_6');
  });

  it('rebuilds the vector table silently for a new embedder when nothing is stored', async () => {
    h = await harness({ embedder: createHashEmbedder({ dimension: 64 }) });
    await h.call('experience_record', { content: 'soon gone', role: 'user' });
    await h.call('experience_delete', { ids: ['exp_1'] });
    other = await harness({ dataDir: h.dataDir, embedder: createHashEmbedder({ dimension: 32 }) });
    const r = await other.call('experience_record', { content: 'fresh start', role: 'user' });
    expect(r.isError).toBe(false);
    expect((await other.call('experience_stats')).data).toMatchObject({
      embedder: { status: 'ready', stored_dimension: 32 },
    });
  });

  it('reports a broken CHOIR_EMBEDDING as MODEL_UNAVAILABLE, and keeps other tools working', async () => {
    h = await harness({ env: { CHOIR_EMBEDDING: 'nonsense:model' } });
    const r = await h.call('experience_record', { content: 'hello', role: 'user' });
    expect(r).toMatchObject({ isError: true, code: 'MODEL_UNAVAILABLE' });
    expect(r.text).toContain('nonsense');
    expect((await h.call('experience_stats')).data).toMatchObject({
      embedder: { status: 'unavailable', configured: null },
    });
    expect(await h.count('experiences')).toBe(0);
  });

  it('embeds identical text once: search then record, and records in two threads', async () => {
    const embedder = countingEmbedder(createHashEmbedder(), 'openai-compatible:fake-embedding');
    h = await harness({ embedder });
    await h.call('experience_record', { content: 'seed text so the memory is not empty', role: 'user' });
    embedder.calls.length = 0;
    const cacheRows = await h.count('server_cache');
    await h.call('experience_search', { query: 'What is the capital of Peru?' });
    // Search writes nothing, not even the cache.
    expect(await h.count('server_cache')).toBe(cacheRows);
    await h.call('experience_record', {
      content: 'What is the capital of Peru?',
      role: 'user',
      thread_id: 'a',
    });
    await h.call('experience_record', {
      content: 'What is the capital of Peru?',
      role: 'user',
      thread_id: 'b',
    });
    // A provider embedder gets the text as it is, once.
    expect(embedder.calls).toEqual(['What is the capital of Peru?']);
    expect(await h.count('server_cache')).toBe(cacheRows + 1);

    // Another server process on the same file has an empty memo but finds the persisted cache.
    const second = countingEmbedder(createHashEmbedder(), 'openai-compatible:fake-embedding');
    other = await harness({ dataDir: h.dataDir, embedder: second });
    await other.call('experience_record', {
      content: 'What is the capital of Peru?',
      role: 'user',
      thread_id: 'c',
    });
    expect(second.calls).toEqual([]);
  });

  it('memoises the built-in embedder in memory only: hashing is cheaper than a cache row', async () => {
    const embedder = countingEmbedder();
    h = await harness({ embedder });
    await h.call('experience_search', { query: 'What is the capital of Peru?' });
    await h.call('experience_record', { content: 'What is the capital of Peru?', role: 'user' });
    // The built-in embedder is fed content words only (see content-words.ts).
    expect(embedder.calls).toEqual(['capital peru']);
    expect(await h.count('server_cache')).toBe(0);
  });
});
