/** Tree-mode branches and the cross-references between them. */
import { sql } from 'kysely';
import type { BranchRow, BranchStatus, CrossRefRow, Db } from './tables.js';

export async function getBranch(db: Db, id: string): Promise<BranchRow | undefined> {
  return db.selectFrom('branches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertBranch(db: Db, branch: BranchRow): Promise<void> {
  await db.insertInto('branches').values(branch).execute();
}

export async function insertCrossRef(db: Db, ref: CrossRefRow): Promise<void> {
  await db.insertInto('cross_refs').values(ref).execute();
}

export async function setBranchStatus(
  db: Db,
  id: string,
  status: BranchStatus,
  now: string,
  summary?: string | null,
): Promise<void> {
  await db
    .updateTable('branches')
    .set(summary === undefined ? { status, updated_at: now } : { status, updated_at: now, summary })
    .where('id', '=', id)
    .execute();
}

export interface BranchSummary extends BranchRow {
  thought_count: number;
}

export async function listBranches(
  db: Db,
  sessionId: string,
  options: { status?: BranchStatus; offset: number; limit: number },
): Promise<BranchSummary[]> {
  let query = db
    .selectFrom('branches as b')
    .selectAll('b')
    .select((eb) =>
      eb
        .selectFrom('thoughts as t')
        .whereRef('t.branch_id', '=', 'b.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('thought_count'),
    )
    .where('b.session_id', '=', sessionId)
    .orderBy('b.created_at')
    .orderBy(sql`b.rowid`)
    .limit(options.limit)
    .offset(options.offset);
  if (options.status) query = query.where('b.status', '=', options.status);
  const rows = await query.execute();
  return rows.map((r) => ({ ...r, thought_count: Number(r.thought_count ?? 0) }));
}

/** Cross-references touching any of these branches. */
export async function crossRefsFor(db: Db, branchIds: string[]): Promise<CrossRefRow[]> {
  if (branchIds.length === 0) return [];
  return db
    .selectFrom('cross_refs')
    .selectAll()
    .where((eb) => eb.or([eb('from_branch_id', 'in', branchIds), eb('to_branch_id', 'in', branchIds)]))
    .orderBy('created_at')
    .orderBy(sql`rowid`)
    .execute();
}
