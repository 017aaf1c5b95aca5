import { createHashEmbedder } from '@choir/llm';
import { callTool } from '@choir/server-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, type Harness, harness, rowCounts } from './helpers.js';

let h: Harness;
afterEach(async () => h?.close());

interface Recalled {
  memories: {
    id: string;
    persona_id: string;
    content: string;
    importance: number;
    access_count: number;
    keyword_rank: number | null;
    vector_rank: number | null;
    similarity: number | null;
    score: number;
  }[];
}

async function remember(persona: string, content: string, extra: Record<string, unknown> = {}) {
  const r = await callTool<{ memory_id: string; duplicate: boolean; pruned: string[]; memory_count: number }>(
    h.client,
    'persona_remember',
    { persona, content, ...extra },
  );
  expect(r.isError, r.text).toBe(false);
  return r.data;
}

async function recall(args: Record<string, unknown>) {
  const r = await callTool<Recalled>(h.client, 'persona_recall', args);
  expect(r.isError, r.text).toBe(false);
  return r.data.memories;
}

describe('persona_remember', () => {
  it('stores a memory once, with its vector', async () => {
    h = await harness();
    const first = await remember('aria', 'The harbour town of Vell smells of tar and oranges.');
    expect(first).toMatchObject({ duplicate: false, pruned: [], pruned_count: 0, memory_count: 1 });
    expect(first.memory_id).toMatch(/^mem_[0-9a-f]{16}$/);
    const again = await remember('aria', '  The harbour town of Vell smells of tar and oranges.  ');
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await rowCounts(h.store)).toMatchObject({ memories: 1, memory_vectors: 1 });
  });

  it('rejects bad input and writes nothing', async () => {
    h = await harness();
    const before = await rowCounts(h.store);
    const cases: [Record<string, unknown>, string][] = [
      [{ persona: 'aria', content: '?! …' }, 'INVALID_INPUT'],
      [{ persona: 'aria', content: '' }, 'INVALID_INPUT'],
      [{ persona: 'aria', content: 'x', importance: 2 }, 'INVALID_INPUT'],
      [{ persona: 'aria', content: 'x', emotional_valence: -1.5 }, 'INVALID_INPUT'],
      [{ persona: 'aria', content: 'x', memory_type: 'dream' }, 'INVALID_INPUT'],
      [{ persona: 'aria', content: 'x', visibility: 'secret' }, 'INVALID_INPUT'],
      [{ persona: 'nobody', content: 'x' }, 'NOT_FOUND'],
    ];
    for (const [args, code] of cases) {
      expect(await callTool(h.client, 'persona_remember', args), JSON.stringify(args)).toMatchObject({
        isError: true,
        code,
      });
    }
    expect(await rowCounts(h.store)).toEqual(before);
    expect(before.memory_vectors).toBeUndefined();
  });
});

describe('persona_recall', () => {
  it('fuses keyword and vector ranks, and counts each recall as an access', async () => {
    h = await harness();
    const sea = await remember('aria', 'I sang sea shanties with the sailors of Vell until dawn.');
    await remember('aria', 'Kira lent me a book about star charts.');
    await remember('aria', 'My lute has a cracked bridge that needs mending.');
    const hits = await recall({ persona: 'aria', query: 'sailors and shanties' });
    expect(hits[0]).toMatchObject({ id: sea.memory_id, keyword_rank: 1, vector_rank: 1, access_count: 1 });
    expect(hits[0]!.score).toBe(Math.round((2 / 61) * 1e4) / 1e4);
    expect(hits[0]!.similarity).toBeGreaterThan(0.3);
    const again = await recall({ persona: 'aria', query: 'sailors and shanties', limit: 1 });
    expect(again.map((m) => [m.id, m.access_count])).toEqual([[sea.memory_id, 2]]);
  });

  it('finds word fragments by vector that keyword search misses', async () => {
    h = await harness();
    const sailing = await remember('kira', 'Catalogued the sailing logbooks from the northern fleet.');
    expect(await recall({ persona: 'kira', query: 'logbook', mode: 'keyword' })).toEqual([]);
    const byVector = await recall({ persona: 'kira', query: 'logbook', mode: 'vector' });
    expect(byVector.map((m) => m.id)).toEqual([sailing.memory_id]);
    expect(byVector[0]).toMatchObject({ keyword_rank: null, vector_rank: 1 });
  });

  it('filters by type, visibility and current (decayed) importance', async () => {
    h = await harness();
    const fact = await remember('kira', 'The archive opens at nine.', {
      memory_type: 'semantic',
      importance: 0.5,
    });
    const feeling = await remember('kira', 'The archive at night feels lonely.', {
      memory_type: 'emotional',
      importance: 0.95,
      visibility: 'public',
    });
    const types = await recall({ persona: 'kira', query: 'archive', memory_types: ['semantic'] });
    expect(types.map((m) => m.id)).toEqual([fact.memory_id]);
    const publicOnly = await recall({ persona: 'kira', query: 'archive', visibility: ['public'] });
    expect(publicOnly.map((m) => m.id)).toEqual([feeling.memory_id]);

    h.clock.now += 60 * DAY; // 0.5 → 0.1 + 0.4·0.25 = 0.2; 0.95 is protected
    const important = await recall({ persona: 'kira', query: 'archive', min_importance: 0.25 });
    expect(important.map((m) => [m.id, m.importance])).toEqual([[feeling.memory_id, 0.95]]);
    const all = await recall({ persona: 'kira', query: 'archive opens', mode: 'keyword' });
    expect(all.find((m) => m.id === fact.memory_id)?.importance).toBe(0.2);
  });

  it("shows other personas' public memories, and shared ones only after they have met", async () => {
    h = await harness();
    const pub = await remember('kira', 'Public notice: the library closes for the winter festival.', {
      visibility: 'public',
    });
    const shared = await remember('kira', 'Between us: the library roof leaks above the east wing.', {
      visibility: 'shared',
    });
    await remember('kira', 'Private: I hid the library key under the third stair.');
    const own = await recall({ persona: 'aria', query: 'library' });
    expect(own).toEqual([]);
    const strangers = await recall({
      persona: 'aria',
      query: 'library',
      include_others: true,
      mode: 'keyword',
    });
    expect(strangers.map((m) => m.id)).toEqual([pub.memory_id]);
    await callTool(h.client, 'persona_record_interaction', { persona: 'kira', with: 'aria', quality: 0.8 });
    const friends = await recall({
      persona: 'aria',
      query: 'library',
      include_others: true,
      mode: 'keyword',
    });
    expect(friends.map((m) => m.id).sort()).toEqual([pub.memory_id, shared.memory_id].sort());
    expect(friends.every((m) => m.persona_id === 'kira')).toBe(true);
  });

  it('rejects a query without words, and unknown personas, writing nothing', async () => {
    h = await harness();
    await remember('aria', 'Something to find.');
    const before = await rowCounts(h.store);
    expect(await callTool(h.client, 'persona_recall', { persona: 'aria', query: '!!!' })).toMatchObject({
      isError: true,
      code: 'INVALID_INPUT',
    });
    expect(await callTool(h.client, 'persona_recall', { persona: 'x', query: 'find' })).toMatchObject({
      isError: true,
      code: 'NOT_FOUND',
    });
    expect(
      await callTool(h.client, 'persona_recall', { persona: 'aria', query: 'find', limit: 51 }),
    ).toMatchObject({
      isError: true,
      code: 'INVALID_INPUT',
    });
    expect(await rowCounts(h.store)).toEqual(before);
  });
});

describe('memory upkeep', () => {
  it('prunes the least valuable memory past the cap, protecting recent ones', async () => {
    h = await harness({ env: { PERSONA_MEMORY_CAP: '3' } });
    const low = await remember('aria', 'A forgettable tune about turnips.', { importance: 0.2 });
    const mid = await remember('aria', 'The innkeeper at Vell owes me a song.', { importance: 0.5 });
    const high = await remember('aria', 'My teacher taught me to listen before singing.', {
      importance: 0.8,
    });
    h.clock.now += 2 * DAY;
    const fourth = await remember('aria', 'Met a scholar named Kira in the archive.', { importance: 0.1 });
    expect(fourth).toMatchObject({ pruned: [low.memory_id], pruned_count: 1, memory_count: 3 });
    const left = await recall({
      persona: 'aria',
      query: 'turnips innkeeper teacher scholar',
      mode: 'keyword',
      limit: 10,
    });
    expect(left.map((m) => m.id).sort()).toEqual([mid.memory_id, high.memory_id, fourth.memory_id].sort());
  });

  it('persists decay on demand and reports what it did', async () => {
    h = await harness();
    await remember('kira', 'A minor footnote.', { importance: 0.5 });
    await remember('kira', 'The founding charter of the library.', { importance: 0.9 });
    h.clock.now += 30 * DAY;
    const r = await callTool(h.client, 'persona_memory_upkeep', { persona: 'kira' });
    expect(r.data).toEqual({
      cap: 500,
      personas: [
        { persona_id: 'kira', decayed: 1, pruned: [], pruned_count: 0, remaining: 2, over_cap_protected: 0 },
      ],
    });
    const stored = await h.store.db
      .selectFrom('memories')
      .select(['content', 'importance'])
      .orderBy('seq')
      .execute();
    expect(stored).toEqual([
      { content: 'A minor footnote.', importance: 0.3 },
      { content: 'The founding charter of the library.', importance: 0.9 },
    ]);
    const everyone = await callTool<{ personas: { persona_id: string }[] }>(
      h.client,
      'persona_memory_upkeep',
      {},
    );
    expect(everyone.data.personas.map((p) => p.persona_id)).toEqual(['aria', 'kira']);
  });

  it('forgets a memory by id, only its own', async () => {
    h = await harness();
    const m = await remember('aria', 'Temporary thought.');
    expect(
      await callTool(h.client, 'persona_forget', { persona: 'kira', memory_id: m.memory_id }),
    ).toMatchObject({
      isError: true,
      code: 'NOT_FOUND',
    });
    const r = await callTool(h.client, 'persona_forget', { persona: 'aria', memory_id: m.memory_id });
    expect(r.data).toEqual({ persona_id: 'aria', memory_id: m.memory_id, deleted: true });
    expect(await rowCounts(h.store)).toMatchObject({ memories: 0, memory_vectors: 0 });
  });
});

describe('embedder identity', () => {
  it('refuses to mix vectors from a different embedder, but keyword recall still works', async () => {
    h = await harness();
    await remember('aria', 'A memory embedded with the default embedder.');
    const { dataDir } = h;
    await h.close();
    h = await harness({ dataDir, embedder: createHashEmbedder({ dimension: 64 }) });
    const before = await rowCounts(h.store);
    const r = await callTool(h.client, 'persona_remember', { persona: 'aria', content: 'Another memory.' });
    expect(r).toMatchObject({ isError: true, code: 'CONFLICT' });
    expect(r.text).toContain('choir-hash-v1 (384 dimensions)');
    expect(r.text).toContain('(64 dimensions)');
    expect(await rowCounts(h.store)).toEqual(before);
    expect(await callTool(h.client, 'persona_recall', { persona: 'aria', query: 'memory' })).toMatchObject({
      code: 'CONFLICT',
    });
    expect(await recall({ persona: 'aria', query: 'memory', mode: 'keyword' })).toHaveLength(1);
  });
});
