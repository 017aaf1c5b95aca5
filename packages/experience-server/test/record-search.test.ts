import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const TOOLS = [
  'experience_cite',
  'experience_delete',
  'experience_get',
  'experience_links',
  'experience_observe',
  'experience_record',
  'experience_reindex',
  'experience_rewards',
  'experience_search',
  'experience_stats',
];

describe('tool list', () => {
  it('offers every tool with the experience_ prefix, output schemas and truthful annotations', async () => {
    h = await harness();
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^experience_[a-z0-9_]{1,53}$/);
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description?.length).toBeGreaterThan(40);
    }
    const readOnly = tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name);
    expect(readOnly.sort()).toEqual([
      'experience_get',
      'experience_links',
      'experience_rewards',
      'experience_search',
      'experience_stats',
    ]);
    const destructive = tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name);
    expect(destructive).toEqual(['experience_delete']);
  });
});

describe('experience_record', () => {
  it('stores a first message as fully novel, with the capped reward, and ledgers the reward', async () => {
    h = await harness();
    const r = await h.call('experience_record', {
      content: 'The lighthouse keeper logs every passing ship.',
      role: 'user',
      thread_id: 't1',
      author: 'ana',
      phase: 'action',
      metadata: { source: 'test' },
      tags: ['Lighthouses', 'ships'],
    });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      id: 'exp_1',
      duplicate: false,
      max_similarity: 0,
      novelty: 1,
      novelty_reward: 100,
      nearest_id: null,
      // The first tick went to creating the vector space.
      created_at: '2025-03-01T10:00:01.000Z',
    });
    expect(r.text).toContain('exp_1');
    const got = await h.call('experience_get', { ids: ['exp_1'] });
    expect(got.data).toEqual({
      experiences: [
        {
          id: 'exp_1',
          content: 'The lighthouse keeper logs every passing ship.',
          role: 'user',
          phase: 'action',
          thread_id: 't1',
          author: 'ana',
          metadata: { source: 'test' },
          tags: ['lighthouses', 'ships'],
          max_similarity: 0,
          novelty: 1,
          novelty_reward: 100,
          created_at: '2025-03-01T10:00:01.000Z',
        },
      ],
    });
    const rewards = await h.call('experience_rewards', {});
    expect(rewards.data).toMatchObject({
      totals: { total: 100, count: 1, by_author: [{ author: 'ana', total: 100 }] },
    });
  });

  it('returns the existing id for a near-identical repeat in the same thread and writes nothing', async () => {
    h = await harness();
    const first = await h.call('experience_record', {
      content: 'Tides follow the moon.',
      role: 'user',
      thread_id: 't',
    });
    const again = await h.call('experience_record', {
      content: '  tides FOLLOW the   moon. ',
      role: 'user',
      thread_id: 't',
    });
    expect(again.data).toMatchObject({ id: first.data.id, duplicate: true, novelty_reward: 0 });
    expect(again.data.max_similarity).toBeGreaterThanOrEqual(0.98);
    expect(await h.count('experiences')).toBe(1);
    expect(await h.count('experience_rewards')).toBe(1);
    // Another thread is another conversation: stored, but it earns nothing for saying it again.
    const elsewhere = await h.call('experience_record', {
      content: 'Tides follow the moon.',
      role: 'user',
      thread_id: 'u',
    });
    expect(elsewhere.data).toMatchObject({
      id: 'exp_2',
      duplicate: false,
      max_similarity: 1,
      novelty: 0,
      novelty_reward: 0,
    });
    expect(elsewhere.data.nearest_id).toBe('exp_1');
    // Punctuation is part of the text: not a duplicate, though nearly as similar.
    const punctuated = await h.call('experience_record', {
      content: 'Tides follow the moon?',
      role: 'user',
      thread_id: 't',
    });
    expect(punctuated.data.duplicate).toBe(false);
  });

  it('rewards a paraphrase less than a new topic', async () => {
    h = await harness();
    await h.call('experience_record', {
      content: 'Sourdough bread needs a lively starter and a long rise.',
      role: 'user',
    });
    const paraphrase = await h.call('experience_record', {
      content: 'A sourdough bread needs a lively starter and a slow rise.',
      role: 'user',
    });
    const fresh = await h.call('experience_record', {
      content: 'Jupiter has dozens of moons.',
      role: 'user',
    });
    const p = paraphrase.data as { max_similarity: number; novelty_reward: number };
    const f = fresh.data as { max_similarity: number; novelty_reward: number };
    expect(p.max_similarity).toBeGreaterThan(0.5);
    expect(p.max_similarity).toBeLessThan(0.98);
    expect(f.max_similarity).toBeLessThan(p.max_similarity);
    expect(f.novelty_reward).toBeGreaterThan(p.novelty_reward);
  });

  it('stores caller links to existing experiences', async () => {
    h = await harness();
    await h.call('experience_record', { content: 'Cats sleep sixteen hours a day.', role: 'user' });
    const r = await h.call('experience_record', {
      content: 'Kittens sleep even more than adult cats.',
      role: 'assistant',
      links: [{ target_id: 'exp_1', type: 'elaborates', weight: 0.8 }],
    });
    expect(r.isError).toBe(false);
    const links = await h.call('experience_links', { id: 'exp_2' });
    expect(links.data.edges).toEqual([
      { source_id: 'exp_2', target_id: 'exp_1', type: 'elaborates', weight: 0.8 },
    ]);
  });

  it.each([
    ['empty content', { content: '', role: 'user' }, 'INVALID_INPUT'],
    ['blank content', { content: ' \n\t ', role: 'user' }, 'INVALID_INPUT'],
    ['oversized content', { content: 'x'.repeat(32_001), role: 'user' }, 'INVALID_INPUT'],
    ['content over the server-wide limit', { content: 'x'.repeat(100_001), role: 'user' }, 'INVALID_INPUT'],
    ['a bad role', { content: 'hi', role: 'User Person' }, 'INVALID_INPUT'],
    ['an unknown phase', { content: 'hi', role: 'user', phase: 'dreaming' }, 'INVALID_INPUT'],
    ['huge metadata', { content: 'hi', role: 'user', metadata: { blob: 'x'.repeat(9000) } }, 'INVALID_INPUT'],
    [
      'too many tags',
      { content: 'hi', role: 'user', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      'INVALID_INPUT',
    ],
    [
      'a link to an unknown id',
      { content: 'hi', role: 'user', links: [{ target_id: 'exp_9', type: 'relates', weight: 1 }] },
      'NOT_FOUND',
    ],
    [
      'a link to a malformed id',
      { content: 'hi', role: 'user', links: [{ target_id: 'nine', type: 'relates', weight: 1 }] },
      'NOT_FOUND',
    ],
    [
      'a link weight above 1',
      { content: 'hi', role: 'user', links: [{ target_id: 'exp_1', type: 'relates', weight: 2 }] },
      'INVALID_INPUT',
    ],
  ])('refuses %s and writes nothing', async (_what, args, code) => {
    h = await harness();
    const r = await h.call('experience_record', args);
    expect(r.isError).toBe(true);
    expect(r.code).toBe(code);
    expect(r.text).toMatch(new RegExp(`^${code}: `));
    for (const table of [
      'experiences',
      'experience_links',
      'experience_rewards',
      'server_cache',
      'server_state',
    ]) {
      expect(await h.count(table)).toBe(0);
    }
  });
});

describe('experience_search', () => {
  async function seed(): Promise<void> {
    const docs: [string, string, string][] = [
      ['Photosynthesis turns sunlight, water and carbon dioxide into sugar in plant leaves.', 'user', 'bio'],
      ['The mitochondria is where cells burn sugar for energy.', 'assistant', 'bio'],
      ['Interest rates rose again, and mortgage payments followed.', 'user', 'money'],
      ['Compound interest grows savings faster the longer they are left alone.', 'assistant', 'money'],
      ['Leaves change colour in autumn as chlorophyll breaks down.', 'user', 'bio'],
    ];
    for (const [content, role, thread_id] of docs) {
      const r = await h.call('experience_record', { content, role, thread_id });
      expect(r.isError).toBe(false);
    }
  }

  it('returns an empty result on an empty memory without writing anything', async () => {
    h = await harness();
    const r = await h.call('experience_search', { query: 'anything at all' });
    expect(r.data).toEqual({ priors: [], max_similarity: 0, novelty: 1, mode: 'hybrid' });
    expect(await h.count('server_state')).toBe(0);
  });

  it('fuses vector and keyword rankings and reports component scores', async () => {
    h = await harness();
    await seed();
    const r = await h.call<{
      priors: Record<string, unknown>[];
      max_similarity: number;
      novelty: number;
      mode: string;
    }>('experience_search', { query: 'how do plant leaves make sugar from sunlight', top_k: 3 });
    expect(r.isError).toBe(false);
    expect(r.data.mode).toBe('hybrid');
    expect(r.data.priors).toHaveLength(3);
    const top = r.data.priors[0]!;
    expect(top).toMatchObject({
      id: 'exp_1',
      role: 'user',
      thread_id: 'bio',
      phase: null,
      author: null,
      truncated: false,
      content: 'Photosynthesis turns sunlight, water and carbon dioxide into sugar in plant leaves.',
      created_at: '2025-03-01T10:00:01.000Z',
    });
    const scores = top.scores as { vector: number; keyword: number; fused: number };
    // Ranked first by both lists: 2 / (60 + 1).
    expect(scores.fused).toBe(Number((2 / 61).toFixed(6)));
    expect(top.score).toBe(scores.fused);
    expect(scores.vector).toBeGreaterThan(0.3);
    expect(scores.keyword).toBeGreaterThan(0);
    expect(r.data.max_similarity).toBe(scores.vector);
    expect(r.data.novelty).toBe(Number((1 - r.data.max_similarity).toFixed(6)));
    expect(r.text).toContain('[exp_1]');
  });

  it('ranks by one list in vector and keyword modes', async () => {
    h = await harness();
    await seed();
    const vector = await h.call<{
      priors: { id: string; score: number; scores: { vector: number; fused?: number } }[];
    }>('experience_search', { query: 'interest on savings', mode: 'vector', top_k: 5 });
    const scores = vector.data.priors.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(vector.data.priors.every((p) => p.score === p.scores.vector && p.scores.fused === undefined)).toBe(
      true,
    );
    const keyword = await h.call<{
      priors: { id: string; score: number; scores: { keyword: number; vector: number } }[];
    }>('experience_search', { query: 'interest', mode: 'keyword', top_k: 5 });
    expect(keyword.data.priors.map((p) => p.id).sort()).toEqual(['exp_3', 'exp_4']);
    for (const p of keyword.data.priors) {
      expect(p.score).toBe(p.scores.keyword);
      expect(typeof p.scores.vector).toBe('number');
    }
  });

  it('filters by thread, by min_relevance and by top_k', async () => {
    h = await harness();
    await seed();
    const inThread = await h.call<{ priors: { thread_id: string }[]; max_similarity: number }>(
      'experience_search',
      {
        query: 'sugar and energy',
        thread_id: 'money',
        top_k: 10,
      },
    );
    expect(inThread.data.priors.length).toBeGreaterThan(0);
    expect(inThread.data.priors.every((p) => p.thread_id === 'money')).toBe(true);
    // Novelty is against everything stored, not just the thread.
    const global = await h.call<{ max_similarity: number }>('experience_search', {
      query: 'sugar and energy',
    });
    expect(inThread.data.max_similarity).toBe(global.data.max_similarity);

    const all = await h.call<{ priors: { scores: { vector: number } }[] }>('experience_search', {
      query: 'sugar in leaves',
      top_k: 10,
    });
    const strict = await h.call<{ priors: { scores: { vector: number } }[] }>('experience_search', {
      query: 'sugar in leaves',
      top_k: 10,
      min_relevance: 0.2,
    });
    expect(strict.data.priors.length).toBeLessThan(all.data.priors.length);
    expect(strict.data.priors.every((p) => p.scores.vector >= 0.2)).toBe(true);
    const one = await h.call<{ priors: unknown[] }>('experience_search', { query: 'sugar', top_k: 1 });
    expect(one.data.priors).toHaveLength(1);
  });

  it('shortens long content to a preview', async () => {
    h = await harness();
    const long = `${'word '.repeat(400)}end`;
    await h.call('experience_record', { content: long, role: 'user' });
    const r = await h.call<{ priors: { content: string; truncated: boolean }[] }>('experience_search', {
      query: 'word',
      max_chars: 100,
    });
    expect(r.data.priors[0]!.truncated).toBe(true);
    expect(Array.from(r.data.priors[0]!.content).length).toBeLessThanOrEqual(101);
  });

  it('never turns query text into an FTS error', async () => {
    h = await harness();
    await seed();
    for (const query of ['"', 'NEAR(', 'a AND OR NOT', 'x* ^y col:z', '(((', '?!', 'C++ "sugar"']) {
      const r = await h.call('experience_search', { query, mode: 'keyword' });
      expect(r.isError, query).toBe(false);
    }
  });

  it.each([
    ['top_k 0', { query: 'x', top_k: 0 }],
    ['top_k 51', { query: 'x', top_k: 51 }],
    ['a fractional top_k', { query: 'x', top_k: 2.5 }],
    ['an empty query', { query: '   ' }],
    ['an unknown mode', { query: 'x', mode: 'fuzzy' }],
    ['min_relevance above 1', { query: 'x', min_relevance: 1.5 }],
  ])('refuses %s', async (_what, args) => {
    h = await harness();
    const r = await h.call('experience_search', args);
    expect(r).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
  });
});
