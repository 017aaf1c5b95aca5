import { describe, expect, it } from 'vitest';
import { documentProblems, planMerge, remapDocument, type SessionDocument } from './session-document.js';

const at = '2025-01-01T00:00:00.000Z';
const thought = (id: string, seq: number, parent: string | null = null, branch: string | null = null) => ({
  id,
  seq,
  content: id,
  confidence: null,
  mode: 'linear',
  kind: 'step',
  parent_id: parent,
  branch_id: branch,
  status: 'active' as const,
  generated: false,
  model: null,
  created_at: at,
  metadata: null,
});
const node = (id: string, seq: number, type: 'root' | 'generated' = 'generated') => ({
  id,
  seq,
  content: id,
  node_type: type,
  score: null,
  score_rationale: null,
  depth: 0,
  status: 'active' as const,
  is_terminal: false,
  generated: false,
  model: null,
  created_at: at,
  metadata: null,
});
const edge = (id: string, from: string, to: string) => ({
  id,
  from_node: from,
  to_node: to,
  edge_type: 'generates' as const,
  weight: 1,
  created_at: at,
});

const doc: SessionDocument = {
  format: 'choir-reasoning-session',
  version: 1,
  exported_at: at,
  session: {
    id: 's',
    mode: 'linear',
    title: null,
    active_branch_id: null,
    created_at: at,
    updated_at: at,
    metadata: null,
  },
  thoughts: [thought('t1', 1), thought('t2', 2, 't1'), thought('t3', 3, 't2')],
  branches: [],
  cross_refs: [],
  checkpoints: [
    {
      id: 'c',
      branch_id: null,
      name: 'cp',
      description: null,
      created_at: at,
      snapshot: {
        version: 1,
        active_branch_id: null,
        last_seq: 2,
        last_thought_id: 't2',
        abandoned_thought_ids: [],
        branches: [],
        graph: { last_seq: 1, nodes: [{ id: 'r', status: 'active', score: null, is_terminal: false }] },
      },
    },
  ],
  graph_nodes: [node('r', 1, 'root'), node('n', 2)],
  graph_edges: [edge('e', 'r', 'n')],
};

describe('documentProblems', () => {
  it('accepts a sound document', () => {
    expect(documentProblems(doc)).toEqual([]);
  });
  it('names dangling references, duplicates and cycles', () => {
    const broken: SessionDocument = {
      ...doc,
      thoughts: [...doc.thoughts, thought('t4', 3, 'ghost', 'nobranch')],
      graph_edges: [...doc.graph_edges, edge('e2', 'n', 'r')],
    };
    expect(documentProblems(broken)).toEqual([
      'thought seq used more than once: 3',
      'thought parents not in the document: ghost',
      'thought branches not in the document: nobranch',
      'the graph edges contain a cycle',
    ]);
  });
});

describe('remapDocument', () => {
  it('renames every id consistently and shifts sequence numbers', () => {
    let n = 0;
    const copy = remapDocument(doc, {
      sessionId: 'new',
      fresh: (_old, kind) => `${kind}${++n}`,
      thoughtSeqOffset: 10,
      nodeSeqOffset: 5,
    });
    expect(copy.session.id).toBe('new');
    expect(copy.thoughts.map((t) => [t.id, t.seq, t.parent_id])).toEqual([
      ['th1', 11, null],
      ['th2', 12, 'th1'],
      ['th3', 13, 'th2'],
    ]);
    expect(copy.graph_edges[0]).toMatchObject({ from_node: 'gn4', to_node: 'gn5' });
    expect(copy.checkpoints[0]!.snapshot).toMatchObject({
      last_seq: 12,
      last_thought_id: 'th2',
      graph: { last_seq: 6, nodes: [{ id: 'gn4' }] },
    });
    expect(documentProblems(copy)).toEqual([]);
  });
});

describe('planMerge', () => {
  it('adds what is missing after the existing sequence and moves checkpoint bounds with it', () => {
    const plan = planMerge(doc, {
      ids: new Set(['s', 't1', 'r']),
      thoughtSeqs: new Map([['t1', 4]]),
      nodeSeqs: new Map([['r', 1]]),
      maxThoughtSeq: 7,
      maxNodeSeq: 3,
    });
    expect(plan.doc.thoughts.map((t) => [t.id, t.seq])).toEqual([
      ['t2', 8],
      ['t3', 9],
    ]);
    expect(plan.doc.graph_nodes.map((x) => [x.id, x.seq])).toEqual([['n', 4]]);
    expect(plan.doc.checkpoints[0]!.snapshot.last_seq).toBe(8);
    expect(plan.doc.checkpoints[0]!.snapshot.graph.last_seq).toBe(1);
    expect(plan.skipped).toEqual({
      thoughts: 1,
      branches: 0,
      cross_refs: 0,
      checkpoints: 0,
      graph_nodes: 1,
      graph_edges: 0,
    });
  });
});
