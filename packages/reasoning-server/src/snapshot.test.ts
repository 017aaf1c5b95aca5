import { describe, expect, it } from 'vitest';
import { planRestore, Snapshot } from './snapshot.js';

const snapshot: Snapshot = {
  version: 1,
  active_branch_id: 'b1',
  last_seq: 4,
  last_thought_id: 't4',
  abandoned_thought_ids: [],
  branches: [
    { id: 'b1', status: 'active' },
    { id: 'b2', status: 'active' },
  ],
  graph: { last_seq: 2, nodes: [{ id: 'n1', status: 'active', score: 0.5, is_terminal: false }] },
};

describe('planRestore', () => {
  it('returns changed rows to their recorded state and retires later ones', () => {
    const plan = planRestore(snapshot, {
      branches: [
        { id: 'b1', status: 'active' },
        { id: 'b2', status: 'completed' },
        { id: 'b3', status: 'active' },
      ],
      nodes: [
        { id: 'n1', seq: 1, status: 'active', score: 0.9, is_terminal: true },
        { id: 'n2', seq: 3, status: 'active', score: null, is_terminal: false },
      ],
    });
    expect(plan).toEqual({
      branches: [
        { id: 'b2', status: 'active' },
        { id: 'b3', status: 'abandoned' },
      ],
      nodes: [
        { id: 'n1', status: 'active', score: 0.5, is_terminal: false },
        { id: 'n2', status: 'pruned', score: null, is_terminal: false },
      ],
    });
  });

  it('changes nothing when the session is as recorded', () => {
    const plan = planRestore(snapshot, {
      branches: [
        { id: 'b1', status: 'active' },
        { id: 'b2', status: 'active' },
      ],
      nodes: [{ id: 'n1', seq: 1, status: 'active', score: 0.5, is_terminal: false }],
    });
    expect(plan).toEqual({ branches: [], nodes: [] });
  });

  it('rejects a document that is not a version 1 snapshot', () => {
    expect(Snapshot.safeParse({ ...snapshot, version: 2 }).success).toBe(false);
    expect(Snapshot.safeParse(snapshot).success).toBe(true);
  });
});
