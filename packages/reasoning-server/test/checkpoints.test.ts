import { afterEach, describe, expect, it } from 'vitest';
import type { LinearOutput } from '../src/tools/linear.js';
import type { TreeOutput } from '../src/tools/tree.js';
import { type Harness, harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

interface Backtrack {
  last_thought_id: string | null;
  active_branch_id: string | null;
  abandoned_thought_count: number;
  reactivated_thought_count: number;
  changed_branch_count: number;
  new_thought: { thought_id: string; parent_id: string | null; content: string; kind: string } | null;
}
interface SessionGet {
  thoughts: { content: string; status: string }[];
}

async function activeContents(sessionId: string): Promise<string[]> {
  const s = await h.ok<SessionGet>('reasoning_session_get', {
    session_id: sessionId,
    include_abandoned: false,
    limit: 200,
  });
  return s.thoughts.map((t) => t.content);
}

describe('checkpoints and backtracking', () => {
  it('restores a session to a checkpoint, keeping later thoughts as abandoned, and continues from there', async () => {
    h = await harness();
    const t1 = await h.ok<LinearOutput>('reasoning_linear', { content: 't1' });
    const sid = t1.session_id;
    const t2 = await h.ok<LinearOutput>('reasoning_linear', { content: 't2', session_id: sid });
    const cp1 = await h.ok<{ checkpoint_id: string; last_seq: number; last_thought_id: string }>(
      'reasoning_checkpoint_create',
      { session_id: sid, name: 'before detour', description: 'two steps in' },
    );
    expect(cp1).toMatchObject({ last_seq: 2, last_thought_id: t2.thought_id });
    await h.ok('reasoning_linear', { content: 't3', session_id: sid });
    const tree = await h.ok<TreeOutput>('reasoning_tree', {
      content: 'detour',
      session_id: sid,
      branches: [{ content: 'x' }, { content: 'y' }],
    });
    await h.ok('reasoning_tree_focus', { session_id: sid, branch_id: tree.branches[0]!.branch_id });

    const back = await h.ok<Backtrack>('reasoning_backtrack', {
      checkpoint_id: cp1.checkpoint_id,
      content: 't3 (second try)',
    });
    expect(back).toMatchObject({
      last_thought_id: t2.thought_id,
      active_branch_id: null,
      abandoned_thought_count: 4, // t3, the tree root and its two branch thoughts
      reactivated_thought_count: 0,
      changed_branch_count: 2,
      new_thought: { parent_id: t2.thought_id, content: 't3 (second try)', kind: 'backtrack' },
    });
    expect(await activeContents(sid)).toEqual(['t1', 't2', 't3 (second try)']);
    const all = await h.ok<SessionGet>('reasoning_session_get', { session_id: sid });
    expect(all.thoughts.filter((t) => t.status === 'abandoned').map((t) => t.content)).toEqual([
      't3',
      'detour',
      'x',
      'y',
    ]);
    const branches = await h.ok<{ branches: { status: string }[] }>('reasoning_tree_list', {
      session_id: sid,
    });
    expect(branches.branches.map((b) => b.status)).toEqual(['abandoned', 'abandoned']);

    // The chain continues from the new thought.
    const next = await h.ok<LinearOutput>('reasoning_linear', { content: 't4', session_id: sid });
    expect(next.parent_id).toBe(back.new_thought!.thought_id);
  });

  it('moves between checkpoints in both directions', async () => {
    h = await harness();
    const { session_id: sid } = await h.ok<LinearOutput>('reasoning_linear', { content: 'a' });
    const cpA = await h.ok<{ checkpoint_id: string }>('reasoning_checkpoint_create', {
      session_id: sid,
      name: 'A',
    });
    await h.ok('reasoning_linear', { content: 'b', session_id: sid });
    await h.ok('reasoning_backtrack', { checkpoint_id: cpA.checkpoint_id, content: 'b2' });
    const cpB = await h.ok<{ checkpoint_id: string }>('reasoning_checkpoint_create', {
      session_id: sid,
      name: 'B',
    });
    await h.ok('reasoning_linear', { content: 'c', session_id: sid });
    expect(await activeContents(sid)).toEqual(['a', 'b2', 'c']);

    await h.ok('reasoning_backtrack', { checkpoint_id: cpA.checkpoint_id, session_id: sid });
    expect(await activeContents(sid)).toEqual(['a']);
    const forward = await h.ok<Backtrack>('reasoning_backtrack', { checkpoint_id: cpB.checkpoint_id });
    // b2 comes back; b stays abandoned as it was at B; c (after B) stays abandoned.
    expect(forward.reactivated_thought_count).toBe(1);
    expect(await activeContents(sid)).toEqual(['a', 'b2']);
  });

  it('lists checkpoints a page at a time', async () => {
    h = await harness();
    const { session_id } = await h.ok<LinearOutput>('reasoning_linear', { content: 'a' });
    for (const name of ['one', 'two', 'three'])
      await h.ok('reasoning_checkpoint_create', { session_id, name });
    const page1 = await h.ok<{ checkpoints: { name: string }[]; next_cursor: string }>(
      'reasoning_checkpoint_list',
      {
        session_id,
        limit: 2,
      },
    );
    expect(page1.checkpoints.map((c) => c.name)).toEqual(['one', 'two']);
    const page2 = await h.ok<{ checkpoints: { name: string }[]; next_cursor: string | null }>(
      'reasoning_checkpoint_list',
      { session_id, limit: 2, cursor: page1.next_cursor },
    );
    expect(page2.checkpoints.map((c) => c.name)).toEqual(['three']);
    expect(page2.next_cursor).toBeNull();
  });

  it('refuses duplicates, unknown ids and mismatched sessions, writing nothing', async () => {
    h = await harness();
    const { session_id } = await h.ok<LinearOutput>('reasoning_linear', { content: 'a' });
    const other = await h.ok<LinearOutput>('reasoning_linear', { content: 'b' });
    const cp = await h.ok<{ checkpoint_id: string }>('reasoning_checkpoint_create', {
      session_id,
      name: 'x',
    });
    const before = await h.rows();
    expect((await h.call('reasoning_checkpoint_create', { session_id, name: 'x' })).code).toBe('CONFLICT');
    expect((await h.call('reasoning_checkpoint_create', { session_id: 'ses_nope', name: 'y' })).code).toBe(
      'NOT_FOUND',
    );
    expect((await h.call('reasoning_checkpoint_create', { session_id, name: '' })).code).toBe(
      'INVALID_INPUT',
    );
    expect((await h.call('reasoning_checkpoint_list', { session_id: 'ses_nope' })).code).toBe('NOT_FOUND');
    expect((await h.call('reasoning_backtrack', { checkpoint_id: 'cp_nope' })).code).toBe('NOT_FOUND');
    expect(
      (await h.call('reasoning_backtrack', { checkpoint_id: cp.checkpoint_id, session_id: other.session_id }))
        .code,
    ).toBe('NOT_FOUND');
    expect(
      (await h.call('reasoning_backtrack', { checkpoint_id: cp.checkpoint_id, confidence: -1 })).code,
    ).toBe('INVALID_INPUT');
    expect(await h.rows()).toEqual(before);
  });
});
