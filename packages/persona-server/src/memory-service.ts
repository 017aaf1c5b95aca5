/** Remembering, hybrid recall and memory upkeep: the domain rules applied to the store. */
import { ToolError } from '@choir/server-kit';
import { decayedImportance } from './memory-decay.js';
import { planPruning } from './memory-pruning.js';
import { HOUR_MS } from './numbers.js';
import type { Persona } from './persona.js';
import { ftsQuery, reciprocalRankFusion } from './rank-fusion.js';
import type { Runtime } from './runtime.js';
import {
  countMemories,
  deleteMemories,
  findDuplicate,
  insertMemory,
  keywordCandidates,
  type MemoryType,
  memoriesByIds,
  memoriesOf,
  type NewMemory,
  type RecallScope,
  recordAccess,
  setImportance,
  type Visibility,
  vectorCandidates,
} from './store/memories.js';
import { memoryUpkeepAt, setMemoryUpkeepAt } from './store/personas.js';
import type { MemoriesTable, PersonaDb } from './store/schema.js';
import { ms, msOrNull } from './store/time.js';
import { isZeroVector } from './store/vector-space.js';
import { wordsOf } from './words.js';

export const RECALL_RULES = {
  /** Persisted decay runs at most this often per persona (reads always compute it exactly). */
  upkeepIntervalHours: 1,
  /** Vector neighbours below this cosine similarity are not matches. */
  minSimilarity: 0.1,
  /** Ranked candidates taken from each list before fusion: max(floor, limit × factor). */
  candidateFloor: 50,
  candidateFactor: 5,
  /** Neighbours asked of the ANN index before filtering by persona, type and visibility. */
  annCandidates: 500,
} as const;

export function requireWords(text: string, field: string): void {
  if (wordsOf(text).length === 0) {
    throw new ToolError('INVALID_INPUT', `${field} must contain at least one word (letters or digits)`);
  }
}

export interface RememberResult {
  memoryId: string;
  duplicate: boolean;
  pruned: string[];
  count: number;
}

export async function remember(
  rt: Runtime,
  memory: NewMemory,
  signal?: AbortSignal,
): Promise<RememberResult> {
  requireWords(memory.content, 'content');
  const duplicate = await findDuplicate(rt.db, memory.personaId, memory.content);
  if (duplicate) {
    return {
      memoryId: duplicate.id,
      duplicate: true,
      pruned: [],
      count: await countMemories(rt.db, memory.personaId),
    };
  }
  const [vector] = await rt.vectors.embed([memory.content], signal);
  const now = rt.now();
  return rt.db.transaction().execute(async (trx) => {
    const { id } = await insertMemory(trx, memory, vector!, now);
    const upkeep = await runUpkeep(trx, memory.personaId, now, rt.memoryCap, false);
    return { memoryId: id, duplicate: false, pruned: upkeep.pruned, count: upkeep.remaining };
  });
}

export interface UpkeepResult {
  decayed: number;
  pruned: string[];
  remaining: number;
  /** Over the cap but protected (recent or very important), so kept. */
  overCapProtected: number;
}

/** Persists decay (when due, or forced) and prunes past the cap. Run inside a transaction. */
export async function runUpkeep(
  db: PersonaDb,
  personaId: string,
  now: number,
  cap: number,
  force: boolean,
): Promise<UpkeepResult> {
  const last = await memoryUpkeepAt(db, personaId);
  const decayDue = force || last === null || now - last >= RECALL_RULES.upkeepIntervalHours * HOUR_MS;
  const count = await countMemories(db, personaId);
  if (!decayDue && count <= cap) return { decayed: 0, pruned: [], remaining: count, overCapProtected: 0 };

  const rows = await memoriesOf(db, personaId);
  let decayed = 0;
  const current = rows.map((row) => {
    const importance = decayedImportance(row.importance, now - ms(row.decayed_at));
    return { row, importance };
  });
  if (decayDue) {
    for (const { row, importance } of current) {
      if (importance !== row.importance) {
        await setImportance(db, row.id, importance, now);
        decayed++;
      }
    }
    await setMemoryUpkeepAt(db, personaId, now);
  }
  const plan = planPruning(
    current.map(({ row, importance }) => ({
      id: row.id,
      importance,
      accessCount: row.access_count,
      createdAt: ms(row.created_at),
      lastAccessed: msOrNull(row.last_accessed),
    })),
    cap,
    now,
  );
  await deleteMemories(db, plan.prune);
  return {
    decayed,
    pruned: plan.prune,
    remaining: count - plan.prune.length,
    overCapProtected: plan.overCapProtected,
  };
}

export type RecallMode = 'hybrid' | 'vector' | 'keyword';

export interface RecallRequest {
  query: string;
  limit: number;
  mode: RecallMode;
  types: readonly MemoryType[] | null;
  visibilities: readonly Visibility[] | null;
  includeOthers: boolean;
  minImportance: number;
}

export interface RecalledMemory {
  row: MemoriesTable;
  /** Importance now, after decay. */
  importance: number;
  score: number;
  keywordRank: number | null;
  vectorRank: number | null;
  similarity: number | null;
}

export async function recall(
  rt: Runtime,
  persona: Persona,
  request: RecallRequest,
  signal?: AbortSignal,
  /** recordAccess false: the caller records the access in its own transaction. */
  options: { recordAccess?: boolean } = {},
): Promise<RecalledMemory[]> {
  requireWords(request.query, 'query');
  const scope: RecallScope = {
    personaId: persona.id,
    includeOthers: request.includeOthers,
    types: request.types,
    visibilities: request.visibilities,
    minStoredImportance: request.minImportance,
  };
  const candidates = Math.max(RECALL_RULES.candidateFloor, request.limit * RECALL_RULES.candidateFactor);
  const lists: string[][] = [];
  const similarity = new Map<string, number>();
  let keywordList = -1;
  let vectorList = -1;
  if (request.mode !== 'vector') {
    const match = ftsQuery(request.query);
    keywordList = lists.push(match ? await keywordCandidates(rt.db, match, scope, candidates) : []) - 1;
  }
  if (request.mode !== 'keyword') {
    const [vector] = await rt.vectors.embed([request.query], signal);
    const hits =
      vector && !isZeroVector(vector)
        ? await vectorCandidates(rt.db, vector, scope, candidates, RECALL_RULES.annCandidates)
        : [];
    const kept = hits.filter((h) => h.similarity >= RECALL_RULES.minSimilarity);
    for (const h of kept) similarity.set(h.id, h.similarity);
    vectorList = lists.push(kept.map((h) => h.id)) - 1;
  }
  const fused = reciprocalRankFusion(lists);
  const rows = new Map(
    (
      await memoriesByIds(
        rt.db,
        fused.map((f) => f.id),
      )
    ).map((r) => [r.id, r]),
  );
  const now = rt.now();
  const results: RecalledMemory[] = [];
  for (const hit of fused) {
    const row = rows.get(hit.id);
    if (!row) continue; // deleted between the two queries
    const importance = decayedImportance(row.importance, now - ms(row.decayed_at));
    if (importance < request.minImportance) continue;
    results.push({
      row,
      importance,
      score: round4(hit.score),
      keywordRank: keywordList >= 0 ? (hit.ranks[keywordList] ?? null) : null,
      vectorRank: vectorList >= 0 ? (hit.ranks[vectorList] ?? null) : null,
      similarity: similarity.has(hit.id) ? round4(similarity.get(hit.id)!) : null,
    });
    if (results.length >= request.limit) break;
  }
  if (options.recordAccess === false) return results;
  await rt.db.transaction().execute(async (trx) => {
    await recordAccess(
      trx,
      results.map((r) => r.row.id),
      now,
    );
    await runUpkeep(trx, persona.id, now, rt.memoryCap, false);
  });
  return results;
}

function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
