/**
 * The versioned JSON document reasoning_session_export writes and reasoning_session_import
 * reads: its schema, the integrity checks run before any write, and the id/sequence rewriting
 * that append and merge need. Plain data in, plain data out.
 */
import { z } from 'zod';
import { hasCycle } from './graph.js';
import { Snapshot } from './snapshot.js';
import { CROSS_REF_TYPES, EDGE_TYPES, NODE_TYPES } from './store/tables.js';

export const DOCUMENT_FORMAT = 'choir-reasoning-session';
export const DOCUMENT_VERSION = 1;

const id = z.string().min(1).max(200);
const json = z.record(z.string(), z.unknown()).nullable();
const unit = z.number().min(0).max(1);

export const DocThought = z.object({
  id,
  seq: z.number().int().min(1),
  content: z.string().min(1),
  confidence: unit.nullable(),
  mode: z.string().min(1).max(40),
  kind: z.string().min(1).max(40),
  parent_id: id.nullable(),
  branch_id: id.nullable(),
  status: z.enum(['active', 'abandoned']),
  generated: z.boolean(),
  model: z.string().nullable(),
  created_at: z.string(),
  metadata: json,
});
export const DocBranch = z.object({
  id,
  name: z.string().nullable(),
  parent_branch_id: id.nullable(),
  origin_thought_id: id.nullable(),
  status: z.enum(['active', 'completed', 'abandoned']),
  confidence: unit.nullable(),
  summary: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  metadata: json,
});
export const DocCrossRef = z.object({
  id,
  from_branch_id: id,
  to_branch_id: id,
  ref_type: z.enum(CROSS_REF_TYPES),
  reason: z.string().nullable(),
  strength: unit.nullable(),
  created_at: z.string(),
});
export const DocCheckpoint = z.object({
  id,
  branch_id: id.nullable(),
  name: z.string().min(1).max(200),
  description: z.string().nullable(),
  snapshot: Snapshot,
  created_at: z.string(),
});
export const DocNode = z.object({
  id,
  seq: z.number().int().min(1),
  content: z.string().min(1),
  node_type: z.enum(NODE_TYPES),
  score: unit.nullable(),
  score_rationale: z.string().nullable(),
  depth: z.number().int().min(0),
  status: z.enum(['active', 'pruned']),
  is_terminal: z.boolean(),
  generated: z.boolean(),
  model: z.string().nullable(),
  created_at: z.string(),
  metadata: json,
});
export const DocEdge = z.object({
  id,
  from_node: id,
  to_node: id,
  edge_type: z.enum(EDGE_TYPES),
  weight: unit,
  created_at: z.string(),
});

export const SessionDocument = z.object({
  format: z.literal(DOCUMENT_FORMAT),
  version: z.literal(DOCUMENT_VERSION),
  exported_at: z.string(),
  session: z.object({
    id,
    mode: z.string().min(1).max(40),
    title: z.string().nullable(),
    active_branch_id: id.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    metadata: json,
  }),
  thoughts: z.array(DocThought),
  branches: z.array(DocBranch),
  cross_refs: z.array(DocCrossRef),
  checkpoints: z.array(DocCheckpoint),
  graph_nodes: z.array(DocNode),
  graph_edges: z.array(DocEdge),
});
export type SessionDocument = z.infer<typeof SessionDocument>;

function duplicates(values: readonly string[] | readonly number[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) {
    const key = String(v);
    if (seen.has(key)) dup.add(key);
    seen.add(key);
  }
  return [...dup];
}

/** Everything wrong with a parsed document's references, as sentences; empty when it is sound. */
export function documentProblems(doc: SessionDocument): string[] {
  const problems: string[] = [];
  const note = (what: string, list: string[]) => {
    if (list.length) problems.push(`${what}: ${list.slice(0, 5).join(', ')}${list.length > 5 ? ', …' : ''}`);
  };
  const allIds = [
    doc.session.id,
    ...doc.thoughts.map((t) => t.id),
    ...doc.branches.map((b) => b.id),
    ...doc.cross_refs.map((r) => r.id),
    ...doc.checkpoints.map((c) => c.id),
    ...doc.graph_nodes.map((n) => n.id),
    ...doc.graph_edges.map((e) => e.id),
  ];
  note('ids used more than once', duplicates(allIds));
  note('thought seq used more than once', duplicates(doc.thoughts.map((t) => t.seq)));
  note('graph node seq used more than once', duplicates(doc.graph_nodes.map((n) => n.seq)));
  note('checkpoint names used more than once', duplicates(doc.checkpoints.map((c) => c.name)));

  const thoughts = new Set(doc.thoughts.map((t) => t.id));
  const branches = new Set(doc.branches.map((b) => b.id));
  const nodes = new Set(doc.graph_nodes.map((n) => n.id));
  const missing = (ids: (string | null)[], known: Set<string>) =>
    ids.filter((x): x is string => x !== null && !known.has(x));
  note(
    'thought parents not in the document',
    missing(
      doc.thoughts.map((t) => t.parent_id),
      thoughts,
    ),
  );
  note(
    'thought branches not in the document',
    missing(
      doc.thoughts.map((t) => t.branch_id),
      branches,
    ),
  );
  note(
    'parent branches not in the document',
    missing(
      doc.branches.map((b) => b.parent_branch_id),
      branches,
    ),
  );
  note(
    'branch origin thoughts not in the document',
    missing(
      doc.branches.map((b) => b.origin_thought_id),
      thoughts,
    ),
  );
  note(
    'cross-reference branches not in the document',
    missing(
      doc.cross_refs.flatMap((r) => [r.from_branch_id, r.to_branch_id]),
      branches,
    ),
  );
  note(
    'checkpoint branches not in the document',
    missing(
      doc.checkpoints.map((c) => c.branch_id),
      branches,
    ),
  );
  note('the focused branch is not in the document', missing([doc.session.active_branch_id], branches));
  note(
    'edge nodes not in the document',
    missing(
      doc.graph_edges.flatMap((e) => [e.from_node, e.to_node]),
      nodes,
    ),
  );
  for (const cp of doc.checkpoints) {
    const s = cp.snapshot;
    note(
      `checkpoint ${cp.id} refers to unknown thoughts`,
      missing([s.last_thought_id, ...s.abandoned_thought_ids], thoughts),
    );
    note(
      `checkpoint ${cp.id} refers to unknown branches`,
      missing([s.active_branch_id, ...s.branches.map((b) => b.id)], branches),
    );
    note(
      `checkpoint ${cp.id} refers to unknown graph nodes`,
      missing(
        s.graph.nodes.map((n) => n.id),
        nodes,
      ),
    );
  }
  if (doc.graph_nodes.filter((n) => n.node_type === 'root').length > 1)
    problems.push('more than one graph root');
  if (doc.graph_nodes.length > 0 && !doc.graph_nodes.some((n) => n.node_type === 'root')) {
    problems.push('graph nodes without a root');
  }
  if (doc.graph_edges.some((e) => e.from_node === e.to_node)) problems.push('an edge joins a node to itself');
  else if (
    hasCycle(
      doc.graph_nodes.map((n) => n.id),
      doc.graph_edges.map((e) => ({ from: e.from_node, to: e.to_node })),
    )
  ) {
    problems.push('the graph edges contain a cycle');
  }
  return problems;
}

export function documentRowCount(doc: SessionDocument): number {
  return (
    1 +
    doc.thoughts.length +
    doc.branches.length +
    doc.cross_refs.length +
    doc.checkpoints.length +
    doc.graph_nodes.length +
    doc.graph_edges.length
  );
}

/**
 * The document with every id replaced through `fresh` and sequence numbers shifted past what
 * the target session already holds: what append writes. Snapshots are rewritten to match.
 */
export function remapDocument(
  doc: SessionDocument,
  options: {
    sessionId: string;
    fresh: (oldId: string, kind: string) => string;
    thoughtSeqOffset: number;
    nodeSeqOffset: number;
  },
): SessionDocument {
  const map = new Map<string, string>();
  const to = (old: string, kind: string) => {
    let next = map.get(old);
    if (!next) {
      next = options.fresh(old, kind);
      map.set(old, next);
    }
    return next;
  };
  const opt = (old: string | null, kind: string) => (old === null ? null : to(old, kind));
  // Assign in a fixed order so references resolve to the same new ids.
  for (const t of doc.thoughts) to(t.id, 'th');
  for (const b of doc.branches) to(b.id, 'br');
  for (const n of doc.graph_nodes) to(n.id, 'gn');
  return {
    ...doc,
    session: {
      ...doc.session,
      id: options.sessionId,
      active_branch_id: opt(doc.session.active_branch_id, 'br'),
    },
    thoughts: doc.thoughts.map((t) => ({
      ...t,
      id: to(t.id, 'th'),
      seq: t.seq + options.thoughtSeqOffset,
      parent_id: opt(t.parent_id, 'th'),
      branch_id: opt(t.branch_id, 'br'),
    })),
    branches: doc.branches.map((b) => ({
      ...b,
      id: to(b.id, 'br'),
      parent_branch_id: opt(b.parent_branch_id, 'br'),
      origin_thought_id: opt(b.origin_thought_id, 'th'),
    })),
    cross_refs: doc.cross_refs.map((r) => ({
      ...r,
      id: to(r.id, 'xr'),
      from_branch_id: to(r.from_branch_id, 'br'),
      to_branch_id: to(r.to_branch_id, 'br'),
    })),
    checkpoints: doc.checkpoints.map((c) => ({
      ...c,
      id: to(c.id, 'cp'),
      branch_id: opt(c.branch_id, 'br'),
      snapshot: {
        ...c.snapshot,
        active_branch_id: opt(c.snapshot.active_branch_id, 'br'),
        last_seq: c.snapshot.last_seq === 0 ? 0 : c.snapshot.last_seq + options.thoughtSeqOffset,
        last_thought_id: opt(c.snapshot.last_thought_id, 'th'),
        abandoned_thought_ids: c.snapshot.abandoned_thought_ids.map((x) => to(x, 'th')),
        branches: c.snapshot.branches.map((b) => ({ ...b, id: to(b.id, 'br') })),
        graph: {
          last_seq: c.snapshot.graph.last_seq === 0 ? 0 : c.snapshot.graph.last_seq + options.nodeSeqOffset,
          nodes: c.snapshot.graph.nodes.map((n) => ({ ...n, id: to(n.id, 'gn') })),
        },
      },
    })),
    graph_nodes: doc.graph_nodes.map((n) => ({
      ...n,
      id: to(n.id, 'gn'),
      seq: n.seq + options.nodeSeqOffset,
    })),
    graph_edges: doc.graph_edges.map((e) => ({
      ...e,
      id: to(e.id, 'ge'),
      from_node: to(e.from_node, 'gn'),
      to_node: to(e.to_node, 'gn'),
    })),
  };
}

export interface MergePlan {
  /** Rows to insert, with sequence numbers placed after the session's own. */
  doc: SessionDocument;
  skipped: Record<
    'thoughts' | 'branches' | 'cross_refs' | 'checkpoints' | 'graph_nodes' | 'graph_edges',
    number
  >;
}

/**
 * Merge keeps what the session has and adds what it lacks, matching rows by id. New thoughts
 * and nodes are numbered after the session's highest seq, in document order; a new
 * checkpoint's bound moves to the new place of the last thought it covered.
 */
export function planMerge(
  doc: SessionDocument,
  existing: {
    ids: ReadonlySet<string>;
    thoughtSeqs: ReadonlyMap<string, number>;
    nodeSeqs: ReadonlyMap<string, number>;
    maxThoughtSeq: number;
    maxNodeSeq: number;
  },
): MergePlan {
  const fresh = <T extends { id: string }>(rows: T[]) => rows.filter((r) => !existing.ids.has(r.id));
  const thoughts = [...doc.thoughts].sort((a, b) => a.seq - b.seq);
  const seqOf = new Map<number, number>();
  let nextSeq = existing.maxThoughtSeq;
  const newThoughts = [];
  for (const t of thoughts) {
    const known = existing.thoughtSeqs.get(t.id);
    if (known !== undefined) {
      seqOf.set(t.seq, known);
    } else {
      nextSeq += 1;
      seqOf.set(t.seq, nextSeq);
      newThoughts.push({ ...t, seq: nextSeq });
    }
  }
  // The new place of the last covered item: the highest new seq among items at or before the old bound.
  const bound = (map: Map<number, number>, docSeq: number) => {
    let best = 0;
    for (const [from, to] of map) if (from <= docSeq && to > best) best = to;
    return best;
  };
  const nodeSeqOf = new Map<number, number>();
  let nextNode = existing.maxNodeSeq;
  const newNodes = [];
  for (const n of [...doc.graph_nodes].sort((a, b) => a.seq - b.seq)) {
    const known = existing.nodeSeqs.get(n.id);
    if (known !== undefined) {
      nodeSeqOf.set(n.seq, known);
    } else {
      nextNode += 1;
      nodeSeqOf.set(n.seq, nextNode);
      newNodes.push({ ...n, seq: nextNode });
    }
  }
  const newCheckpoints = fresh(doc.checkpoints).map((c) => ({
    ...c,
    snapshot: {
      ...c.snapshot,
      last_seq: bound(seqOf, c.snapshot.last_seq),
      graph: { ...c.snapshot.graph, last_seq: bound(nodeSeqOf, c.snapshot.graph.last_seq) },
    },
  }));
  const plan: SessionDocument = {
    ...doc,
    thoughts: newThoughts,
    branches: fresh(doc.branches),
    cross_refs: fresh(doc.cross_refs),
    checkpoints: newCheckpoints,
    graph_nodes: newNodes,
    graph_edges: fresh(doc.graph_edges),
  };
  return {
    doc: plan,
    skipped: {
      thoughts: doc.thoughts.length - plan.thoughts.length,
      branches: doc.branches.length - plan.branches.length,
      cross_refs: doc.cross_refs.length - plan.cross_refs.length,
      checkpoints: doc.checkpoints.length - plan.checkpoints.length,
      graph_nodes: doc.graph_nodes.length - plan.graph_nodes.length,
      graph_edges: doc.graph_edges.length - plan.graph_edges.length,
    },
  };
}
