/** Full-text search over thoughts through the thoughts_fts index (FTS5, porter stemming). */
import { sql } from 'kysely';
import type { Db } from './tables.js';

export interface SearchHit {
  thought_id: string;
  session_id: string;
  seq: number;
  mode: string;
  status: string;
  snippet: string;
  /** bm25 relevance turned positive: higher is better. */
  score: number;
}

export async function searchThoughts(
  db: Db,
  options: {
    match: string;
    sessionId?: string;
    mode?: string;
    includeAbandoned: boolean;
    offset: number;
    limit: number;
  },
): Promise<SearchHit[]> {
  const filters = [sql`thoughts_fts MATCH ${options.match}`];
  if (options.sessionId) filters.push(sql`t.session_id = ${options.sessionId}`);
  if (options.mode) filters.push(sql`t.mode = ${options.mode}`);
  if (!options.includeAbandoned) filters.push(sql`t.status = 'active'`);
  const result = await sql<SearchHit>`
    SELECT t.id AS thought_id, t.session_id, t.seq, t.mode, t.status,
           snippet(thoughts_fts, 0, '[', ']', '…', 16) AS snippet,
           -bm25(thoughts_fts) AS score
    FROM thoughts_fts JOIN thoughts t ON t.row_id = thoughts_fts.rowid
    WHERE ${sql.join(filters, sql` AND `)}
    ORDER BY bm25(thoughts_fts), t.row_id
    LIMIT ${options.limit} OFFSET ${options.offset}`.execute(db);
  return result.rows.map((r) => ({ ...r, score: Math.round(Number(r.score) * 1e4) / 1e4 }));
}
