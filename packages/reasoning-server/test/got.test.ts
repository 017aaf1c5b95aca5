import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, scriptedModel } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

interface Init {
  session_id: string;
  root_node_id: string;
  config: { max_nodes: number; max_depth: number };
}
interface Nodes {
  nodes: { node_id: string; content: string; depth: number; generated: boolean }[];
  generated: boolean;
}
interface State {
  root_node_id: string | null;
  counts: { nodes: number; active: number; pruned: number; edges: number };
  terminal_node_id: string | null;
  nodes: { node_id: string; status: string; score: number | null; node_type: string }[];
  edges: { from_node_id: string; to_node_id: string; edge_type: string }[];
  next_cursor: string | null;
}
interface Finalize {
  best_path: { node_id: string; content: string; score: number | null }[];
  best_node_id: string;
  best_score: number;
  path_score: number;
  conclusion: string;
}

describe('graph of thoughts with a model', () => {
  it('generates, scores, aggregates, refines and finalizes, each through its own purpose', async () => {
    const scores: Record<string, number> = { 'idea A': 0.4, 'idea B': 0.7, 'A+B': 0.8, 'A+B, sharper': 0.95 };
    const model = scriptedModel({
      got_generate: {
        thoughts: [
          { content: 'idea A', confidence: 0.5 },
          { content: 'idea B', confidence: 0.6 },
        ],
      },
      got_score: (params: { messages: { content: { text?: string } }[] }) => {
        const prompt = params.messages[0]!.content.text ?? '';
        const thought = prompt.split('Thought to score:\n')[1]!;
        return { score: scores[thought], rationale: `judged ${thought}` };
      },
      got_aggregate: { content: 'A+B', confidence: 0.7 },
      got_refine: { content: 'A+B, sharper', improvement: 'tighter wording' },
    });
    h = await harness({ model });
    const init = await h.ok<Init>('reasoning_got_init', { content: 'How to cut costs?' });
    expect(init.config).toEqual({ max_nodes: 200, max_depth: 8 });
    const gen = await h.ok<Nodes>('reasoning_got_generate', {
      session_id: init.session_id,
      node_id: init.root_node_id,
      k: 2,
    });
    expect(gen.nodes.map((n) => [n.content, n.depth, n.generated])).toEqual([
      ['idea A', 1, true],
      ['idea B', 1, true],
    ]);
    const [a, b] = gen.nodes;
    for (const n of [a!, b!]) {
      await h.ok('reasoning_got_score', { session_id: init.session_id, node_id: n.node_id });
    }
    const agg = await h.ok<{ node: { node_id: string; depth: number }; source_node_ids: string[] }>(
      'reasoning_got_aggregate',
      { session_id: init.session_id, node_ids: [a!.node_id, b!.node_id] },
    );
    expect(agg.node.depth).toBe(2);
    await h.ok('reasoning_got_score', { session_id: init.session_id, node_id: agg.node.node_id });
    const ref = await h.ok<{ node: { node_id: string }; improvement: string }>('reasoning_got_refine', {
      session_id: init.session_id,
      node_id: agg.node.node_id,
    });
    expect(ref.improvement).toBe('tighter wording');
    const scored = await h.ok<{ score: number; rationale: string; generated: boolean }>(
      'reasoning_got_score',
      {
        session_id: init.session_id,
        node_id: ref.node.node_id,
      },
    );
    expect(scored).toMatchObject({ score: 0.95, rationale: 'judged A+B, sharper', generated: true });

    const fin = await h.ok<Finalize>('reasoning_got_finalize', { session_id: init.session_id });
    expect(fin.best_path.map((p) => p.content)).toEqual([
      'How to cut costs?',
      'idea B',
      'A+B',
      'A+B, sharper',
    ]);
    expect(fin).toMatchObject({ best_score: 0.95, path_score: 2.45, conclusion: 'A+B, sharper' });
    expect(model.purposes()).toEqual([
      'got_generate',
      'got_score',
      'got_score',
      'got_aggregate',
      'got_score',
      'got_refine',
      'got_score',
    ]);
    const state = await h.ok<State>('reasoning_got_state', { session_id: init.session_id });
    expect(state.counts).toEqual({ nodes: 5, active: 5, pruned: 0, edges: 5 });
    expect(state.terminal_node_id).toBe(fin.best_node_id);
  });
});

describe('graph of thoughts without a model', () => {
  async function recordedGraph() {
    const init = await h.ok<Init>('reasoning_got_init', { content: 'root', max_nodes: 6, max_depth: 3 });
    const gen = await h.ok<Nodes>('reasoning_got_generate', {
      session_id: init.session_id,
      node_id: init.root_node_id,
      candidates: ['a', 'b', 'c'],
    });
    expect(gen.generated).toBe(false);
    const [a, b, c] = gen.nodes.map((n) => n.node_id) as [string, string, string];
    return { sid: init.session_id, root: init.root_node_id, a, b, c };
  }

  it('records candidates and scores, connects nodes, refuses cycles, prunes and finalizes', async () => {
    h = await harness();
    const g = await recordedGraph();
    const score = (node_id: string, score: number) =>
      h.ok('reasoning_got_score', { session_id: g.sid, node_id, score });
    await score(g.a, 0.2);
    await score(g.b, 0.6);
    await score(g.c, 0.5);
    const edge = await h.ok<{ edge_id: string }>('reasoning_got_connect', {
      session_id: g.sid,
      from_node_id: g.b,
      to_node_id: g.c,
      edge_type: 'supports',
    });
    expect(edge.edge_id).toMatch(/^ge_/);
    const before = await h.rows();
    const cycle = await h.call('reasoning_got_connect', {
      session_id: g.sid,
      from_node_id: g.c,
      to_node_id: g.b,
    });
    expect(cycle.code).toBe('CONFLICT');
    expect(cycle.text).toContain('would create a cycle');
    expect(
      (await h.call('reasoning_got_connect', { session_id: g.sid, from_node_id: g.b, to_node_id: g.c })).code,
    ).toBe('CONFLICT');
    expect(
      (await h.call('reasoning_got_connect', { session_id: g.sid, from_node_id: g.a, to_node_id: g.root }))
        .code,
    ).toBe('CONFLICT');
    expect(await h.rows()).toEqual(before);

    const pruned = await h.ok<{ pruned_node_ids: string[]; active_count: number }>('reasoning_got_prune', {
      session_id: g.sid,
      threshold: 0.3,
    });
    expect(pruned).toEqual({ session_id: g.sid, pruned_node_ids: [g.a], active_count: 3 });

    const fin = await h.ok<Finalize>('reasoning_got_finalize', { session_id: g.sid });
    // b (0.6) is the best node; c (0.5) is reached through b for a higher total.
    expect(fin).toMatchObject({ best_node_id: g.b, best_score: 0.6, path_score: 0.6, conclusion: 'b' });
    expect(fin.best_path.map((p) => p.node_id)).toEqual([g.root, g.b]);

    const page = await h.ok<State>('reasoning_got_state', { session_id: g.sid, limit: 2 });
    expect(page.nodes.map((n) => n.node_type)).toEqual(['root', 'generated']);
    expect(page.edges.map((e) => e.from_node_id)).toEqual([g.root, g.root, g.root]);
    expect(page.next_cursor).not.toBeNull();
    const active = await h.ok<State>('reasoning_got_state', { session_id: g.sid, include_pruned: false });
    expect(active.nodes.map((n) => n.node_id)).toEqual([g.root, g.b, g.c]);
  });

  it('records aggregate and refine content as given', async () => {
    h = await harness();
    const g = await recordedGraph();
    const agg = await h.ok<{ node: { content: string; node_type: string }; generated: boolean }>(
      'reasoning_got_aggregate',
      { session_id: g.sid, node_ids: [g.a, g.b], content: 'a and b' },
    );
    expect(agg).toMatchObject({ node: { content: 'a and b', node_type: 'aggregate' }, generated: false });
    const ref = await h.ok<{ node: { content: string }; improvement: null; generated: boolean }>(
      'reasoning_got_refine',
      {
        session_id: g.sid,
        node_id: g.c,
        content: 'c, better',
      },
    );
    expect(ref).toMatchObject({ node: { content: 'c, better' }, improvement: null, generated: false });
  });

  it('refuses what it cannot do or should not, writing nothing', async () => {
    h = await harness();
    const g = await recordedGraph();
    await h.ok('reasoning_got_prune', { session_id: g.sid, node_ids: [g.c] });
    const plain = await h.ok<{ session_id: string }>('reasoning_linear', { content: 'no graph here' });
    const before = await h.rows();
    const cases: [string, Record<string, unknown>, string][] = [
      ['reasoning_got_generate', { session_id: g.sid, node_id: g.a, k: 1 }, 'MODEL_UNAVAILABLE'],
      ['reasoning_got_score', { session_id: g.sid, node_id: g.a }, 'MODEL_UNAVAILABLE'],
      ['reasoning_got_aggregate', { session_id: g.sid, node_ids: [g.a, g.b] }, 'MODEL_UNAVAILABLE'],
      ['reasoning_got_refine', { session_id: g.sid, node_id: g.a }, 'MODEL_UNAVAILABLE'],
      ['reasoning_got_generate', { session_id: g.sid, node_id: 'gn_nope', candidates: ['x'] }, 'NOT_FOUND'],
      ['reasoning_got_generate', { session_id: 'ses_nope', node_id: g.a, candidates: ['x'] }, 'NOT_FOUND'],
      [
        'reasoning_got_generate',
        { session_id: plain.session_id, node_id: g.a, candidates: ['x'] },
        'CONFLICT',
      ],
      ['reasoning_got_generate', { session_id: g.sid, node_id: g.c, candidates: ['x'] }, 'CONFLICT'], // pruned
      [
        'reasoning_got_generate',
        { session_id: g.sid, node_id: g.a, candidates: ['x', 'y', 'z'] },
        'CONFLICT',
      ], // max_nodes 6
      ['reasoning_got_generate', { session_id: g.sid, node_id: g.a, k: 6 }, 'INVALID_INPUT'],
      ['reasoning_got_score', { session_id: g.sid, node_id: g.a, score: 1.5 }, 'INVALID_INPUT'],
      ['reasoning_got_aggregate', { session_id: g.sid, node_ids: [g.a, g.a], content: 'x' }, 'INVALID_INPUT'],
      ['reasoning_got_aggregate', { session_id: g.sid, node_ids: [g.a] }, 'INVALID_INPUT'],
      ['reasoning_got_connect', { session_id: g.sid, from_node_id: g.a, to_node_id: g.a }, 'INVALID_INPUT'],
      ['reasoning_got_prune', { session_id: g.sid, node_ids: [g.root] }, 'INVALID_INPUT'],
      ['reasoning_got_prune', { session_id: g.sid, threshold: -0.1 }, 'INVALID_INPUT'],
      ['reasoning_got_finalize', { session_id: g.sid }, 'CONFLICT'], // nothing scored
      ['reasoning_got_init', { session_id: g.sid, content: 'again' }, 'CONFLICT'],
      ['reasoning_got_init', { content: 'x', max_nodes: 1 }, 'INVALID_INPUT'],
      ['reasoning_got_state', { session_id: 'ses_nope' }, 'NOT_FOUND'],
    ];
    for (const [tool, args, code] of cases) {
      expect((await h.call(tool, args)).code, `${tool} ${JSON.stringify(args)}`).toBe(code);
    }
    expect({ ...(await h.rows()), invocations: 0 }).toEqual({ ...before, invocations: 0 });
  });

  it('stops growth at max_depth', async () => {
    h = await harness();
    const init = await h.ok<Init>('reasoning_got_init', { content: 'root', max_depth: 1 });
    const gen = await h.ok<Nodes>('reasoning_got_generate', {
      session_id: init.session_id,
      node_id: init.root_node_id,
      candidates: ['a'],
    });
    const r = await h.call('reasoning_got_generate', {
      session_id: init.session_id,
      node_id: gen.nodes[0]!.node_id,
      candidates: ['deeper'],
    });
    expect(r.code).toBe('CONFLICT');
    expect(r.text).toContain('max_depth');
  });
});
