/**
 * Checkpoint snapshots: what a session looked like, as versioned JSON, and the changes that
 * bring a session back to it. Thoughts are covered by a sequence bound (everything after it
 * is abandoned on backtrack, never deleted) so a snapshot stays small however long the session.
 */
import { z } from 'zod';

export const SNAPSHOT_VERSION = 1;

export const Snapshot = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  active_branch_id: z.string().nullable(),
  /** Highest thought seq at checkpoint time (0: no thoughts yet). */
  last_seq: z.number().int().min(0),
  /** The thought the session continues from after a backtrack. */
  last_thought_id: z.string().nullable(),
  /** Thoughts with seq <= last_seq that were already abandoned when the checkpoint was taken. */
  abandoned_thought_ids: z.array(z.string()),
  branches: z.array(z.object({ id: z.string(), status: z.enum(['active', 'completed', 'abandoned']) })),
  graph: z.object({
    last_seq: z.number().int().min(0),
    nodes: z.array(
      z.object({
        id: z.string(),
        status: z.enum(['active', 'pruned']),
        score: z.number().nullable(),
        is_terminal: z.boolean(),
      }),
    ),
  }),
});
export type Snapshot = z.infer<typeof Snapshot>;

export interface BranchState {
  id: string;
  status: 'active' | 'completed' | 'abandoned';
}

export interface NodeState {
  id: string;
  seq: number;
  status: 'active' | 'pruned';
  score: number | null;
  is_terminal: boolean;
}

export interface RestorePlan {
  branches: BranchState[];
  nodes: Omit<NodeState, 'seq'>[];
}

/**
 * Branch and node rows whose state differs from the snapshot: those the snapshot knew go back
 * to their recorded state; those created after it are abandoned (branches) or pruned (nodes).
 */
export function planRestore(
  snapshot: Snapshot,
  current: { branches: readonly BranchState[]; nodes: readonly NodeState[] },
): RestorePlan {
  const branchThen = new Map(snapshot.branches.map((b) => [b.id, b.status]));
  const branches: BranchState[] = [];
  for (const branch of current.branches) {
    const status = branchThen.get(branch.id) ?? 'abandoned';
    if (status !== branch.status) branches.push({ id: branch.id, status });
  }
  const nodeThen = new Map(snapshot.graph.nodes.map((n) => [n.id, n]));
  const nodes: Omit<NodeState, 'seq'>[] = [];
  for (const node of current.nodes) {
    const then = nodeThen.get(node.id);
    const target = then
      ? { id: node.id, status: then.status, score: then.score, is_terminal: then.is_terminal }
      : { id: node.id, status: 'pruned' as const, score: node.score, is_terminal: false };
    if (
      target.status !== node.status ||
      target.score !== node.score ||
      target.is_terminal !== node.is_terminal
    ) {
      nodes.push(target);
    }
  }
  return { branches, nodes };
}
