/** The SQL of the chat-history server: every read and write of migrations/chat-history's tables. */
import type { Store } from '@choir/storage';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { HistoryDB } from './db.js';
import { HistoryError } from './errors.js';
import type { EventRow, StoredEventRow } from './events.js';
import { planRetention, type RetentionPlan, type RetentionPolicy } from './retention.js';

type DB = Kysely<HistoryDB>;
type Trx = Transaction<HistoryDB>;

export interface ConversationRecord {
  id: string;
  title: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
  next_seq: number;
  event_count: number;
  token_total: number;
}

/** A row of the newest-first context walk: the event plus where its call is, for results. */
export interface ContextRow extends StoredEventRow {
  call_seq: number | null;
}

export interface AppendOutcome {
  seqs: number[];
  duplicate: boolean;
  /** The append created the conversation. */
  created: boolean;
  /** What retention removed after the append (in the same transaction). */
  pruned: RetentionPlan;
}

export interface SearchHit {
  conversation_id: string;
  seq: number;
  type: string;
  role: string;
  timestamp: string;
  snippet: string;
  /** BM25, negated so that higher is better. */
  score: number;
}

export interface UsageRow {
  conversation_id: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  events: number;
}

export interface AppendRequestRecord {
  request_id: string;
  first_seq: number;
  event_count: number;
  fingerprint: string;
  created_at: string;
}

export interface ImportInput {
  conversation: Omit<ConversationRecord, 'event_count' | 'token_total'>;
  /** Ordered by seq. */
  events: StoredEventRow[];
  requests: AppendRequestRecord[];
}

export interface ImportOutcome {
  created: boolean;
  imported: number;
  skipped: number;
  pruned: RetentionPlan;
}

const NOTHING_PRUNED: RetentionPlan = { deleteThroughSeq: null, eventsToDelete: 0, tokensToFree: 0 };
/** SQLite's default limit is 32766 bound variables; 13 columns × 500 rows stays far below. */
const INSERT_CHUNK = 500;

const EVENT_COLUMNS = [
  'id',
  'seq',
  'timestamp',
  'type',
  'role',
  'content',
  'tool_calls',
  'tool_call_id',
  'model',
  'usage',
  'extra',
  'token_count',
  'request_id',
] as const;

function parseMetadata(text: string): Record<string, unknown> {
  const value = JSON.parse(text) as unknown;
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function toRecord(row: {
  id: string;
  title: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
  next_seq: number;
  event_count: number;
  token_total: number;
}): ConversationRecord {
  return { ...row, metadata: parseMetadata(row.metadata) };
}

export class HistoryStore {
  readonly #db: DB;

  constructor(readonly store: Store<HistoryDB>) {
    this.#db = store.db as unknown as DB;
  }

  /**
   * Appends a batch atomically: seqs continue the conversation's counter inside a write
   * transaction (BEGIN IMMEDIATE), so two processes appending at once queue on the database
   * lock and never hand out the same or a skipped seq.
   */
  async append(input: {
    conversationId: string;
    requestId: string | null;
    fingerprint: string;
    rows: EventRow[];
    now: Date;
    retention: RetentionPolicy;
  }): Promise<AppendOutcome> {
    const { conversationId, requestId, rows, now } = input;
    const nowIso = now.toISOString();
    return this.#db.transaction().execute(async (trx) => {
      if (requestId) {
        const prior = await trx
          .selectFrom('append_requests')
          .select(['first_seq', 'event_count', 'fingerprint'])
          .where('conversation_id', '=', conversationId)
          .where('request_id', '=', requestId)
          .executeTakeFirst();
        if (prior) {
          if (prior.fingerprint !== input.fingerprint) {
            throw new HistoryError(
              'CONFLICT',
              `request_id "${requestId}" was already used in ${conversationId} for different events`,
              'a retry must send the same events; use a new request_id for a new batch',
            );
          }
          return {
            seqs: Array.from({ length: prior.event_count }, (_, i) => prior.first_seq + i),
            duplicate: true,
            created: false,
            pruned: NOTHING_PRUNED,
          };
        }
      }
      const inserted = await trx
        .insertInto('conversations')
        .values({
          id: conversationId,
          title: null,
          metadata: '{}',
          created_at: nowIso,
          updated_at: nowIso,
          last_activity_at: nowIso,
          next_seq: 1,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      const { next_seq: first } = await trx
        .selectFrom('conversations')
        .select('next_seq')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow();
      await insertEvents(
        trx,
        conversationId,
        rows.map((row, i) => ({ ...row, seq: first + i })),
      );
      await trx
        .updateTable('conversations')
        .set({ next_seq: first + rows.length, last_activity_at: nowIso })
        .where('id', '=', conversationId)
        .execute();
      if (requestId) {
        await trx
          .insertInto('append_requests')
          .values({
            conversation_id: conversationId,
            request_id: requestId,
            first_seq: first,
            event_count: rows.length,
            fingerprint: input.fingerprint,
            created_at: nowIso,
          })
          .execute();
      }
      const pruned = await retain(trx, conversationId, input.retention, now, false);
      const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      return { seqs: rows.map((_, i) => first + i), duplicate: false, created, pruned };
    });
  }

  async conversation(id: string): Promise<ConversationRecord | undefined> {
    const row = await this.#db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Most recent activity first; `after` is the last item of the previous page. */
  async listConversations(limit: number, after?: { lastActivityAt: string; id: string }) {
    let query = this.#db
      .selectFrom('conversations')
      .selectAll()
      .orderBy('last_activity_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('last_activity_at', '<', after.lastActivityAt),
          eb.and([eb('last_activity_at', '=', after.lastActivityAt), eb('id', '<', after.id)]),
        ]),
      );
    }
    const rows = await query.execute();
    return { items: rows.slice(0, limit).map(toRecord), hasMore: rows.length > limit };
  }

  /** Events with seq > afterSeq (ascending) or seq < beforeSeq (descending), optionally of some types. */
  async events(options: {
    conversationId: string;
    afterSeq?: number;
    beforeSeq?: number;
    limit: number;
    types?: readonly string[];
  }): Promise<StoredEventRow[]> {
    const descending = options.beforeSeq !== undefined;
    const bound = descending ? sql`seq < ${options.beforeSeq}` : sql`seq > ${options.afterSeq ?? 0}`;
    const typeFilter = options.types?.length
      ? sql`AND type IN (${sql.join(options.types.map((t) => sql`${t}`))})`
      : sql``;
    const result = await sql<StoredEventRow>`
      SELECT ${sql.raw(EVENT_COLUMNS.join(', '))}
      FROM chat_events INDEXED BY chat_events_seq
      WHERE conversation_id = ${options.conversationId} AND ${bound} ${typeFilter}
      ORDER BY seq ${sql.raw(descending ? 'DESC' : 'ASC')}
      LIMIT ${options.limit}`.execute(this.#db);
    return result.rows;
  }

  /**
   * One page of the newest-first walk behind history_context: events older than `beforeSeq`,
   * with, for each tool_result, the seq of the newest earlier event that issued its call.
   */
  async contextPage(
    conversationId: string,
    beforeSeq: number,
    limit: number,
    types: readonly string[],
  ): Promise<ContextRow[]> {
    const result = await sql<ContextRow>`
      SELECT ${sql.raw(EVENT_COLUMNS.map((c) => `e.${c}`).join(', '))},
        CASE WHEN e.type = 'tool_result' THEN (
          SELECT MAX(r.seq) FROM tool_call_refs r
          WHERE r.conversation_id = e.conversation_id AND r.call_id = e.tool_call_id AND r.seq < e.seq
        ) END AS call_seq
      FROM chat_events AS e INDEXED BY chat_events_seq
      WHERE e.conversation_id = ${conversationId} AND e.seq < ${beforeSeq}
        AND e.type IN (${sql.join(types.map((t) => sql`${t}`))})
      ORDER BY e.seq DESC
      LIMIT ${limit}`.execute(this.#db);
    return result.rows;
  }

  async newestOfType(conversationId: string, type: string): Promise<ContextRow | undefined> {
    const row = await this.#db
      .selectFrom('chat_events')
      .select([...EVENT_COLUMNS])
      .where('conversation_id', '=', conversationId)
      .where('type', '=', type)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? ({ ...(row as StoredEventRow), call_seq: null } as ContextRow) : undefined;
  }

  /** Full-text search; `match` is an FTS5 expression (see search-query.ts). */
  async search(options: {
    match: string;
    conversationId?: string;
    types?: readonly string[];
    limit: number;
    offset: number;
  }): Promise<SearchHit[]> {
    const conversation = options.conversationId
      ? sql`AND e.conversation_id = ${options.conversationId}`
      : sql``;
    const types = options.types?.length
      ? sql`AND e.type IN (${sql.join(options.types.map((t) => sql`${t}`))})`
      : sql``;
    const result = await sql<SearchHit>`
      SELECT e.conversation_id, e.seq, e.type, e.role, e.timestamp,
        snippet(chat_events_fts, 0, '**', '**', '…', 16) AS snippet,
        -bm25(chat_events_fts) AS score
      FROM chat_events_fts
      JOIN chat_events AS e ON e.pk = chat_events_fts.rowid
      WHERE chat_events_fts MATCH ${options.match} ${conversation} ${types}
      ORDER BY bm25(chat_events_fts), e.pk
      LIMIT ${options.limit} OFFSET ${options.offset}`.execute(this.#db);
    return result.rows;
  }

  async updateConversation(
    id: string,
    changes: { title?: string | null; metadata?: Record<string, unknown> },
    now: Date,
  ): Promise<ConversationRecord | undefined> {
    const set: { updated_at: string; title?: string | null; metadata?: string } = {
      updated_at: now.toISOString(),
    };
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.metadata !== undefined) set.metadata = JSON.stringify(changes.metadata);
    const result = await this.#db
      .updateTable('conversations')
      .set(set)
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    return this.conversation(id);
  }

  /** Deletes a conversation and everything of it; returns how many events went, or null if it did not exist. */
  async deleteConversation(id: string): Promise<number | null> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('conversations')
        .select('event_count')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return null;
      await trx.deleteFrom('conversations').where('id', '=', id).execute();
      return row.event_count;
    });
  }

  /** Usage totals per conversation and model; all conversations when id is omitted. */
  async usage(conversationId?: string): Promise<UsageRow[]> {
    let query = this.#db.selectFrom('usage_totals').selectAll().orderBy('conversation_id').orderBy('model');
    if (conversationId) query = query.where('conversation_id', '=', conversationId);
    return query.execute();
  }

  /** Usage summed overall, per model and per conversation (paged, costliest first). */
  async usageReport(conversationId: string | undefined, limit: number, offset: number) {
    const where = conversationId ? sql`WHERE conversation_id = ${conversationId}` : sql``;
    const sums = sql`COALESCE(SUM(input_tokens), 0) AS input_tokens, COALESCE(SUM(output_tokens), 0) AS output_tokens,
      COALESCE(SUM(cost_usd), 0) AS cost_usd, COALESCE(SUM(events), 0) AS events`;
    type Sums = { input_tokens: number; output_tokens: number; cost_usd: number; events: number };
    const total = await sql<Sums>`SELECT ${sums} FROM usage_totals ${where}`.execute(this.#db);
    const byModel = await sql<Sums & { model: string }>`
      SELECT model, ${sums} FROM usage_totals ${where}
      GROUP BY model ORDER BY SUM(cost_usd) DESC, SUM(input_tokens + output_tokens) DESC, model`.execute(
      this.#db,
    );
    const byConversation = await sql<Sums & { conversation_id: string }>`
      SELECT conversation_id, ${sums} FROM usage_totals ${where}
      GROUP BY conversation_id
      ORDER BY SUM(cost_usd) DESC, SUM(input_tokens + output_tokens) DESC, conversation_id
      LIMIT ${limit} OFFSET ${offset}`.execute(this.#db);
    return { total: total.rows[0]!, byModel: byModel.rows, byConversation: byConversation.rows };
  }

  /**
   * Applies a retention policy to one conversation or to every one (in pages, each conversation
   * in its own transaction). With dryRun nothing is deleted.
   */
  async applyRetention(options: {
    conversationId?: string;
    policy: RetentionPolicy;
    now: Date;
    dryRun: boolean;
  }): Promise<{ conversationId: string; plan: RetentionPlan }[]> {
    const ids: string[] = [];
    if (options.conversationId) {
      ids.push(options.conversationId);
    } else {
      const rows = await this.#db.selectFrom('conversations').select('id').orderBy('id').execute();
      ids.push(...rows.map((r) => r.id));
    }
    const outcomes: { conversationId: string; plan: RetentionPlan }[] = [];
    for (const id of ids) {
      const plan = await this.#db
        .transaction()
        .execute((trx) => retain(trx, id, options.policy, options.now, options.dryRun));
      outcomes.push({ conversationId: id, plan });
    }
    return outcomes;
  }

  async requests(conversationId: string): Promise<AppendRequestRecord[]> {
    return this.#db
      .selectFrom('append_requests')
      .select(['request_id', 'first_seq', 'event_count', 'fingerprint', 'created_at'])
      .where('conversation_id', '=', conversationId)
      .orderBy('first_seq')
      .execute();
  }

  /**
   * Imports a conversation: created when new, merged when it exists. An event already stored at
   * the same seq with the same id is skipped (re-importing is harmless); a different event at
   * that seq is a conflict. Everything or nothing is written.
   */
  async importConversation(
    input: ImportInput,
    options: { now: Date; retention: RetentionPolicy },
  ): Promise<ImportOutcome> {
    const c = input.conversation;
    return this.#db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('conversations')
        .select(['next_seq', 'last_activity_at'])
        .where('id', '=', c.id)
        .executeTakeFirst();
      if (!existing) {
        await trx
          .insertInto('conversations')
          .values({
            id: c.id,
            title: c.title,
            metadata: JSON.stringify(c.metadata),
            created_at: c.created_at,
            updated_at: c.updated_at,
            last_activity_at: c.last_activity_at,
            next_seq: c.next_seq,
          })
          .execute();
      }
      let fresh = input.events;
      let skipped = 0;
      if (existing && input.events.length > 0) {
        const stored = new Map<number, string>();
        const seqs = input.events.map((e) => e.seq);
        for (let i = 0; i < seqs.length; i += INSERT_CHUNK) {
          const rows = await trx
            .selectFrom('chat_events')
            .select(['seq', 'id'])
            .where('conversation_id', '=', c.id)
            .where('seq', 'in', seqs.slice(i, i + INSERT_CHUNK))
            .execute();
          for (const row of rows) stored.set(row.seq, row.id);
        }
        fresh = [];
        for (const event of input.events) {
          const id = stored.get(event.seq);
          if (id === undefined) fresh.push(event);
          else if (id === event.id) skipped++;
          else {
            throw new HistoryError(
              'CONFLICT',
              `${c.id} already has a different event at seq ${event.seq} (${id}, not ${event.id})`,
              'import into a new conversation_id to keep both',
            );
          }
        }
      }
      if (fresh.length > 0) {
        const ids = fresh.map((e) => e.id);
        for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
          const taken = await trx
            .selectFrom('chat_events')
            .select(['id', 'conversation_id'])
            .where('id', 'in', ids.slice(i, i + INSERT_CHUNK))
            .executeTakeFirst();
          if (taken) {
            throw new HistoryError(
              'CONFLICT',
              `event id ${taken.id} already belongs to conversation ${taken.conversation_id}`,
              'import into a new conversation_id: events then get fresh ids',
            );
          }
        }
        await insertEvents(trx, c.id, fresh);
      }
      if (existing) {
        const maxSeq = fresh.reduce((m, e) => Math.max(m, e.seq), 0);
        await trx
          .updateTable('conversations')
          .set({
            next_seq: Math.max(existing.next_seq, c.next_seq, maxSeq + 1),
            last_activity_at: laterIso(existing.last_activity_at, c.last_activity_at),
          })
          .where('id', '=', c.id)
          .execute();
      }
      for (const request of input.requests) {
        await trx
          .insertInto('append_requests')
          .values({ conversation_id: c.id, ...request })
          .onConflict((oc) => oc.columns(['conversation_id', 'request_id']).doNothing())
          .execute();
      }
      const pruned = await retain(trx, c.id, options.retention, options.now, false);
      return { created: !existing, imported: fresh.length, skipped, pruned };
    });
  }
}

/** ISO-8601 UTC timestamps of the same shape compare correctly as strings. */
function laterIso(a: string, b: string): string {
  return [a, b].sort()[1]!;
}

async function insertEvents(
  trx: Trx,
  conversationId: string,
  rows: (EventRow & { seq: number })[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await trx
      .insertInto('chat_events')
      .values(rows.slice(i, i + INSERT_CHUNK).map((row) => ({ ...row, conversation_id: conversationId })))
      .execute();
  }
}

/** Runs the policy over one conversation inside the caller's transaction. */
async function retain(
  trx: Trx,
  conversationId: string,
  policy: RetentionPolicy,
  now: Date,
  dryRun: boolean,
): Promise<RetentionPlan> {
  if (policy.policy === 'unlimited') return NOTHING_PRUNED;
  const result = await sql<{
    seq: number;
    type: string;
    token_count: number;
    timestamp: string;
    call_seq: number | null;
  }>`
    SELECT e.seq, e.type, e.token_count, e.timestamp,
      CASE WHEN e.type = 'tool_result' THEN (
        SELECT MAX(r.seq) FROM tool_call_refs r
        WHERE r.conversation_id = e.conversation_id AND r.call_id = e.tool_call_id AND r.seq < e.seq
      ) END AS call_seq
    FROM chat_events AS e INDEXED BY chat_events_seq
    WHERE e.conversation_id = ${conversationId}
    ORDER BY e.seq DESC`.execute(trx);
  const plan = planRetention(
    policy,
    result.rows.map((r) => ({
      seq: r.seq,
      type: r.type,
      tokenCount: r.token_count,
      time: Date.parse(r.timestamp),
      callSeq: r.call_seq,
    })),
    now.getTime(),
  );
  if (plan.deleteThroughSeq !== null && !dryRun) {
    await trx
      .deleteFrom('chat_events')
      .where('conversation_id', '=', conversationId)
      .where('seq', '<=', plan.deleteThroughSeq)
      .execute();
  }
  return plan;
}
