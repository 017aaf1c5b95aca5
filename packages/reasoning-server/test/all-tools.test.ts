/**
 * Every tool, once with a client that answers sampling (a scripted model) and once with no model
 * at all: each succeeds, says truthfully whether it generated, or refuses with MODEL_UNAVAILABLE
 * where that is its documented no-model behaviour. The run must touch every listed tool.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, scriptedModel } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const script = {
  linear: { thought: 'next step', confidence: 0.7, next_thought_needed: true },
  tree: {
    branches: [
      { content: 'email', confidence: 0.6, rationale: 'cheap' },
      { content: 'ads', confidence: 0.5, rationale: 'reach' },
      { content: 'events', confidence: 0.4, rationale: 'trust' },
    ],
    cross_refs: [{ from: 0, to: 1, type: 'alternative', reason: 'both digital', strength: 0.4 }],
    recommended: 0,
  },
  divergent: {
    perspectives: [
      { label: 'customer', content: 'wants clarity', confidence: 0.6 },
      { label: 'finance', content: 'wants low cost', confidence: 0.5 },
      { label: 'sales', content: 'wants leads', confidence: 0.5 },
    ],
    challenged_assumptions: [],
    synthesis: 'clear, cheap, lead-generating',
  },
  reflection: { critique: 'fine', improved: 'a sharper plan', quality: 0.9 },
  auto: { mode: 'linear', reason: 'a single line of steps', confidence: 0.8 },
  got_generate: {
    thoughts: [
      { content: 'g1', confidence: 0.5 },
      { content: 'g2', confidence: 0.5 },
    ],
  },
  got_score: { score: 0.75, rationale: 'solid' },
  got_aggregate: { content: 'g1+g2', confidence: 0.6 },
  got_refine: { content: 'g1+g2 refined', improvement: 'clearer' },
};

async function everyTool(withModel: boolean): Promise<Set<string>> {
  const called = new Set<string>();
  const ok = async <T = Record<string, unknown>>(name: string, args: Record<string, unknown>) => {
    called.add(name);
    return h.ok<T>(name, args);
  };
  const expectGenerated = (result: { generated?: boolean }) => expect(result.generated).toBe(withModel);
  const given = <T>(value: T) => (withModel ? {} : value);

  const step = await ok<{ session_id: string; generated: boolean }>('reasoning_linear', {
    content: 'Plan a launch',
  });
  expectGenerated(step);
  const sid = step.session_id;
  const tree = await ok<{ branches: { branch_id: string }[]; generated: boolean }>('reasoning_tree', {
    content: 'Which channel?',
    session_id: sid,
    ...given({ branches: [{ content: 'email' }, { content: 'ads' }] }),
  });
  expectGenerated(tree);
  await ok('reasoning_tree_focus', { session_id: sid, branch_id: tree.branches[0]!.branch_id });
  await ok('reasoning_tree_list', { session_id: sid });
  await ok('reasoning_tree_complete', {
    session_id: sid,
    branch_id: tree.branches[1]!.branch_id,
    status: 'abandoned',
  });
  expectGenerated(
    await ok('reasoning_divergent', {
      content: 'Who cares about the launch?',
      session_id: sid,
      ...given({ perspectives: [{ content: 'customers' }, { content: 'finance' }] }),
    }),
  );
  called.add('reasoning_reflect');
  const reflect = await h.call('reasoning_reflect', { content: 'a plan', session_id: sid });
  if (withModel) expect(reflect.data).toMatchObject({ generated: true, improved: 'a sharper plan' });
  else expect(reflect.code).toBe('MODEL_UNAVAILABLE');

  const cp = await ok<{ checkpoint_id: string }>('reasoning_checkpoint_create', {
    session_id: sid,
    name: 'mid',
  });
  await ok('reasoning_checkpoint_list', { session_id: sid });
  await ok('reasoning_linear', { content: 'a detour', session_id: sid, record_only: true });
  await ok('reasoning_backtrack', { checkpoint_id: cp.checkpoint_id });
  const auto = await ok<{ mode: string; routed_by: string; executed: boolean; generated: boolean }>(
    'reasoning_auto',
    {
      content: 'Outline the launch steps',
      session_id: sid,
    },
  );
  expect(auto).toMatchObject({ mode: 'linear', routed_by: withModel ? 'model' : 'rule', executed: true });
  expectGenerated(auto);

  const g = await ok<{ session_id: string; root_node_id: string }>('reasoning_got_init', {
    content: 'Launch budget',
  });
  const gen = await ok<{ nodes: { node_id: string }[]; generated: boolean }>('reasoning_got_generate', {
    session_id: g.session_id,
    node_id: g.root_node_id,
    k: 2,
    ...given({ candidates: ['g1', 'g2'] }),
  });
  expectGenerated(gen);
  const [n1, n2] = gen.nodes.map((n) => n.node_id) as [string, string];
  expectGenerated(
    await ok('reasoning_got_score', { session_id: g.session_id, node_id: n1, ...given({ score: 0.75 }) }),
  );
  const agg = await ok<{ node: { node_id: string }; generated: boolean }>('reasoning_got_aggregate', {
    session_id: g.session_id,
    node_ids: [n1, n2],
    ...given({ content: 'g1+g2' }),
  });
  expectGenerated(agg);
  expectGenerated(
    await ok('reasoning_got_refine', {
      session_id: g.session_id,
      node_id: agg.node.node_id,
      ...given({ content: 'refined' }),
    }),
  );
  await ok('reasoning_got_connect', { session_id: g.session_id, from_node_id: n2, to_node_id: n1 });
  await ok('reasoning_got_prune', { session_id: g.session_id, threshold: 0.1 });
  const fin = await ok<{ best_node_id: string }>('reasoning_got_finalize', { session_id: g.session_id });
  expect(fin.best_node_id).toBe(n1);
  await ok('reasoning_got_state', { session_id: g.session_id });

  await ok('reasoning_session_list', {});
  await ok('reasoning_session_get', { session_id: sid });
  const exported = await ok<{ document: Record<string, unknown> }>('reasoning_session_export', {
    session_id: sid,
  });
  await ok('reasoning_session_import', { document: exported.document });
  await ok('reasoning_search', { query: 'launch' });
  const metrics = await ok<{ by_mode: { provider: string }[] }>('reasoning_metrics', {});
  const providers = new Set(metrics.by_mode.map((m) => m.provider));
  expect(providers.has('sampling')).toBe(withModel);
  return called;
}

describe('every tool', () => {
  it.each([
    ['with a scripted model', true],
    ['without any model', false],
  ])('%s', async (_label, withModel) => {
    const model = withModel ? scriptedModel(script) : undefined;
    h = await harness({ model });
    const called = await everyTool(withModel);
    const { tools } = await h.client.listTools();
    expect([...called].sort()).toEqual(tools.map((t) => t.name).sort());
    if (model) {
      expect(new Set(model.purposes())).toEqual(new Set(Object.keys(script)));
    }
  });
});
