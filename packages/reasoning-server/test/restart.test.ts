/** Nothing lives only in memory: a new server on the same database finds checkpoints and graphs intact. */
import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

describe('restart', () => {
  it('keeps checkpoints and graph state across a server restart', async () => {
    const first = await harness();
    const init = await first.ok<{ session_id: string; root_node_id: string }>('reasoning_got_init', {
      content: 'root',
    });
    const sid = init.session_id;
    const gen = await first.ok<{ nodes: { node_id: string }[] }>('reasoning_got_generate', {
      session_id: sid,
      node_id: init.root_node_id,
      candidates: ['a', 'b'],
    });
    await first.ok('reasoning_got_score', { session_id: sid, node_id: gen.nodes[0]!.node_id, score: 0.9 });
    await first.ok('reasoning_linear', { content: 'a note', session_id: sid });
    const cp = await first.ok<{ checkpoint_id: string }>('reasoning_checkpoint_create', {
      session_id: sid,
      name: 'graph of two',
    });
    await first.ok('reasoning_got_generate', {
      session_id: sid,
      node_id: gen.nodes[1]!.node_id,
      candidates: ['b1'],
    });
    await first.ok('reasoning_got_score', { session_id: sid, node_id: gen.nodes[0]!.node_id, score: 0.1 });
    const stateBefore = await first.ok('reasoning_got_state', { session_id: sid });
    await first.close();

    const second = await harness({ dataDir: first.dataDir });
    try {
      expect(await second.ok('reasoning_got_state', { session_id: sid })).toEqual(stateBefore);
      const list = await second.ok<{
        checkpoints: { checkpoint_id: string; name: string; node_count: number }[];
      }>('reasoning_checkpoint_list', { session_id: sid });
      expect(list.checkpoints).toEqual([
        expect.objectContaining({ checkpoint_id: cp.checkpoint_id, name: 'graph of two', node_count: 3 }),
      ]);
      // The snapshot still restores: b1 (created after the checkpoint) is pruned, a's score returns to 0.9.
      const back = await second.ok<{ changed_node_count: number }>('reasoning_backtrack', {
        checkpoint_id: cp.checkpoint_id,
      });
      expect(back.changed_node_count).toBe(2);
      const state = await second.ok<{ nodes: { content: string; status: string; score: number | null }[] }>(
        'reasoning_got_state',
        { session_id: sid },
      );
      expect(state.nodes.map((n) => [n.content, n.status, n.score])).toEqual([
        ['root', 'active', null],
        ['a', 'active', 0.9],
        ['b', 'active', null],
        ['b1', 'pruned', null],
      ]);
      const fin = await second.ok<{ conclusion: string }>('reasoning_got_finalize', { session_id: sid });
      expect(fin.conclusion).toBe('a');
    } finally {
      await second.close();
    }
  });
});
