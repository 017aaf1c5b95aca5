import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type Client,
  createClient,
  type InStatement,
  type ResultSet,
  type TransactionMode,
} from '@libsql/client';
import { Kysely } from 'kysely';
import { type DatabaseLocation, type Env, resolveDatabaseLocation } from './data-dir.js';
import { LibsqlDialect } from './libsql-dialect.js';
import { applyMigrations, type MigrationReport, readMigrations } from './migrate.js';
import { Mutex } from './mutex.js';
import { type CoreTables, ServerHelpers } from './server-helpers.js';
import { storageMigrationsDir } from './storage-migrations.js';

export interface OpenStoreOptions {
  /** The server's name: the file is `<data dir>/<server>.db`. */
  server: string;
  /** Overrides every environment-derived location (tests, `choir doctor`). */
  url?: string;
  /** The server's own `migrations/<server>` folder (shipped in its package as dist/migrations). */
  migrationsDir?: string;
  env?: Env;
  /** Busy timeout for file databases, in ms. */
  busyTimeoutMs?: number;
}

/** The libSQL client, but every call waits its turn behind open transactions in this process. */
export interface SerializedClient {
  execute(statement: InStatement): Promise<ResultSet>;
  batch(statements: InStatement[], mode?: TransactionMode): Promise<ResultSet[]>;
}

export interface Store<DB = unknown> extends ServerHelpers {
  readonly server: string;
  readonly location: DatabaseLocation;
  readonly db: Kysely<DB & CoreTables>;
  readonly client: SerializedClient;
  /** The unwrapped client; only for work that must bypass the mutex (never inside a transaction). */
  readonly rawClient: Client;
  readonly migrations: MigrationReport;
  close(): Promise<void>;
}

const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

export async function openStore<DB = unknown>(options: OpenStoreOptions): Promise<Store<DB>> {
  const env = options.env ?? process.env;
  const location = resolveDatabaseLocation(options.server, env, options.url);
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (location.filePath && location.filePath !== ':memory:') {
    mkdirSync(dirname(location.filePath), { recursive: true });
  }
  // One connection: PRAGMAs are per connection, and the mutex makes one enough.
  const rawClient = createClient({
    url: location.url,
    authToken: location.authToken,
    concurrency: 1,
    timeout: busyTimeoutMs,
    intMode: 'number',
  });
  try {
    if (location.filePath) {
      await rawClient.execute('PRAGMA journal_mode = WAL');
      await rawClient.execute(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
      // FULL: an acknowledged write is on disk before the tool answers.
      await rawClient.execute('PRAGMA synchronous = FULL');
    }
    await rawClient.execute('PRAGMA foreign_keys = ON');
    const migrationFiles = [
      ...readMigrations(storageMigrationsDir(), 'storage'),
      ...(options.migrationsDir ? readMigrations(options.migrationsDir, options.server) : []),
    ];
    const migrations = await applyMigrations(rawClient, migrationFiles);
    return buildStore<DB>(options.server, location, rawClient, migrations);
  } catch (error) {
    rawClient.close();
    throw error;
  }
}

function buildStore<DB>(
  server: string,
  location: DatabaseLocation,
  rawClient: Client,
  migrations: MigrationReport,
): Store<DB> {
  const mutex = new Mutex();
  const db = new Kysely<DB & CoreTables>({ dialect: new LibsqlDialect(rawClient, mutex) });
  const client: SerializedClient = {
    execute: (statement) => mutex.run(() => rawClient.execute(statement)),
    batch: (statements, mode = 'write') => mutex.run(() => rawClient.batch(statements, mode)),
  };
  const helpers = new ServerHelpers(db as unknown as Kysely<CoreTables>, server);
  let closed = false;
  return Object.assign(helpers, {
    server,
    location,
    db,
    client,
    rawClient,
    migrations,
    async close() {
      if (closed) return;
      closed = true;
      // Waiting for the mutex lets in-flight writes finish before the connection goes.
      await mutex.run(async () => {
        rawClient.close();
      });
    },
  });
}
