/**
 * The memory vector table. Its F32_BLOB dimension comes from the configured embedder, so it is
 * created on first use rather than in a migration, and server_state key `embedder` records
 * which embedder filled it: a different one later is refused rather than mixed in.
 */
import type { Embedder } from '@choir/llm';
import { ToolError } from '@choir/server-kit';
import { sql } from 'kysely';
import type { PersonaDb } from './schema.js';

export const VECTOR_INDEX = 'memory_vectors_idx';
const STATE_SCOPE = 'persona';
const STATE_KEY = 'embedder';

export interface EmbedderIdentity {
  name: string;
  dimension: number;
}

export class VectorSpace {
  private ready: Promise<EmbedderIdentity> | null = null;

  constructor(
    private readonly db: PersonaDb,
    readonly embedder: Embedder,
  ) {}

  /** Creates the table on first use and checks the embedder matches the stored one. */
  ensure(): Promise<EmbedderIdentity> {
    if (!this.ready) {
      this.ready = this.prepare().catch((error: unknown) => {
        // A mismatch will not fix itself; a network failure (provider embedder) might.
        if (!(error instanceof ToolError && error.code === 'CONFLICT')) this.ready = null;
        throw error;
      });
    }
    return this.ready;
  }

  private async prepare(): Promise<EmbedderIdentity> {
    await this.embedder.ready?.();
    const current = { name: this.embedder.name, dimension: this.embedder.dimension };
    if (!Number.isInteger(current.dimension) || current.dimension < 1) {
      throw new ToolError('INTERNAL', `embedder ${current.name} reports no dimension`);
    }
    const stored = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('server_state')
        .select('value')
        .where('scope', '=', STATE_SCOPE)
        .where('key', '=', STATE_KEY)
        .executeTakeFirst();
      if (row) return JSON.parse(row.value) as EmbedderIdentity;
      await sql
        .raw(
          `CREATE TABLE IF NOT EXISTS memory_vectors (
            memory_seq INTEGER PRIMARY KEY REFERENCES memories(seq) ON DELETE CASCADE,
            embedding F32_BLOB(${current.dimension}) NOT NULL
          )`,
        )
        .execute(trx);
      await sql
        .raw(`CREATE INDEX IF NOT EXISTS ${VECTOR_INDEX} ON memory_vectors (libsql_vector_idx(embedding))`)
        .execute(trx);
      await trx
        .insertInto('server_state')
        .values({
          scope: STATE_SCOPE,
          key: STATE_KEY,
          value: JSON.stringify(current),
          updated_at: new Date().toISOString(),
        })
        .execute();
      return current;
    });
    if (stored.name !== current.name || stored.dimension !== current.dimension) {
      throw new ToolError(
        'CONFLICT',
        `this database's memories were embedded with ${stored.name} (${stored.dimension} dimensions); ` +
          `the configured embedder is ${current.name} (${current.dimension} dimensions), and the two cannot be mixed`,
        'set CHOIR_EMBEDDING (and CHOIR_EMBEDDING_DIM) back to what they were, or point CHOIR_DATA_DIR at a new directory',
      );
    }
    return current;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    await this.ensure();
    return this.embedder.embed(texts, signal);
  }
}

export function isZeroVector(vector: Float32Array): boolean {
  for (const v of vector) if (v !== 0) return false;
  return true;
}
