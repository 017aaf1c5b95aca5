/** Kysely table types for migrations/reasoning; JSON columns are TEXT holding JSON. */
import type { CoreTables } from '@choir/storage';
import type { Generated, Insertable, Kysely, Selectable } from 'kysely';

export interface SessionsTable {
  id: string;
  mode: string;
  title: string | null;
  active_branch_id: string | null;
  created_at: string;
  updated_at: string;
  metadata: string | null;
}

export type BranchStatus = 'active' | 'completed' | 'abandoned';

export interface BranchesTable {
  id: string;
  session_id: string;
  name: string | null;
  parent_branch_id: string | null;
  origin_thought_id: string | null;
  status: BranchStatus;
  confidence: number | null;
  summary: string | null;
  created_at: string;
  updated_at: string;
  metadata: string | null;
}

export type ThoughtStatus = 'active' | 'abandoned';

export interface ThoughtsTable {
  row_id: Generated<number>;
  id: string;
  session_id: string;
  seq: number;
  content: string;
  confidence: number | null;
  mode: string;
  kind: string;
  parent_id: string | null;
  branch_id: string | null;
  status: ThoughtStatus;
  generated: number;
  model: string | null;
  created_at: string;
  metadata: string | null;
}

export const CROSS_REF_TYPES = ['supports', 'contradicts', 'extends', 'alternative', 'depends'] as const;
export type CrossRefType = (typeof CROSS_REF_TYPES)[number];

export interface CrossRefsTable {
  id: string;
  session_id: string;
  from_branch_id: string;
  to_branch_id: string;
  ref_type: CrossRefType;
  reason: string | null;
  strength: number | null;
  created_at: string;
}

export interface CheckpointsTable {
  id: string;
  session_id: string;
  branch_id: string | null;
  name: string;
  description: string | null;
  snapshot: string;
  created_at: string;
}

export const NODE_TYPES = ['root', 'generated', 'aggregate', 'refined'] as const;
export type NodeType = (typeof NODE_TYPES)[number];
export type NodeStatus = 'active' | 'pruned';

export interface GraphNodesTable {
  id: string;
  session_id: string;
  seq: number;
  content: string;
  node_type: NodeType;
  score: number | null;
  score_rationale: string | null;
  depth: number;
  status: NodeStatus;
  is_terminal: number;
  generated: number;
  model: string | null;
  created_at: string;
  metadata: string | null;
}

export const EDGE_TYPES = ['generates', 'aggregates', 'refines', 'supports', 'depends'] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

export interface GraphEdgesTable {
  id: string;
  session_id: string;
  from_node: string;
  to_node: string;
  edge_type: EdgeType;
  weight: number;
  created_at: string;
}

export interface InvocationsTable {
  id: Generated<number>;
  tool: string;
  mode: string;
  provider: string;
  model: string | null;
  session_id: string | null;
  success: number;
  error_code: string | null;
  latency_ms: number;
  created_at: string;
}

export interface ReasoningDB {
  sessions: SessionsTable;
  branches: BranchesTable;
  thoughts: ThoughtsTable;
  cross_refs: CrossRefsTable;
  checkpoints: CheckpointsTable;
  graph_nodes: GraphNodesTable;
  graph_edges: GraphEdgesTable;
  invocations: InvocationsTable;
}

/** The database or a transaction on it (a Transaction is a Kysely): store functions take either. */
export type Db = Kysely<ReasoningDB & CoreTables>;

export type SessionRow = Selectable<SessionsTable>;
export type BranchRow = Selectable<BranchesTable>;
export type ThoughtRow = Selectable<ThoughtsTable>;
export type CrossRefRow = Selectable<CrossRefsTable>;
export type CheckpointRow = Selectable<CheckpointsTable>;
export type NodeRow = Selectable<GraphNodesTable>;
export type EdgeRow = Selectable<GraphEdgesTable>;
export type NewThought = Insertable<ThoughtsTable>;
