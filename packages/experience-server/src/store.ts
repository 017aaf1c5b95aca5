/**
 * The experience server's SQL: Kysely for the typed tables, Kysely's `sql` for vectors
 * (F32_BLOB, vector_top_k, vector_distance_cos) and full-text search (FTS5, bm25).
 *
 * Methods that may run inside a transaction take the executor (`db` or the transaction) as
 * their first argument: inside a transaction, only the transaction may touch the database.
 */
import { type CoreTables, type Store, vectorBlob } from '@choir/storage';
import { type Kysely, sql } from 'kysely';
import type { ExperienceDB, LinkType, RewardKind } from './db.js';
import { similarityFromDistance } from './similarity.js';
import {
  parseVectorSpace,
  VECTOR_INDEX_OPTIONS,
  VECTOR_SPACE_STATE_KEY,
  type VectorSpace,
  vectorIndexName,
  vectorTableName,
} from './vector-space.js';

export type Db = Kysely<ExperienceDB & CoreTables>;

export interface ExperienceRecord {
  seq: number;
  content: string;
  role: string;
  phase: string | null;
  thread_id: string | null;
  author: string | null;
  metadata: Record<string, unknown> | null;
  tags: string[];
  max_similarity: number;
  novelty: number;
  novelty_reward: number;
  created_at: string;
}

export interface NewExperience {
  content: string;
  contentKey: string;
  role: string;
  phase: string | null;
  threadId: string | null;
  author: string | null;
  metadata: Record<string, unknown> | null;
  tags: string[];
  maxSimilarity: number;
  novelty: number;
  noveltyReward: number;
  createdAt: string;
}

export interface ScoredSeq {
  seq: number;
  similarity: number;
}

export interface KeywordHit {
  seq: number;
  /** -bm25(): higher is better, 0 and up. */
  score: number;
}

export interface NewLink {
  source: number;
  target: number;
  type: LinkType;
  weight: number;
  origin: 'model' | 'similarity' | 'caller';
  createdAt: string;
}

export interface Edge {
  source: number;
  target: number;
  type: LinkType | 'cites';
  weight: number;
}

export interface RewardFilter {
  author?: string;
  threadId?: string;
  experienceSeq?: number;
  kind?: RewardKind;
}

export interface RewardEntry {
  id: number;
  experience_seq: number;
  kind: RewardKind;
  amount: number;
  author: string | null;
  thread_id: string | null;
  source_seq: number | null;
  created_at: string;
}

export interface RewardGroup {
  key: string | null;
  total: number;
  count: number;
}

export interface StoreStats {
  experiences: number;
  threads: number;
  links: number;
  citations: number;
  byRole: { role: string; count: number }[];
  rewards: { novelty: number; citation: number };
  oldest: string | null;
  newest: string | null;
}

/** Columns a result row needs, never the content key. */
const RECORD_COLUMNS = [
  'seq',
  'content',
  'role',
  'phase',
  'thread_id',
  'author',
  'metadata',
  'tags',
  'max_similarity',
  'novelty',
  'novelty_reward',
  'created_at',
] as const;

type RecordRow = Omit<ExperienceRecord, 'metadata' | 'tags'> & { metadata: string | null; tags: string };

function toRecord(row: RecordRow): ExperienceRecord {
  return {
    ...row,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    tags: JSON.parse(row.tags) as string[],
  };
}

export class ExperienceStore {
  constructor(readonly store: Store<ExperienceDB>) {}

  get db(): Db {
    return this.store.db;
  }

  /** One write transaction (BEGIN IMMEDIATE); only `trx` may be used inside `fn`. */
  transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  // --- the vector space ----------------------------------------------------------------------

  async readVectorSpace(exec: Db): Promise<VectorSpace | null> {
    const row = await exec
      .selectFrom('server_state')
      .select('value')
      .where('scope', '=', this.store.server)
      .where('key', '=', VECTOR_SPACE_STATE_KEY)
      .executeTakeFirst();
    return parseVectorSpace(row ? JSON.parse(row.value) : undefined);
  }

  async writeVectorSpace(exec: Db, space: VectorSpace, now: string): Promise<void> {
    const value = JSON.stringify(space);
    await exec
      .insertInto('server_state')
      .values({ scope: this.store.server, key: VECTOR_SPACE_STATE_KEY, value, updated_at: now })
      .onConflict((oc) => oc.columns(['scope', 'key']).doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  /** Creates the vector table and index of a generation, replacing a leftover of a failed reindex. */
  async createVectorTable(exec: Db, space: VectorSpace): Promise<void> {
    if (!Number.isSafeInteger(space.dimension) || space.dimension < 1 || space.dimension > 65_536) {
      throw new RangeError(`invalid vector dimension ${space.dimension}`);
    }
    await this.dropVectorTable(exec, space);
    const table = sql.table(vectorTableName(space));
    // The dimension is a checked integer: DDL cannot take it as a parameter.
    await sql`CREATE TABLE ${table} (
      seq INTEGER PRIMARY KEY REFERENCES experiences (seq) ON DELETE CASCADE,
      embedding ${sql.raw(`F32_BLOB(${space.dimension})`)} NOT NULL
    )`.execute(exec);
    const options = sql.join(VECTOR_INDEX_OPTIONS.map((option) => sql.lit(option)));
    await sql`CREATE INDEX ${sql.id(vectorIndexName(space))}
      ON ${table} (libsql_vector_idx(embedding, ${options}))`.execute(exec);
  }

  async dropVectorTable(exec: Db, space: Pick<VectorSpace, 'generation'>): Promise<void> {
    await sql`DROP TABLE IF EXISTS ${sql.table(vectorTableName(space))}`.execute(exec);
  }

  async insertVector(exec: Db, space: VectorSpace, seq: number, embedding: Float32Array): Promise<void> {
    await sql`INSERT INTO ${sql.table(vectorTableName(space))} (seq, embedding)
      VALUES (${seq}, ${vectorBlob(embedding)})`.execute(exec);
  }

  async countVectors(exec: Db, space: VectorSpace): Promise<number> {
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(
      vectorTableName(space),
    )}`.execute(exec);
    return rows[0]?.n ?? 0;
  }

  /** Experiences after `afterSeq` (in seq order) that the space has no vector for. */
  async experiencesWithoutVector(
    exec: Db,
    space: VectorSpace,
    afterSeq: number,
    limit: number,
  ): Promise<{ seq: number; content: string }[]> {
    const { rows } = await sql<{ seq: number; content: string }>`SELECT e.seq AS seq, e.content AS content
      FROM experiences e
      WHERE e.seq > ${afterSeq}
        AND NOT EXISTS (SELECT 1 FROM ${sql.table(vectorTableName(space))} v WHERE v.seq = e.seq)
      ORDER BY e.seq LIMIT ${limit}`.execute(exec);
    return rows;
  }

  // --- experiences ---------------------------------------------------------------------------

  async countExperiences(exec: Db): Promise<number> {
    const row = await exec
      .selectFrom('experiences')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertExperience(exec: Db, e: NewExperience): Promise<number> {
    const row = await exec
      .insertInto('experiences')
      .values({
        content: e.content,
        content_key: e.contentKey,
        role: e.role,
        phase: e.phase,
        thread_id: e.threadId,
        author: e.author,
        metadata: e.metadata === null ? null : JSON.stringify(e.metadata),
        tags: JSON.stringify(e.tags),
        max_similarity: e.maxSimilarity,
        novelty: e.novelty,
        novelty_reward: e.noveltyReward,
        created_at: e.createdAt,
      })
      .returning('seq')
      .executeTakeFirstOrThrow();
    return row.seq;
  }

  async existingSeqs(exec: Db, seqs: readonly number[]): Promise<Set<number>> {
    if (seqs.length === 0) return new Set();
    const rows = await exec
      .selectFrom('experiences')
      .select('seq')
      .where('seq', 'in', [...seqs])
      .execute();
    return new Set(rows.map((r) => r.seq));
  }

  /** The experiences with these seqs, in the order asked for; missing ones are left out. */
  async getExperiences(exec: Db, seqs: readonly number[]): Promise<ExperienceRecord[]> {
    if (seqs.length === 0) return [];
    const rows = await exec
      .selectFrom('experiences')
      .select(RECORD_COLUMNS)
      .where('seq', 'in', [...seqs])
      .execute();
    const bySeq = new Map(rows.map((row) => [row.seq, toRecord(row)]));
    return seqs.flatMap((seq) => bySeq.get(seq) ?? []);
  }

  async updateTags(exec: Db, seq: number, tags: string[]): Promise<void> {
    await exec
      .updateTable('experiences')
      .set({ tags: JSON.stringify(tags) })
      .where('seq', '=', seq)
      .execute();
  }

  /** Stored experiences with the same normalised content in the same thread, with their similarity. */
  async sameTextInThread(
    exec: Db,
    space: VectorSpace,
    contentKey: string,
    threadId: string | null,
    embedding: Float32Array,
  ): Promise<ScoredSeq[]> {
    const { rows } = await sql<{ seq: number; distance: number | null }>`SELECT e.seq AS seq,
        vector_distance_cos(v.embedding, ${vectorBlob(embedding)}) AS distance
      FROM experiences e JOIN ${sql.table(vectorTableName(space))} v ON v.seq = e.seq
      WHERE e.content_key = ${contentKey} AND e.thread_id IS ${threadId}
      ORDER BY e.seq`.execute(exec);
    return rows.map((r) => ({ seq: r.seq, similarity: similarityFromDistance(r.distance) }));
  }

  /**
   * The k nearest stored vectors by the approximate index (vector_top_k), with their exact
   * cosine similarity, most similar first.
   */
  async nearest(exec: Db, space: VectorSpace, embedding: Float32Array, k: number): Promise<ScoredSeq[]> {
    const blob = vectorBlob(embedding);
    const { rows } = await sql<{ seq: number; distance: number | null }>`SELECT v.seq AS seq,
        vector_distance_cos(v.embedding, ${blob}) AS distance
      FROM vector_top_k(${sql.lit(vectorIndexName(space))}, ${blob}, ${k}) AS top
      JOIN ${sql.table(vectorTableName(space))} v ON v.rowid = top.id
      ORDER BY distance IS NULL, distance, v.seq`.execute(exec);
    return rows.map((r) => ({ seq: r.seq, similarity: similarityFromDistance(r.distance) }));
  }

  /** The k nearest by exact scan: for a thread filter (threads are small) and for the benchmark. */
  async nearestExact(
    exec: Db,
    space: VectorSpace,
    embedding: Float32Array,
    k: number,
    threadId?: string,
  ): Promise<ScoredSeq[]> {
    const blob = vectorBlob(embedding);
    const inThread =
      threadId === undefined ? sql`` : sql`JOIN experiences e ON e.seq = v.seq AND e.thread_id = ${threadId}`;
    const { rows } = await sql<{ seq: number; distance: number | null }>`SELECT v.seq AS seq,
        vector_distance_cos(v.embedding, ${blob}) AS distance
      FROM ${sql.table(vectorTableName(space))} v ${inThread}
      ORDER BY distance IS NULL, distance, v.seq LIMIT ${k}`.execute(exec);
    return rows.map((r) => ({ seq: r.seq, similarity: similarityFromDistance(r.distance) }));
  }

  /** Exact cosine similarity of the given experiences to a vector (missing ones left out). */
  async similarities(
    exec: Db,
    space: VectorSpace,
    embedding: Float32Array,
    seqs: readonly number[],
  ): Promise<Map<number, number>> {
    if (seqs.length === 0) return new Map();
    const { rows } = await sql<{ seq: number; distance: number | null }>`SELECT v.seq AS seq,
        vector_distance_cos(v.embedding, ${vectorBlob(embedding)}) AS distance
      FROM ${sql.table(vectorTableName(space))} v
      WHERE v.seq IN (${sql.join([...seqs])})`.execute(exec);
    return new Map(rows.map((r) => [r.seq, similarityFromDistance(r.distance)]));
  }

  /** The stored vector of one experience, or null. */
  async vectorOf(exec: Db, space: VectorSpace, seq: number): Promise<Float32Array | null> {
    const { rows } = await sql<{ embedding: ArrayBuffer | Uint8Array }>`SELECT embedding
      FROM ${sql.table(vectorTableName(space))} WHERE seq = ${seq}`.execute(exec);
    const blob = rows[0]?.embedding;
    if (!blob) return null;
    const bytes = blob instanceof Uint8Array ? blob : new Uint8Array(blob);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }

  /** BM25 ranking over content and tags for an already-sanitised MATCH expression. */
  async keywordSearch(exec: Db, match: string, k: number, threadId?: string): Promise<KeywordHit[]> {
    const inThread = threadId === undefined ? sql`` : sql`AND e.thread_id = ${threadId}`;
    // Tags weigh half as much as content: they summarise, they are not what was said.
    const { rows } = await sql<{ seq: number; rank: number }>`SELECT e.seq AS seq,
        bm25(experiences_fts, 1.0, 0.5) AS rank
      FROM experiences_fts JOIN experiences e ON e.seq = experiences_fts.rowid
      WHERE experiences_fts MATCH ${match} ${inThread}
      ORDER BY rank, e.seq LIMIT ${k}`.execute(exec);
    return rows.map((r) => ({ seq: r.seq, score: -r.rank }));
  }

  // --- links and citations ---------------------------------------------------------------------

  async upsertLinks(exec: Db, links: readonly NewLink[]): Promise<void> {
    if (links.length === 0) return;
    await exec
      .insertInto('experience_links')
      .values(
        links.map((l) => ({
          source_seq: l.source,
          target_seq: l.target,
          type: l.type,
          weight: l.weight,
          origin: l.origin,
          created_at: l.createdAt,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['source_seq', 'target_seq', 'type']).doUpdateSet((eb) => ({
          weight: eb.ref('excluded.weight'),
          origin: eb.ref('excluded.origin'),
          created_at: eb.ref('excluded.created_at'),
        })),
      )
      .execute();
  }

  /** Links and citations with an end among `seqs`, strongest first, at most `limit`. */
  async edgesTouching(exec: Db, seqs: readonly number[], limit: number): Promise<Edge[]> {
    if (seqs.length === 0) return [];
    const list = sql.join([...seqs]);
    const { rows } = await sql<Edge>`SELECT source, target, type, weight FROM (
        SELECT source_seq AS source, target_seq AS target, type, weight FROM experience_links
          WHERE source_seq IN (${list}) OR target_seq IN (${list})
        UNION ALL
        SELECT citing_seq AS source, cited_seq AS target, 'cites' AS type, 1.0 AS weight FROM experience_citations
          WHERE citing_seq IN (${list}) OR cited_seq IN (${list})
      ) ORDER BY weight DESC, source, target, type LIMIT ${limit}`.execute(exec);
    return rows;
  }

  async citationsFrom(exec: Db, citing: number): Promise<{ cited: Set<number>; rewarded: number }> {
    const rows = await exec
      .selectFrom('experience_citations')
      .select(['cited_seq', 'reward'])
      .where('citing_seq', '=', citing)
      .execute();
    return {
      cited: new Set(rows.map((r) => r.cited_seq)),
      rewarded: rows.filter((r) => r.reward > 0).length,
    };
  }

  async insertCitation(
    exec: Db,
    citing: number,
    cited: number,
    reward: number,
    createdAt: string,
  ): Promise<void> {
    await exec
      .insertInto('experience_citations')
      .values({ citing_seq: citing, cited_seq: cited, reward, created_at: createdAt })
      .execute();
  }

  // --- rewards -------------------------------------------------------------------------------

  async insertReward(
    exec: Db,
    reward: {
      experienceSeq: number;
      kind: RewardKind;
      amount: number;
      author: string | null;
      threadId: string | null;
      sourceSeq: number | null;
      createdAt: string;
    },
  ): Promise<void> {
    await exec
      .insertInto('experience_rewards')
      .values({
        experience_seq: reward.experienceSeq,
        kind: reward.kind,
        amount: reward.amount,
        author: reward.author,
        thread_id: reward.threadId,
        source_seq: reward.sourceSeq,
        created_at: reward.createdAt,
      })
      .execute();
  }

  private filteredRewards(exec: Db, filter: RewardFilter) {
    let query = exec.selectFrom('experience_rewards');
    if (filter.author !== undefined) query = query.where('author', '=', filter.author);
    if (filter.threadId !== undefined) query = query.where('thread_id', '=', filter.threadId);
    if (filter.experienceSeq !== undefined) query = query.where('experience_seq', '=', filter.experienceSeq);
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
    return query;
  }

  /** Ledger entries newest first, strictly before the entry id `before` when given. */
  async rewardEntries(
    exec: Db,
    filter: RewardFilter,
    limit: number,
    before?: number,
  ): Promise<RewardEntry[]> {
    let query = this.filteredRewards(exec, filter).selectAll();
    if (before !== undefined) query = query.where('id', '<', before);
    return query.orderBy('id', 'desc').limit(limit).execute();
  }

  async rewardTotal(exec: Db, filter: RewardFilter): Promise<{ total: number; count: number }> {
    const row = await this.filteredRewards(exec, filter)
      .select((eb) => [eb.fn.sum<number | null>('amount').as('total'), eb.fn.countAll<number>().as('count')])
      .executeTakeFirstOrThrow();
    return { total: Number(row.total ?? 0), count: Number(row.count) };
  }

  /** Reward totals grouped by author or thread, largest first, at most `limit` groups. */
  async rewardGroups(
    exec: Db,
    filter: RewardFilter,
    by: 'author' | 'thread_id',
    limit: number,
  ): Promise<RewardGroup[]> {
    const rows = await this.filteredRewards(exec, filter)
      .select((eb) => [
        eb.ref(by).as('key'),
        eb.fn.sum<number>('amount').as('total'),
        eb.fn.countAll<number>().as('count'),
      ])
      .groupBy(by)
      .orderBy('total', 'desc')
      .orderBy(by)
      .limit(limit)
      .execute();
    return rows.map((r) => ({ key: r.key, total: Number(r.total), count: Number(r.count) }));
  }

  // --- administration ------------------------------------------------------------------------

  async seqsInThread(exec: Db, threadId: string): Promise<number[]> {
    const rows = await exec
      .selectFrom('experiences')
      .select('seq')
      .where('thread_id', '=', threadId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => r.seq);
  }

  /** Deletes experiences; links, citations, rewards and vectors go with them (ON DELETE CASCADE). */
  async deleteExperiences(exec: Db, seqs: readonly number[]): Promise<number> {
    let deleted = 0;
    // SQLite caps bound parameters per statement; thread deletes can be large.
    for (let i = 0; i < seqs.length; i += 500) {
      const chunk = seqs.slice(i, i + 500);
      const result = await exec.deleteFrom('experiences').where('seq', 'in', chunk).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }

  async stats(exec: Db): Promise<StoreStats> {
    const totals = await exec
      .selectFrom('experiences')
      .select((eb) => [
        eb.fn.countAll<number>().as('experiences'),
        eb.fn.count<number>('thread_id').distinct().as('threads'),
        eb.fn.min<string | null>('created_at').as('oldest'),
        eb.fn.max<string | null>('created_at').as('newest'),
      ])
      .executeTakeFirstOrThrow();
    const links = await exec
      .selectFrom('experience_links')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const citations = await exec
      .selectFrom('experience_citations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const byRole = await exec
      .selectFrom('experiences')
      .select((eb) => ['role', eb.fn.countAll<number>().as('count')])
      .groupBy('role')
      .orderBy('role')
      .execute();
    const rewards = await exec
      .selectFrom('experience_rewards')
      .select((eb) => ['kind', eb.fn.sum<number>('amount').as('total')])
      .groupBy('kind')
      .execute();
    const rewardOf = (kind: RewardKind) => Number(rewards.find((r) => r.kind === kind)?.total ?? 0);
    return {
      experiences: Number(totals.experiences),
      threads: Number(totals.threads),
      links: Number(links.n),
      citations: Number(citations.n),
      byRole: byRole.map((r) => ({ role: r.role, count: Number(r.count) })),
      rewards: { novelty: rewardOf('novelty'), citation: rewardOf('citation') },
      oldest: totals.oldest ?? null,
      newest: totals.newest ?? null,
    };
  }
}
