import type { Kysely } from 'kysely';

export interface CoreTables {
  server_cache: { scope: string; key: string; value: string; expires_at: number | null };
  server_state: { scope: string; key: string; value: string; updated_at: string };
}

/**
 * `cacheGet/cacheSet` over server_cache and `getState/setState` over server_state, scoped per
 * server. Inside a transaction use `new ServerHelpers(trx, store.server)`: the store's own
 * helpers go through its mutex and would wait for the transaction forever.
 */
export class ServerHelpers {
  constructor(
    private readonly kdb: Kysely<CoreTables>,
    private readonly scope: string,
    private readonly now: () => number = Date.now,
  ) {}

  async cacheGet<T = unknown>(key: string): Promise<T | undefined> {
    const row = await this.kdb
      .selectFrom('server_cache')
      .select(['value', 'expires_at'])
      .where('scope', '=', this.scope)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.now()) {
      await this.kdb
        .deleteFrom('server_cache')
        .where('scope', '=', this.scope)
        .where('key', '=', key)
        .execute();
      return undefined;
    }
    return JSON.parse(row.value) as T;
  }

  /** Stores a JSON value; ttlSeconds omitted or null keeps it until overwritten. */
  async cacheSet(key: string, value: unknown, ttlSeconds?: number | null): Promise<void> {
    if (ttlSeconds !== undefined && ttlSeconds !== null && !(ttlSeconds > 0)) {
      throw new RangeError(`ttlSeconds must be positive, got ${ttlSeconds}`);
    }
    const serialized = serialize(value, `cache entry ${key}`);
    const expiresAt = ttlSeconds ? this.now() + Math.round(ttlSeconds * 1000) : null;
    await this.kdb
      .insertInto('server_cache')
      .values({ scope: this.scope, key, value: serialized, expires_at: expiresAt })
      .onConflict((oc) =>
        oc.columns(['scope', 'key']).doUpdateSet({ value: serialized, expires_at: expiresAt }),
      )
      .execute();
  }

  async cacheDelete(key: string): Promise<void> {
    await this.kdb
      .deleteFrom('server_cache')
      .where('scope', '=', this.scope)
      .where('key', '=', key)
      .execute();
  }

  /** Removes expired entries; returns how many. */
  async cachePurgeExpired(): Promise<number> {
    const result = await this.kdb
      .deleteFrom('server_cache')
      .where('scope', '=', this.scope)
      .where('expires_at', '<=', this.now())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async getState<T = unknown>(key: string): Promise<T | undefined> {
    const row = await this.kdb
      .selectFrom('server_state')
      .select('value')
      .where('scope', '=', this.scope)
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async setState(key: string, value: unknown): Promise<void> {
    const serialized = serialize(value, `state ${key}`);
    const updatedAt = new Date(this.now()).toISOString();
    await this.kdb
      .insertInto('server_state')
      .values({ scope: this.scope, key, value: serialized, updated_at: updatedAt })
      .onConflict((oc) =>
        oc.columns(['scope', 'key']).doUpdateSet({ value: serialized, updated_at: updatedAt }),
      )
      .execute();
  }
}

/** A value that cannot be serialised is an error, never an empty string in the database. */
function serialize(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${what} cannot be serialised as JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new TypeError(`${what} cannot be serialised as JSON (got ${typeof value})`);
  return text;
}
