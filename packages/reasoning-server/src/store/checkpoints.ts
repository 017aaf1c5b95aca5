/** Checkpoints: named snapshots of a session, stored as versioned JSON. */
import { sql } from 'kysely';
import { planRestore, Snapshot } from '../snapshot.js';
import type { CheckpointRow, Db } from './tables.js';

export async function getCheckpoint(db: Db, id: string): Promise<CheckpointRow | undefined> {
  return db.selectFrom('checkpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function checkpointByName(
  db: Db,
  sessionId: string,
  name: string,
): Promise<CheckpointRow | undefined> {
  return db
    .selectFrom('checkpoints')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function insertCheckpoint(db: Db, row: CheckpointRow): Promise<void> {
  await db.insertInto('checkpoints').values(row).execute();
}

export async function listCheckpoints(
  db: Db,
  sessionId: string,
  options: { offset: number; limit: number },
): Promise<CheckpointRow[]> {
  return db
    .selectFrom('checkpoints')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('created_at')
    .orderBy(sql`rowid`)
    .limit(options.limit)
    .offset(options.offset)
    .execute();
}

/** The checkpoint's snapshot, validated: a damaged snapshot is reported, never half-applied. */
export function readSnapshot(row: CheckpointRow): Snapshot {
  const parsed = Snapshot.safeParse(JSON.parse(row.snapshot));
  if (!parsed.success) throw new Error(`checkpoint ${row.id} holds an invalid snapshot`);
  return parsed.data;
}

/** The session's state now, as a snapshot. */
export async function captureSnapshot(
  db: Db,
  sessionId: string,
  activeBranchId: string | null,
): Promise<Snapshot> {
  const last = await db
    .selectFrom('thoughts')
    .select(['id', 'seq'])
    .where('session_id', '=', sessionId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const lastActive = await db
    .selectFrom('thoughts')
    .select('id')
    .where('session_id', '=', sessionId)
    .where('status', '=', 'active')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const abandoned = await db
    .selectFrom('thoughts')
    .select('id')
    .where('session_id', '=', sessionId)
    .where('status', '=', 'abandoned')
    .orderBy('seq')
    .execute();
  const branches = await db
    .selectFrom('branches')
    .select(['id', 'status'])
    .where('session_id', '=', sessionId)
    .orderBy('created_at')
    .orderBy(sql`rowid`)
    .execute();
  const nodes = await db
    .selectFrom('graph_nodes')
    .select(['id', 'seq', 'status', 'score', 'is_terminal'])
    .where('session_id', '=', sessionId)
    .orderBy('seq')
    .execute();
  return {
    version: 1,
    active_branch_id: activeBranchId,
    last_seq: last?.seq ?? 0,
    last_thought_id: lastActive?.id ?? null,
    abandoned_thought_ids: abandoned.map((t) => t.id),
    branches: branches.map((b) => ({ id: b.id, status: b.status })),
    graph: {
      last_seq: nodes.length ? nodes[nodes.length - 1]!.seq : 0,
      nodes: nodes.map((n) => ({
        id: n.id,
        status: n.status,
        score: n.score,
        is_terminal: n.is_terminal === 1,
      })),
    },
  };
}

export interface RestoreCounts {
  abandoned_thoughts: number;
  reactivated_thoughts: number;
  changed_branches: number;
  changed_nodes: number;
}

/**
 * Brings the session back to the snapshot. Nothing is deleted: thoughts after the checkpoint
 * become `abandoned`, branches created after it `abandoned`, graph nodes created after it `pruned`.
 */
export async function restoreSnapshot(
  db: Db,
  sessionId: string,
  snapshot: Snapshot,
  now: string,
): Promise<RestoreCounts> {
  const abandonedThen = JSON.stringify(snapshot.abandoned_thought_ids);
  const later = await db
    .updateTable('thoughts')
    .set({ status: 'abandoned' })
    .where('session_id', '=', sessionId)
    .where('seq', '>', snapshot.last_seq)
    .where('status', '=', 'active')
    .executeTakeFirst();
  // json_each keeps the id list one parameter, however many thoughts were abandoned then.
  const reactivated = await sql`
    UPDATE thoughts SET status = 'active'
    WHERE session_id = ${sessionId} AND seq <= ${snapshot.last_seq} AND status = 'abandoned'
      AND id NOT IN (SELECT value FROM json_each(${abandonedThen}))`.execute(db);
  await sql`
    UPDATE thoughts SET status = 'abandoned'
    WHERE session_id = ${sessionId} AND seq <= ${snapshot.last_seq} AND status = 'active'
      AND id IN (SELECT value FROM json_each(${abandonedThen}))`.execute(db);

  const branches = await db
    .selectFrom('branches')
    .select(['id', 'status'])
    .where('session_id', '=', sessionId)
    .execute();
  const nodes = await db
    .selectFrom('graph_nodes')
    .select(['id', 'seq', 'status', 'score', 'is_terminal'])
    .where('session_id', '=', sessionId)
    .execute();
  const plan = planRestore(snapshot, {
    branches,
    nodes: nodes.map((n) => ({ ...n, is_terminal: n.is_terminal === 1 })),
  });
  for (const branch of plan.branches) {
    await db
      .updateTable('branches')
      .set({ status: branch.status, updated_at: now })
      .where('id', '=', branch.id)
      .execute();
  }
  for (const node of plan.nodes) {
    await db
      .updateTable('graph_nodes')
      .set({ status: node.status, score: node.score, is_terminal: node.is_terminal ? 1 : 0 })
      .where('id', '=', node.id)
      .execute();
  }
  await db
    .updateTable('sessions')
    .set({ active_branch_id: snapshot.active_branch_id, updated_at: now })
    .where('id', '=', sessionId)
    .execute();
  return {
    abandoned_thoughts: Number(later.numUpdatedRows),
    reactivated_thoughts: Number(reactivated.numAffectedRows ?? 0),
    changed_branches: plan.branches.length,
    changed_nodes: plan.nodes.length,
  };
}
