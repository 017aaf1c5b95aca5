import { afterEach, describe, expect, it } from 'vitest';
import type { LinearOutput } from '../src/tools/linear.js';
import type { TreeOutput } from '../src/tools/tree.js';
import { type Harness, harness, scriptedModel } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const threeBranches = {
  branches: [
    { content: 'Use SQLite', confidence: 0.8, rationale: 'simple' },
    { content: 'Use Postgres', confidence: 0.6, rationale: 'scales' },
    { content: 'Use files', confidence: 0.2, rationale: 'no deps' },
  ],
  cross_refs: [{ from: 0, to: 2, type: 'alternative', reason: 'both local', strength: 0.5 }],
  recommended: 0,
};

interface BranchList {
  active_branch_id: string | null;
  branches: { branch_id: string; status: string; thought_count: number; summary: string | null }[];
  cross_refs: { from_branch_id: string; to_branch_id: string; type: string }[];
  next_cursor: string | null;
}

describe('reasoning_tree with a model', () => {
  it('generates branches with cross-references and a recommendation, via purpose "tree"', async () => {
    const model = scriptedModel({ tree: threeBranches });
    h = await harness({ model });
    const tree = await h.ok<TreeOutput>('reasoning_tree', { content: 'Which database?' });
    expect(tree.generated).toBe(true);
    expect(tree.model).toBe('scripted-model');
    expect(tree.branches.map((b) => [b.content, b.confidence, b.rationale])).toEqual([
      ['Use SQLite', 0.8, 'simple'],
      ['Use Postgres', 0.6, 'scales'],
      ['Use files', 0.2, 'no deps'],
    ]);
    expect(tree.recommended_branch_id).toBe(tree.branches[0]!.branch_id);
    expect(tree.cross_refs).toEqual([
      {
        cross_ref_id: expect.stringMatching(/^xr_/),
        from_branch_id: tree.branches[0]!.branch_id,
        to_branch_id: tree.branches[2]!.branch_id,
        type: 'alternative',
        reason: 'both local',
        strength: 0.5,
      },
    ]);
    expect(model.purposes()).toEqual(['tree']);
    expect(await h.rows()).toMatchObject({ sessions: 1, thoughts: 4, branches: 3, cross_refs: 1 });
  });

  it('asks again (repair) when the model gives the wrong number of branches, then accepts a valid answer', async () => {
    const model = scriptedModel({
      tree: (_p: unknown, n: number) =>
        n === 1 ? { ...threeBranches, branches: threeBranches.branches.slice(0, 2) } : threeBranches,
    });
    h = await harness({ model });
    const tree = await h.ok<TreeOutput>('reasoning_tree', { content: 'Which database?', num_branches: 3 });
    expect(tree.branches).toHaveLength(3);
    expect(model.calls).toHaveLength(2);
  });
});

describe('reasoning_tree without a model', () => {
  it('records supplied branches and cross-references', async () => {
    h = await harness();
    const tree = await h.ok<TreeOutput>('reasoning_tree', {
      content: 'Lunch?',
      branches: [{ content: 'Pizza', name: 'pizza' }, { content: 'Salad' }],
      cross_refs: [{ from: 1, to: 0, type: 'contradicts' }],
    });
    expect(tree).toMatchObject({ generated: false, cached: false, recommended_branch_id: null });
    expect(tree.branches.map((b) => [b.name, b.content, b.confidence])).toEqual([
      ['pizza', 'Pizza', null],
      ['Salad', 'Salad', null],
    ]);
    expect(tree.cross_refs[0]).toMatchObject({
      from_branch_id: tree.branches[1]!.branch_id,
      type: 'contradicts',
    });
  });

  it('returns MODEL_UNAVAILABLE with a hint when asked to generate, and stores nothing', async () => {
    h = await harness();
    const r = await h.call('reasoning_tree', { content: 'Lunch?' });
    expect(r.code).toBe('MODEL_UNAVAILABLE');
    expect(r.text).toContain('pass branches');
    expect(await h.rows()).toMatchObject({ sessions: 0, thoughts: 0, branches: 0 });
  });

  it.each([
    ['one branch', { branches: [{ content: 'a' }] }],
    ['five branches', { branches: ['a', 'b', 'c', 'd', 'e'].map((content) => ({ content })) }],
    [
      'a cross-ref to a missing branch',
      { branches: [{ content: 'a' }, { content: 'b' }], cross_refs: [{ from: 0, to: 3, type: 'supports' }] },
    ],
    [
      'a self cross-ref',
      { branches: [{ content: 'a' }, { content: 'b' }], cross_refs: [{ from: 1, to: 1, type: 'supports' }] },
    ],
    ['cross-refs without branches', { cross_refs: [{ from: 0, to: 1, type: 'supports' }] }],
    ['num_branches 5', { num_branches: 5 }],
  ])('refuses %s with INVALID_INPUT and writes nothing', async (_what, extra) => {
    h = await harness();
    const before = await h.rows();
    const r = await h.call('reasoning_tree', { content: 'q', ...extra });
    expect(r.code).toBe('INVALID_INPUT');
    expect(await h.rows()).toEqual(before);
  });
});

describe('focus, list and complete', () => {
  it('continues linear reasoning on the focused branch, and completing it moves focus back', async () => {
    h = await harness();
    const tree = await h.ok<TreeOutput>('reasoning_tree', {
      content: 'Plan',
      branches: [{ content: 'A' }, { content: 'B' }],
    });
    const [a, b] = tree.branches;
    const focus = await h.ok<{ active_branch_id: string; last_thought: { content: string } }>(
      'reasoning_tree_focus',
      {
        session_id: tree.session_id,
        branch_id: a!.branch_id,
      },
    );
    expect(focus).toMatchObject({ active_branch_id: a!.branch_id, last_thought: { content: 'A' } });
    const step = await h.ok<LinearOutput>('reasoning_linear', {
      content: 'A, step 2',
      session_id: tree.session_id,
    });
    expect(step).toMatchObject({ branch_id: a!.branch_id, parent_id: a!.thought_id });

    const sub = await h.ok<TreeOutput>('reasoning_tree', {
      content: 'Deeper',
      session_id: tree.session_id,
      branches: [{ content: 'A1' }, { content: 'A2' }],
    });
    expect(sub.parent_branch_id).toBe(a!.branch_id);

    const list = await h.ok<BranchList>('reasoning_tree_list', { session_id: tree.session_id, limit: 2 });
    expect(list.active_branch_id).toBe(a!.branch_id);
    expect(list.branches.map((x) => [x.branch_id, x.thought_count])).toEqual([
      [a!.branch_id, 3],
      [b!.branch_id, 1],
    ]);
    expect(list.next_cursor).not.toBeNull();

    const done = await h.ok<{ active_branch_id: string | null }>('reasoning_tree_complete', {
      session_id: tree.session_id,
      branch_id: a!.branch_id,
      summary: 'A works',
    });
    expect(done.active_branch_id).toBeNull();
    const after = await h.ok<BranchList>('reasoning_tree_list', {
      session_id: tree.session_id,
      status: 'completed',
    });
    expect(after.branches).toEqual([
      expect.objectContaining({ branch_id: a!.branch_id, summary: 'A works' }),
    ]);

    // A completed branch cannot be focused or completed again, and nothing changes.
    const before = await h.rows();
    expect(
      (await h.call('reasoning_tree_focus', { session_id: tree.session_id, branch_id: a!.branch_id })).code,
    ).toBe('CONFLICT');
    expect(
      (await h.call('reasoning_tree_complete', { session_id: tree.session_id, branch_id: a!.branch_id }))
        .code,
    ).toBe('CONFLICT');
    expect(
      (
        await h.call('reasoning_linear', {
          content: 'x',
          session_id: tree.session_id,
          branch_id: a!.branch_id,
        })
      ).code,
    ).toBe('CONFLICT');
    expect(await h.rows()).toEqual(before);
  });

  it('refuses unknown branches and sessions with NOT_FOUND', async () => {
    h = await harness();
    const tree = await h.ok<TreeOutput>('reasoning_tree', {
      content: 'P',
      branches: [{ content: 'A' }, { content: 'B' }],
    });
    const other = await h.ok<LinearOutput>('reasoning_linear', { content: 'other session' });
    const before = await h.rows();
    for (const [tool, args] of [
      ['reasoning_tree_focus', { session_id: tree.session_id, branch_id: 'br_nope' }],
      // A branch of another session is not found in this one.
      ['reasoning_tree_focus', { session_id: other.session_id, branch_id: tree.branches[0]!.branch_id }],
      ['reasoning_tree_complete', { session_id: 'ses_nope', branch_id: tree.branches[0]!.branch_id }],
      ['reasoning_tree_list', { session_id: 'ses_nope' }],
      [
        'reasoning_tree',
        {
          content: 'x',
          session_id: tree.session_id,
          branch_id: 'br_nope',
          branches: [{ content: 'a' }, { content: 'b' }],
        },
      ],
    ] as const) {
      expect((await h.call(tool, args)).code, `${tool} ${JSON.stringify(args)}`).toBe('NOT_FOUND');
    }
    expect(await h.rows()).toEqual(before);
  });
});
