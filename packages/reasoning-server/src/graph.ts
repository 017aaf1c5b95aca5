/**
 * Graph-of-thoughts logic on plain data: cycle checks before an edge is inserted, pruning,
 * and the best path at finalize. Knows nothing of SQL or MCP.
 */

export interface GraphNode {
  id: string;
  /** Creation order; breaks ties so results never depend on hash-map order. */
  seq: number;
  score: number | null;
  status: 'active' | 'pruned';
}

export interface GraphEdge {
  from: string;
  to: string;
}

function successors(edges: readonly GraphEdge[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const edge of edges) {
    const list = out.get(edge.from);
    if (list) list.push(edge.to);
    else out.set(edge.from, [edge.to]);
  }
  return out;
}

/** True when `to` already reaches `from`, so adding from → to would close a cycle (or from === to). */
export function wouldCreateCycle(edges: readonly GraphEdge[], from: string, to: string): boolean {
  if (from === to) return true;
  const next = successors(edges);
  const seen = new Set<string>([to]);
  const stack = [to];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const succ of next.get(node) ?? []) {
      if (succ === from) return true;
      if (!seen.has(succ)) {
        seen.add(succ);
        stack.push(succ);
      }
    }
  }
  return false;
}

/** Nodes reachable from `start` through active nodes only (start included when active). */
export function reachableActive(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  start: string,
): Set<string> {
  const active = new Set(nodes.filter((n) => n.status === 'active').map((n) => n.id));
  const reached = new Set<string>();
  if (!active.has(start)) return reached;
  const next = successors(edges);
  const stack = [start];
  reached.add(start);
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const succ of next.get(node) ?? []) {
      if (active.has(succ) && !reached.has(succ)) {
        reached.add(succ);
        stack.push(succ);
      }
    }
  }
  return reached;
}

/** What to prune: scored nodes below a threshold, or the named nodes. */
export type PruneRule = { threshold: number } | { ids: readonly string[] };

/**
 * Which active nodes to prune: the non-root nodes the rule selects (by threshold: every scored
 * node below it; unscored nodes are kept, no score is not a low score), then every node that can
 * no longer be reached from the root through active nodes (its only support is gone). Returned
 * in creation order.
 */
export function nodesToPrune(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  rootId: string,
  rule: PruneRule,
): string[] {
  const named = 'ids' in rule ? new Set(rule.ids) : null;
  const selected = new Set(
    nodes
      .filter((n) => n.status === 'active' && n.id !== rootId)
      .filter((n) =>
        named ? named.has(n.id) : n.score !== null && n.score < (rule as { threshold: number }).threshold,
      )
      .map((n) => n.id),
  );
  const after = nodes.map((n) => (selected.has(n.id) ? { ...n, status: 'pruned' as const } : n));
  const reached = reachableActive(after, edges, rootId);
  return nodes
    .filter((n) => n.status === 'active' && (selected.has(n.id) || !reached.has(n.id)))
    .sort((a, b) => a.seq - b.seq)
    .map((n) => n.id);
}

export interface BestPath {
  /** Node ids from the root to the best node. */
  path: string[];
  /** The highest-scoring active node reachable from the root. */
  bestNodeId: string;
  bestScore: number;
  /** Sum of the scores along the path (unscored nodes count 0). */
  pathScore: number;
}

/**
 * The best path: its end is the highest-scoring active node reachable from the root (ties go
 * to the earlier node); among the paths from the root to it, the one with the highest total
 * score (ties: fewer nodes, then earlier nodes). Null when no reachable active node has a score.
 */
export function bestPath(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  rootId: string,
): BestPath | null {
  const reached = reachableActive(nodes, edges, rootId);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const candidates = nodes
    .filter((n) => reached.has(n.id) && n.score !== null)
    .sort((a, b) => b.score! - a.score! || a.seq - b.seq);
  const best = candidates[0];
  if (!best) return null;

  // Longest (max total score) path in a DAG: relax nodes in topological order from the root.
  const order = topologicalOrder(
    [...reached],
    edges.filter((e) => reached.has(e.from) && reached.has(e.to)),
  );
  const total = new Map<string, number>();
  const length = new Map<string, number>();
  const previous = new Map<string, string | null>();
  const scoreOf = (id: string) => byId.get(id)?.score ?? 0;
  total.set(rootId, scoreOf(rootId));
  length.set(rootId, 1);
  previous.set(rootId, null);
  const incoming = new Map<string, string[]>();
  for (const edge of edges) {
    if (!reached.has(edge.from) || !reached.has(edge.to)) continue;
    const list = incoming.get(edge.to);
    if (list) list.push(edge.from);
    else incoming.set(edge.to, [edge.from]);
  }
  for (const id of order) {
    if (id === rootId) continue;
    let chosen: string | null = null;
    for (const pred of incoming.get(id) ?? []) {
      if (!total.has(pred)) continue;
      if (chosen === null || better(pred, chosen)) chosen = pred;
    }
    if (chosen === null) continue;
    total.set(id, total.get(chosen)! + scoreOf(id));
    length.set(id, length.get(chosen)! + 1);
    previous.set(id, chosen);
  }

  function better(a: string, b: string): boolean {
    const ta = total.get(a)!;
    const tb = total.get(b)!;
    if (ta !== tb) return ta > tb;
    const la = length.get(a)!;
    const lb = length.get(b)!;
    if (la !== lb) return la < lb;
    return (byId.get(a)?.seq ?? 0) < (byId.get(b)?.seq ?? 0);
  }

  const path: string[] = [];
  for (let at: string | null | undefined = best.id; at; at = previous.get(at)) path.unshift(at);
  return { path, bestNodeId: best.id, bestScore: best.score!, pathScore: round(total.get(best.id) ?? 0) };
}

/** Kahn's algorithm; ties in creation order are irrelevant to correctness, ids keep it stable. */
export function topologicalOrder(ids: readonly string[], edges: readonly GraphEdge[]): string[] {
  const indegree = new Map(ids.map((id) => [id, 0]));
  for (const edge of edges) {
    if (indegree.has(edge.to) && indegree.has(edge.from)) indegree.set(edge.to, indegree.get(edge.to)! + 1);
  }
  const next = successors(edges);
  const queue = ids.filter((id) => indegree.get(id) === 0).sort();
  const order: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const succ of next.get(id) ?? []) {
      if (!indegree.has(succ)) continue;
      const left = indegree.get(succ)! - 1;
      indegree.set(succ, left);
      if (left === 0) queue.push(succ);
    }
  }
  if (order.length !== ids.length) throw new Error('the graph has a cycle');
  return order;
}

/** True when the edges over these nodes contain a cycle (used to validate imported graphs). */
export function hasCycle(ids: readonly string[], edges: readonly GraphEdge[]): boolean {
  try {
    topologicalOrder(ids, edges);
    return false;
  } catch {
    return true;
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
