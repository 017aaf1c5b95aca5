/** Sessions and their thoughts. */
import { sql } from 'kysely';
import type { Db, NewThought, SessionRow, ThoughtRow } from './tables.js';

export async function getSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSession(
  db: Db,
  session: { id: string; mode: string; title: string | null; now: string; metadata?: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: session.id,
      mode: session.mode,
      title: session.title,
      active_branch_id: null,
      created_at: session.now,
      updated_at: session.now,
      metadata: session.metadata ?? null,
    })
    .execute();
}

export async function touchSession(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ updated_at: now }).where('id', '=', id).execute();
}

export async function setActiveBranch(
  db: Db,
  id: string,
  branchId: string | null,
  now: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ active_branch_id: branchId, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export interface SessionSummary extends SessionRow {
  thought_count: number;
}

export async function listSessions(
  db: Db,
  options: { mode?: string; offset: number; limit: number },
): Promise<SessionSummary[]> {
  let query = db
    .selectFrom('sessions as s')
    .selectAll('s')
    .select((eb) =>
      eb
        .selectFrom('thoughts as t')
        .whereRef('t.session_id', '=', 's.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('thought_count'),
    )
    .orderBy('s.updated_at', 'desc')
    .orderBy(sql`s.rowid`, 'desc')
    .limit(options.limit)
    .offset(options.offset);
  if (options.mode) query = query.where('s.mode', '=', options.mode);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, thought_count: Number(r.thought_count ?? 0) }));
}

/** The next sequence number in a session (1 for the first thought). */
export async function nextThoughtSeq(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('thoughts')
    .select(sql<number | null>`max(seq)`.as('max'))
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

/** The latest active thought on a branch (null: the session's trunk). */
export async function lastActiveThought(
  db: Db,
  sessionId: string,
  branchId: string | null,
): Promise<ThoughtRow | undefined> {
  return db
    .selectFrom('thoughts')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('status', '=', 'active')
    .where('branch_id', branchId === null ? 'is' : '=', branchId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest active thoughts on a branch, oldest first: the history a model continues from. */
export async function recentThoughts(
  db: Db,
  sessionId: string,
  branchId: string | null,
  count: number,
): Promise<ThoughtRow[]> {
  const rows = await db
    .selectFrom('thoughts')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('status', '=', 'active')
    .where('branch_id', branchId === null ? 'is' : '=', branchId)
    .orderBy('seq', 'desc')
    .limit(count)
    .execute();
  return rows.reverse();
}

export async function getThought(db: Db, id: string): Promise<ThoughtRow | undefined> {
  return db.selectFrom('thoughts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertThought(db: Db, thought: NewThought): Promise<void> {
  await db.insertInto('thoughts').values(thought).execute();
}

export async function listThoughts(
  db: Db,
  sessionId: string,
  options: { offset: number; limit: number; includeAbandoned: boolean; branchId?: string },
): Promise<ThoughtRow[]> {
  let query = db
    .selectFrom('thoughts')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('seq')
    .limit(options.limit)
    .offset(options.offset);
  if (!options.includeAbandoned) query = query.where('status', '=', 'active');
  if (options.branchId) query = query.where('branch_id', '=', options.branchId);
  return query.execute();
}

export interface SessionCounts {
  thoughts: number;
  active_thoughts: number;
  branches: number;
  checkpoints: number;
  graph_nodes: number;
  graph_edges: number;
}

export async function sessionCounts(db: Db, sessionId: string): Promise<SessionCounts> {
  const row = await sql<Record<keyof SessionCounts, number>>`
    SELECT
      (SELECT count(*) FROM thoughts WHERE session_id = ${sessionId}) AS thoughts,
      (SELECT count(*) FROM thoughts WHERE session_id = ${sessionId} AND status = 'active') AS active_thoughts,
      (SELECT count(*) FROM branches WHERE session_id = ${sessionId}) AS branches,
      (SELECT count(*) FROM checkpoints WHERE session_id = ${sessionId}) AS checkpoints,
      (SELECT count(*) FROM graph_nodes WHERE session_id = ${sessionId}) AS graph_nodes,
      (SELECT count(*) FROM graph_edges WHERE session_id = ${sessionId}) AS graph_edges
  `.execute(db);
  const r = row.rows[0]!;
  return {
    thoughts: Number(r.thoughts),
    active_thoughts: Number(r.active_thoughts),
    branches: Number(r.branches),
    checkpoints: Number(r.checkpoints),
    graph_nodes: Number(r.graph_nodes),
    graph_edges: Number(r.graph_edges),
  };
}
