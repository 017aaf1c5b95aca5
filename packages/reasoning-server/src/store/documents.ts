/** Reading a whole session as an export document, and writing one back. */
import { sql } from 'kysely';
import { Snapshot } from '../snapshot.js';
import { DOCUMENT_FORMAT, DOCUMENT_VERSION, type SessionDocument } from '../session-document.js';
import { parseMetadata } from './ids.js';
import type { Db } from './tables.js';

const orNull = (text: string | null) => (text ? parseMetadata(text) : null);
const jsonOrNull = (value: Record<string, unknown> | null) =>
  value && Object.keys(value).length ? JSON.stringify(value) : null;

/** Rows a session would put in an export document (for the size cap, before reading them). */
export async function sessionRowTotal(db: Db, sessionId: string): Promise<number> {
  const result = await sql<{ n: number }>`
    SELECT 1
      + (SELECT count(*) FROM thoughts WHERE session_id = ${sessionId})
      + (SELECT count(*) FROM branches WHERE session_id = ${sessionId})
      + (SELECT count(*) FROM cross_refs WHERE session_id = ${sessionId})
      + (SELECT count(*) FROM checkpoints WHERE session_id = ${sessionId})
      + (SELECT count(*) FROM graph_nodes WHERE session_id = ${sessionId})
      + (SELECT count(*) FROM graph_edges WHERE session_id = ${sessionId}) AS n`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export async function readDocument(
  db: Db,
  sessionId: string,
  exportedAt: string,
): Promise<SessionDocument | null> {
  const session = await db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
  if (!session) return null;
  const thoughts = await db
    .selectFrom('thoughts')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('seq')
    .execute();
  const branches = await db
    .selectFrom('branches')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy(sql`rowid`)
    .execute();
  const refs = await db
    .selectFrom('cross_refs')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy(sql`rowid`)
    .execute();
  const checkpoints = await db
    .selectFrom('checkpoints')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy(sql`rowid`)
    .execute();
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
    .orderBy(sql`rowid`)
    .execute();
  return {
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    exported_at: exportedAt,
    session: {
      id: session.id,
      mode: session.mode,
      title: session.title,
      active_branch_id: session.active_branch_id,
      created_at: session.created_at,
      updated_at: session.updated_at,
      metadata: orNull(session.metadata),
    },
    thoughts: thoughts.map((t) => ({
      id: t.id,
      seq: t.seq,
      content: t.content,
      confidence: t.confidence,
      mode: t.mode,
      kind: t.kind,
      parent_id: t.parent_id,
      branch_id: t.branch_id,
      status: t.status,
      generated: t.generated === 1,
      model: t.model,
      created_at: t.created_at,
      metadata: orNull(t.metadata),
    })),
    branches: branches.map((b) => ({
      id: b.id,
      name: b.name,
      parent_branch_id: b.parent_branch_id,
      origin_thought_id: b.origin_thought_id,
      status: b.status,
      confidence: b.confidence,
      summary: b.summary,
      created_at: b.created_at,
      updated_at: b.updated_at,
      metadata: orNull(b.metadata),
    })),
    cross_refs: refs.map((r) => ({
      id: r.id,
      from_branch_id: r.from_branch_id,
      to_branch_id: r.to_branch_id,
      ref_type: r.ref_type,
      reason: r.reason,
      strength: r.strength,
      created_at: r.created_at,
    })),
    checkpoints: checkpoints.map((c) => ({
      id: c.id,
      branch_id: c.branch_id,
      name: c.name,
      description: c.description,
      snapshot: Snapshot.parse(JSON.parse(c.snapshot)),
      created_at: c.created_at,
    })),
    graph_nodes: nodes.map((n) => ({
      id: n.id,
      seq: n.seq,
      content: n.content,
      node_type: n.node_type,
      score: n.score,
      score_rationale: n.score_rationale,
      depth: n.depth,
      status: n.status,
      is_terminal: n.is_terminal === 1,
      generated: n.generated === 1,
      model: n.model,
      created_at: n.created_at,
      metadata: orNull(n.metadata),
    })),
    graph_edges: edges.map((e) => ({
      id: e.id,
      from_node: e.from_node,
      to_node: e.to_node,
      edge_type: e.edge_type,
      weight: e.weight,
      created_at: e.created_at,
    })),
  };
}

/** For each id already stored in any table, the session it belongs to. */
export async function ownersOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  if (ids.length === 0) return owners;
  const list = JSON.stringify(ids);
  const result = await sql<{ id: string; session_id: string }>`
    SELECT id, id AS session_id FROM sessions WHERE id IN (SELECT value FROM json_each(${list}))
    UNION ALL SELECT id, session_id FROM thoughts WHERE id IN (SELECT value FROM json_each(${list}))
    UNION ALL SELECT id, session_id FROM branches WHERE id IN (SELECT value FROM json_each(${list}))
    UNION ALL SELECT id, session_id FROM cross_refs WHERE id IN (SELECT value FROM json_each(${list}))
    UNION ALL SELECT id, session_id FROM checkpoints WHERE id IN (SELECT value FROM json_each(${list}))
    UNION ALL SELECT id, session_id FROM graph_nodes WHERE id IN (SELECT value FROM json_each(${list}))
    UNION ALL SELECT id, session_id FROM graph_edges WHERE id IN (SELECT value FROM json_each(${list}))`.execute(
    db,
  );
  for (const row of result.rows) owners.set(row.id, row.session_id);
  return owners;
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  // Cascades to everything the session owns (and, through the triggers, its full-text rows).
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/**
 * Inserts the document's rows under `sessionId` (which must exist unless withSession). References
 * are checked by the database at commit (they are deferred), so insertion order does not matter.
 */
export async function writeDocument(
  db: Db,
  doc: SessionDocument,
  sessionId: string,
  withSession: boolean,
): Promise<void> {
  if (withSession) {
    const s = doc.session;
    await db
      .insertInto('sessions')
      .values({
        id: sessionId,
        mode: s.mode,
        title: s.title,
        active_branch_id: s.active_branch_id,
        created_at: s.created_at,
        updated_at: s.updated_at,
        metadata: jsonOrNull(s.metadata),
      })
      .execute();
  }
  for (const b of doc.branches) {
    await db
      .insertInto('branches')
      .values({ ...b, session_id: sessionId, metadata: jsonOrNull(b.metadata) })
      .execute();
  }
  for (const t of doc.thoughts) {
    await db
      .insertInto('thoughts')
      .values({
        ...t,
        session_id: sessionId,
        generated: t.generated ? 1 : 0,
        metadata: jsonOrNull(t.metadata),
      })
      .execute();
  }
  for (const r of doc.cross_refs)
    await db
      .insertInto('cross_refs')
      .values({ ...r, session_id: sessionId })
      .execute();
  for (const c of doc.checkpoints) {
    await db
      .insertInto('checkpoints')
      .values({ ...c, session_id: sessionId, snapshot: JSON.stringify(c.snapshot) })
      .execute();
  }
  for (const n of doc.graph_nodes) {
    await db
      .insertInto('graph_nodes')
      .values({
        ...n,
        session_id: sessionId,
        is_terminal: n.is_terminal ? 1 : 0,
        generated: n.generated ? 1 : 0,
        metadata: jsonOrNull(n.metadata),
      })
      .execute();
  }
  for (const e of doc.graph_edges)
    await db
      .insertInto('graph_edges')
      .values({ ...e, session_id: sessionId })
      .execute();
}
