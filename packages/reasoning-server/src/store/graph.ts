/** Graph-of-thoughts nodes and edges. */
import { sql } from 'kysely';
import type { Db, EdgeRow, NodeRow } from './tables.js';

export async function getNode(db: Db, id: string): Promise<NodeRow | undefined> {
  return db.selectFrom('graph_nodes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getNodes(db: Db, ids: string[]): Promise<NodeRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('graph_nodes').selectAll().where('id', 'in', ids).execute();
}

export async function rootNode(db: Db, sessionId: string): Promise<NodeRow | undefined> {
  return db
    .selectFrom('graph_nodes')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('node_type', '=', 'root')
    .executeTakeFirst();
}

export async function nextNodeSeq(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('graph_nodes')
    .select(sql<number | null>`max(seq)`.as('max'))
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export async function countNodes(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('graph_nodes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertNode(db: Db, node: NodeRow): Promise<void> {
  await db.insertInto('graph_nodes').values(node).execute();
}

export async function insertEdge(db: Db, edge: EdgeRow): Promise<void> {
  await db.insertInto('graph_edges').values(edge).execute();
}

/** Every node and edge of a session's graph (graphs are capped by max_nodes, so this is bounded). */
export async function loadGraph(db: Db, sessionId: string): Promise<{ nodes: NodeRow[]; edges: EdgeRow[] }> {
  const nodes = await db
    .selectFrom('graph_nodes')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('seq')
    .execute();
  const edges = await db
    .selectFrom('graph_edges')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('created_at')
    .orderBy(sql`rowid`)
    .execute();
  return { nodes, edges };
}

export async function setNodeScore(
  db: Db,
  id: string,
  score: number,
  rationale: string | null,
): Promise<void> {
  await db
    .updateTable('graph_nodes')
    .set({ score, score_rationale: rationale })
    .where('id', '=', id)
    .execute();
}

export async function pruneNodes(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('graph_nodes')
    .set({ status: 'pruned', is_terminal: 0 })
    .where('id', 'in', ids)
    .execute();
}

/** Marks one node as the graph's conclusion; any earlier conclusion stops being terminal. */
export async function markTerminal(db: Db, sessionId: string, id: string): Promise<void> {
  await db.updateTable('graph_nodes').set({ is_terminal: 0 }).where('session_id', '=', sessionId).execute();
  await db.updateTable('graph_nodes').set({ is_terminal: 1 }).where('id', '=', id).execute();
}

export async function listNodes(
  db: Db,
  sessionId: string,
  options: { offset: number; limit: number; includePruned: boolean },
): Promise<NodeRow[]> {
  let query = db
    .selectFrom('graph_nodes')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('seq')
    .limit(options.limit)
    .offset(options.offset);
  if (!options.includePruned) query = query.where('status', '=', 'active');
  return query.execute();
}

export async function edgesFrom(db: Db, nodeIds: string[]): Promise<EdgeRow[]> {
  if (nodeIds.length === 0) return [];
  return db
    .selectFrom('graph_edges')
    .selectAll()
    .where('from_node', 'in', nodeIds)
    .orderBy('created_at')
    .orderBy(sql`rowid`)
    .execute();
}

export async function graphCounts(
  db: Db,
  sessionId: string,
): Promise<{ nodes: number; active: number; pruned: number; edges: number }> {
  const result = await sql<{ nodes: number; active: number; edges: number }>`
    SELECT
      (SELECT count(*) FROM graph_nodes WHERE session_id = ${sessionId}) AS nodes,
      (SELECT count(*) FROM graph_nodes WHERE session_id = ${sessionId} AND status = 'active') AS active,
      (SELECT count(*) FROM graph_edges WHERE session_id = ${sessionId}) AS edges`.execute(db);
  const row = result.rows[0]!;
  return {
    nodes: Number(row.nodes),
    active: Number(row.active),
    pruned: Number(row.nodes) - Number(row.active),
    edges: Number(row.edges),
  };
}
