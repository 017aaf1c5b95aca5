/** The action server's SQL: the log of every answer it produced (generation_log). */
import type { Store } from '@choir/storage';
import type { Generated, Selectable } from 'kysely';

export const PHASES = ['action', 'yield', 'followup'] as const;
export type LogPhase = (typeof PHASES)[number];
export const OUTCOMES = ['generated', 'extractive', 'degraded', 'failed'] as const;
export type LogOutcome = (typeof OUTCOMES)[number];

export interface GenerationLogTable {
  id: Generated<number>;
  created_at: string;
  phase: LogPhase;
  outcome: LogOutcome;
  generated: 0 | 1;
  via: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  latency_ms: number | null;
  conversation_id: string | null;
  cycle: number | null;
  cited_ids: string;
  dropped_ids: string;
  should_continue: 0 | 1 | null;
  reason: string | null;
  output: string;
}

export interface ActionDB {
  generation_log: GenerationLogTable;
}

export type ActionStore = Store<ActionDB>;

export interface LogEntryInput {
  phase: LogPhase;
  outcome: LogOutcome;
  via?: 'sampling' | 'provider' | null;
  model?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  latencyMs?: number | null;
  conversationId?: string | null;
  cycle?: number | null;
  citedIds?: readonly string[];
  droppedIds?: readonly string[];
  shouldContinue?: boolean | null;
  reason?: string | null;
  output: string;
}

export interface LogEntry {
  id: number;
  created_at: string;
  phase: LogPhase;
  outcome: LogOutcome;
  generated: boolean;
  via: string | null;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  latency_ms: number | null;
  conversation_id: string | null;
  cycle: number | null;
  cited_ids: string[];
  dropped_ids: string[];
  should_continue: boolean | null;
  reason: string | null;
  output: string;
}

/** Appends one entry; returns its id. */
export async function recordGeneration(
  store: ActionStore,
  entry: LogEntryInput,
  now = new Date(),
): Promise<number> {
  const row = await store.db
    .insertInto('generation_log')
    .values({
      created_at: now.toISOString(),
      phase: entry.phase,
      outcome: entry.outcome,
      generated: entry.outcome === 'generated' ? 1 : 0,
      via: entry.via ?? null,
      model: entry.model ?? null,
      input_tokens: entry.inputTokens ?? null,
      output_tokens: entry.outputTokens ?? null,
      latency_ms: entry.latencyMs ?? null,
      conversation_id: entry.conversationId ?? null,
      cycle: entry.cycle ?? null,
      cited_ids: JSON.stringify(entry.citedIds ?? []),
      dropped_ids: JSON.stringify(entry.droppedIds ?? []),
      should_continue: entry.shouldContinue == null ? null : entry.shouldContinue ? 1 : 0,
      reason: entry.reason ?? null,
      output: entry.output,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface LogQuery {
  /** Only entries older than this id (the cursor). */
  beforeId?: number;
  limit: number;
  phase?: LogPhase;
  conversationId?: string;
  generated?: boolean;
}

/** Newest first; `hasMore` tells whether another page exists. */
export async function listGenerations(
  store: ActionStore,
  query: LogQuery,
): Promise<{ entries: LogEntry[]; hasMore: boolean }> {
  let q = store.db.selectFrom('generation_log').selectAll();
  if (query.beforeId !== undefined) q = q.where('id', '<', query.beforeId);
  if (query.phase) q = q.where('phase', '=', query.phase);
  if (query.conversationId !== undefined) q = q.where('conversation_id', '=', query.conversationId);
  if (query.generated !== undefined) q = q.where('generated', '=', query.generated ? 1 : 0);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return { entries: rows.slice(0, query.limit).map(toEntry), hasMore: rows.length > query.limit };
}

export async function countGenerations(store: ActionStore): Promise<number> {
  const row = await store.db
    .selectFrom('generation_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function toEntry(row: Selectable<GenerationLogTable>): LogEntry {
  return {
    ...row,
    generated: row.generated === 1,
    cited_ids: parseIds(row.cited_ids),
    dropped_ids: parseIds(row.dropped_ids),
    should_continue: row.should_continue === null ? null : row.should_continue === 1,
  };
}

function parseIds(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
