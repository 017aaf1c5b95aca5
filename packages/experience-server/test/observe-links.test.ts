import { samplingText } from '@choir/server-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function seed(): Promise<void> {
  for (const content of [
    'Coffee contains caffeine, which keeps people awake.',
    'Green tea has less caffeine than coffee.',
    'The Eiffel Tower is in Paris.',
  ]) {
    await h.call('experience_record', { content, role: 'user', thread_id: 't' });
  }
  await h.call('experience_record', {
    content: 'Caffeine in coffee and tea blocks adenosine, so coffee drinkers feel awake.',
    role: 'assistant',
    thread_id: 't',
  });
}

describe('experience_observe without a model', () => {
  it('tags by keywords and links every prior with "relates" weighted by similarity, and saves them', async () => {
    h = await harness();
    await seed();
    const r = await h.call<{ tags: string[]; links: { target_id: string; type: string; weight: number }[] }>(
      'experience_observe',
      { experience_id: 'exp_4', prior_ids: ['exp_1', 'exp_3'] },
    );
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({
      generated: false,
      persisted: true,
      dropped_links: [],
      tags: ['coffee', 'caffeine', 'tea', 'blocks', 'adenosine'],
    });
    expect(r.data.links.map((l) => [l.target_id, l.type])).toEqual([
      ['exp_1', 'relates'],
      ['exp_3', 'relates'],
    ]);
    const [coffee, paris] = r.data.links;
    expect(coffee!.weight).toBeGreaterThan(paris!.weight);
    expect(paris!.weight).toBeGreaterThanOrEqual(0);
    expect(r.text).toContain('without a model');

    const links = await h.call<{ edges: unknown[] }>('experience_links', { id: 'exp_4' });
    expect(links.data.edges).toEqual([
      { source_id: 'exp_4', target_id: 'exp_1', type: 'relates', weight: coffee!.weight },
      { source_id: 'exp_4', target_id: 'exp_3', type: 'relates', weight: paris!.weight },
    ]);
    const got = await h.call<{ experiences: { tags: string[] }[] }>('experience_get', { ids: ['exp_4'] });
    expect(got.data.experiences[0]!.tags).toEqual(['coffee', 'caffeine', 'tea', 'blocks', 'adenosine']);
    // Tags are searchable.
    const search = await h.call<{ priors: { id: string }[] }>('experience_search', {
      query: 'adenosine',
      mode: 'keyword',
    });
    expect(search.data.priors.map((p) => p.id)).toEqual(['exp_4']);
  });

  it('observes unstored content without persisting anything', async () => {
    h = await harness();
    await seed();
    const before = await h.count('experience_links');
    const r = await h.call('experience_observe', {
      content: 'Does coffee keep you awake?',
      prior_ids: ['exp_1'],
    });
    expect(r.data).toMatchObject({ generated: false, persisted: false, tags: ['coffee', 'keep', 'awake'] });
    expect((r.data.links as unknown[]).length).toBe(1);
    expect(await h.count('experience_links')).toBe(before);
  });

  it.each([
    [
      'both content and experience_id',
      { content: 'x', experience_id: 'exp_1', prior_ids: [] },
      'INVALID_INPUT',
    ],
    ['neither content nor experience_id', { prior_ids: ['exp_1'] }, 'INVALID_INPUT'],
    ['an unknown experience', { experience_id: 'exp_99', prior_ids: [] }, 'NOT_FOUND'],
    ['an unknown prior', { experience_id: 'exp_4', prior_ids: ['exp_1', 'exp_77'] }, 'NOT_FOUND'],
    ['a link to itself', { experience_id: 'exp_4', prior_ids: ['exp_4'] }, 'INVALID_INPUT'],
  ])('refuses %s and writes nothing', async (_what, args, code) => {
    h = await harness();
    await seed();
    const tagsBefore = await h.call('experience_get', { ids: ['exp_4'] });
    const r = await h.call('experience_observe', args);
    expect(r).toMatchObject({ isError: true, code });
    expect(await h.count('experience_links')).toBe(0);
    expect(await h.call('experience_get', { ids: ['exp_4'] })).toEqual(tagsBefore);
  });
});

describe('experience_observe with a model (MCP sampling)', () => {
  it('uses the model’s tags and typed links, drops links to ids that were not given, and saves them', async () => {
    const prompts: string[] = [];
    h = await harness({
      sampling: async (params) => {
        const first = params.messages[0]!.content as { text: string };
        prompts.push(first.text);
        return samplingText(
          JSON.stringify({
            tags: ['Caffeine', 'sleep science'],
            links: [
              { target_id: 'exp_1', type: 'supports', weight: 0.9 },
              { target_id: '[exp_2]', type: 'elaborates', weight: 0.6 },
              { target_id: 'exp_3', type: 'contradicts', weight: 0.1 },
            ],
          }),
        );
      },
    });
    await seed();
    const r = await h.call('experience_observe', { experience_id: 'exp_4', prior_ids: ['exp_1', 'exp_2'] });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      tags: ['caffeine', 'sleep-science'],
      links: [
        { target_id: 'exp_1', type: 'supports', weight: 0.9 },
        { target_id: 'exp_2', type: 'elaborates', weight: 0.6 },
      ],
      generated: true,
      model: 'scripted-model',
      persisted: true,
      dropped_links: ['exp_3'],
    });
    expect(prompts[0]).toContain('[exp_1] (user) Coffee contains caffeine');
    expect(prompts[0]).toContain('Caffeine in coffee and tea blocks adenosine');
    const links = await h.call<{ edges: { type: string }[] }>('experience_links', { id: 'exp_4' });
    expect(links.data.edges.map((e) => e.type)).toEqual(['supports', 'elaborates']);
  });

  it('takes the no-model path when asked to, even with a model', async () => {
    let asked = 0;
    h = await harness({
      sampling: async () => {
        asked++;
        return samplingText('{}');
      },
    });
    await seed();
    const r = await h.call('experience_observe', {
      experience_id: 'exp_4',
      prior_ids: ['exp_1'],
      use_model: false,
    });
    expect(r.data.generated).toBe(false);
    expect(asked).toBe(0);
  });

  it('reports a model that keeps answering garbage, without falling back and without saving', async () => {
    h = await harness({ sampling: async () => samplingText('I would rather not answer in JSON.') });
    await seed();
    const r = await h.call('experience_observe', { experience_id: 'exp_4', prior_ids: ['exp_1'] });
    expect(r.isError).toBe(true);
    expect(r.code).toBe('MODEL_UNAVAILABLE');
    expect(await h.count('experience_links')).toBe(0);
  });
});

describe('experience_links', () => {
  it('walks links and citations in both directions, to depth 2, capped by limit', async () => {
    h = await harness();
    for (let i = 1; i <= 5; i++)
      await h.call('experience_record', { content: `note number ${i} about topic ${i * 7}`, role: 'user' });
    // exp_2 → exp_1 (link), exp_3 cites exp_2, exp_4 → exp_3 (link); exp_5 is unconnected.
    await h.call('experience_observe', { experience_id: 'exp_2', prior_ids: ['exp_1'] });
    await h.call('experience_cite', { citing_id: 'exp_3', cited_ids: ['exp_2'] });
    await h.call('experience_observe', { experience_id: 'exp_4', prior_ids: ['exp_3'] });

    const one = await h.call<{
      nodes: { id: string; depth: number }[];
      edges: { source_id: string; type: string }[];
      truncated: boolean;
    }>('experience_links', { id: 'exp_2' });
    expect(one.data.nodes.map((n) => [n.id, n.depth]).sort()).toEqual([
      ['exp_1', 1],
      ['exp_2', 0],
      ['exp_3', 1],
    ]);
    expect(one.data.edges.map((e) => `${e.source_id}:${e.type}`).sort()).toEqual([
      'exp_2:relates',
      'exp_3:cites',
    ]);
    expect(one.data.truncated).toBe(false);

    const two = await h.call<{ nodes: { id: string; depth: number }[]; edges: unknown[] }>(
      'experience_links',
      {
        id: 'exp_2',
        depth: 2,
      },
    );
    expect(two.data.nodes.map((n) => [n.id, n.depth]).sort()).toEqual([
      ['exp_1', 1],
      ['exp_2', 0],
      ['exp_3', 1],
      ['exp_4', 2],
    ]);
    expect(two.data.edges).toHaveLength(3);

    const capped = await h.call<{ edges: unknown[]; truncated: boolean }>('experience_links', {
      id: 'exp_2',
      depth: 2,
      limit: 2,
    });
    expect(capped.data.edges).toHaveLength(2);
    expect(capped.data.truncated).toBe(true);

    const alone = await h.call('experience_links', { id: 'exp_5', depth: 2 });
    expect(alone.data).toMatchObject({ edges: [], truncated: false });
  });

  it('refuses unknown ids and depths beyond 2', async () => {
    h = await harness();
    expect(await h.call('experience_links', { id: 'exp_1' })).toMatchObject({
      isError: true,
      code: 'NOT_FOUND',
    });
    expect(await h.call('experience_links', { id: 'exp_1', depth: 3 })).toMatchObject({
      isError: true,
      code: 'INVALID_INPUT',
    });
  });
});
