/** SQL for memories: insert with vector, keyword (FTS5) and vector (vector_top_k) candidates, upkeep. */
import { createHash, randomBytes } from 'node:crypto';
import { floatsToVectorLiteral } from '@choir/storage';
import { type RawBuilder, sql } from 'kysely';
import type { MemoriesTable, PersonaDb } from './schema.js';
import { iso } from './time.js';
import { VECTOR_INDEX } from './vector-space.js';

export const MEMORY_TYPES = ['episodic', 'semantic', 'emotional', 'relationship', 'procedural'] as const;
export type MemoryType = (typeof MEMORY_TYPES)[number];
export const VISIBILITIES = ['private', 'shared', 'public'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export function contentHash(content: string): string {
  return createHash('sha256').update(content.normalize('NFC').trim()).digest('hex');
}

export function newMemoryId(): string {
  return `mem_${randomBytes(8).toString('hex')}`;
}

export interface NewMemory {
  personaId: string;
  content: string;
  memoryType: MemoryType;
  importance: number;
  emotionalValence: number;
  visibility: Visibility;
  relatedTo: string | null;
}

export async function findDuplicate(db: PersonaDb, personaId: string, content: string) {
  return db
    .selectFrom('memories')
    .select(['id'])
    .where('persona_id', '=', personaId)
    .where('content_hash', '=', contentHash(content))
    .executeTakeFirst();
}

export async function insertMemory(db: PersonaDb, memory: NewMemory, vector: Float32Array, now: number) {
  const id = newMemoryId();
  const at = iso(now);
  const inserted = await db
    .insertInto('memories')
    .values({
      id,
      persona_id: memory.personaId,
      content: memory.content,
      content_hash: contentHash(memory.content),
      memory_type: memory.memoryType,
      importance: memory.importance,
      emotional_valence: memory.emotionalValence,
      visibility: memory.visibility,
      related_to: memory.relatedTo,
      access_count: 0,
      last_accessed: null,
      created_at: at,
      decayed_at: at,
    })
    .returning('seq')
    .executeTakeFirstOrThrow();
  await sql`INSERT INTO memory_vectors (memory_seq, embedding) VALUES (${inserted.seq}, vector32(${floatsToVectorLiteral(
    vector,
  )}))`.execute(db);
  return { id, seq: inserted.seq };
}

export interface RecallScope {
  /** The persona recalling. */
  personaId: string;
  /** Also other personas' public memories, and shared ones from personas that have met this one. */
  includeOthers: boolean;
  types: readonly MemoryType[] | null;
  visibilities: readonly Visibility[] | null;
  /** Compared with the stored importance; decay since then only lowers it, so this never loses a match. */
  minStoredImportance: number;
}

function scopeFilter(scope: RecallScope): RawBuilder<unknown> {
  const me = scope.personaId;
  const parts: RawBuilder<unknown>[] = [];
  parts.push(
    scope.includeOthers
      ? sql`(m.persona_id = ${me} OR m.visibility = 'public' OR (m.visibility = 'shared' AND EXISTS (
          SELECT 1 FROM relationships r
          WHERE r.persona_id = m.persona_id AND r.other_id = ${me} AND r.interaction_count > 0)))`
      : sql`m.persona_id = ${me}`,
  );
  if (scope.types && scope.types.length > 0)
    parts.push(sql`m.memory_type IN (${sql.join([...scope.types])})`);
  if (scope.visibilities && scope.visibilities.length > 0) {
    parts.push(sql`m.visibility IN (${sql.join([...scope.visibilities])})`);
  }
  if (scope.minStoredImportance > 0) parts.push(sql`m.importance >= ${scope.minStoredImportance}`);
  return sql.join(parts, sql` AND `);
}

/** Best keyword matches first (bm25). */
export async function keywordCandidates(db: PersonaDb, match: string, scope: RecallScope, limit: number) {
  const result = await sql<{ id: string }>`
    SELECT m.id FROM memories_fts JOIN memories m ON m.seq = memories_fts.rowid
    WHERE memories_fts MATCH ${match} AND ${scopeFilter(scope)}
    ORDER BY bm25(memories_fts), m.seq DESC
    LIMIT ${limit}`.execute(db);
  return result.rows.map((r) => r.id);
}

/**
 * Nearest memories first, from the ANN index. vector_top_k cannot filter, so it is asked for
 * `annCandidates` neighbours and the scope is applied to those.
 */
export async function vectorCandidates(
  db: PersonaDb,
  vector: Float32Array,
  scope: RecallScope,
  limit: number,
  annCandidates: number,
) {
  const literal = floatsToVectorLiteral(vector);
  const result = await sql<{ id: string; distance: number }>`
    SELECT m.id, vector_distance_cos(v.embedding, vector32(${literal})) AS distance
    FROM vector_top_k(${VECTOR_INDEX}, vector32(${literal}), ${annCandidates}) AS k
    JOIN memory_vectors v ON v.rowid = k.id
    JOIN memories m ON m.seq = v.memory_seq
    WHERE ${scopeFilter(scope)}
    ORDER BY distance, m.seq DESC
    LIMIT ${limit}`.execute(db);
  return result.rows.map((r) => ({ id: r.id, similarity: 1 - Number(r.distance) }));
}

export async function memoriesByIds(db: PersonaDb, ids: readonly string[]): Promise<MemoriesTable[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('memories')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function recordAccess(db: PersonaDb, ids: readonly string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('memories')
    .set((eb) => ({ access_count: eb('access_count', '+', 1), last_accessed: iso(now) }))
    .where('id', 'in', [...ids])
    .execute();
}

export async function memoriesOf(db: PersonaDb, personaId: string) {
  return db
    .selectFrom('memories')
    .select(['id', 'importance', 'access_count', 'created_at', 'last_accessed', 'decayed_at'])
    .where('persona_id', '=', personaId)
    .execute();
}

export async function countMemories(db: PersonaDb, personaId: string): Promise<number> {
  const row = await db
    .selectFrom('memories')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('persona_id', '=', personaId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setImportance(
  db: PersonaDb,
  id: string,
  importance: number,
  now: number,
): Promise<void> {
  await db
    .updateTable('memories')
    .set({ importance, decayed_at: iso(now) })
    .where('id', '=', id)
    .execute();
}

export async function deleteMemories(db: PersonaDb, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .deleteFrom('memories')
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
