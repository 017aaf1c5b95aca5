/**
 * A Kysely dialect over @libsql/client. Every connection Kysely acquires holds the store's
 * mutex until released, so a Kysely transaction owns the single libSQL connection for its
 * lifetime and plain queries from the same process queue behind it.
 */
import type { Client, InStatement, Transaction } from '@libsql/client';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Mutex } from './mutex.js';

export class LibsqlDialect implements Dialect {
  constructor(
    private readonly client: Client,
    private readonly mutex: Mutex,
  ) {}
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new LibsqlDriver(this.client, this.mutex);
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
}

class LibsqlConnection implements DatabaseConnection {
  transaction: Transaction | undefined;
  constructor(
    private readonly client: Client,
    readonly unlock: () => void,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement: InStatement = { sql: compiled.sql, args: compiled.parameters as never };
    const result = await (this.transaction ?? this.client).execute(statement);
    return {
      rows: result.rows.map((row) => ({ ...row })) as R[],
      numAffectedRows: BigInt(result.rowsAffected),
      insertId: result.lastInsertRowid,
    };
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered by libSQL; say so when asked.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported by the libSQL dialect');
  }
}

class LibsqlDriver implements Driver {
  constructor(
    private readonly client: Client,
    private readonly mutex: Mutex,
  ) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const unlock = await this.mutex.lock();
    return new LibsqlConnection(this.client, unlock);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as LibsqlConnection).transaction = await this.client.transaction('write');
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as LibsqlConnection;
    try {
      await c.transaction?.commit();
    } finally {
      c.transaction?.close();
      c.transaction = undefined;
    }
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as LibsqlConnection;
    try {
      await c.transaction?.rollback();
    } finally {
      c.transaction?.close();
      c.transaction = undefined;
    }
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as LibsqlConnection;
    if (c.transaction) {
      c.transaction.close();
      c.transaction = undefined;
    }
    c.unlock();
  }
  async destroy(): Promise<void> {}
}
