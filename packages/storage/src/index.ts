export { type DatabaseLocation, type Env, resolveDatabaseLocation, resolveDataDir } from './data-dir.js';
export { LibsqlDialect } from './libsql-dialect.js';
export {
  applyMigrations,
  appliedMigrations,
  checksumOf,
  type MigrationFile,
  MigrationError,
  type MigrationReport,
  type MigrationStatus,
  readMigrations,
} from './migrate.js';
export { Mutex } from './mutex.js';
export { type OpenStoreOptions, openStore, type SerializedClient, type Store } from './open-store.js';
export { type CoreTables, ServerHelpers } from './server-helpers.js';
export { splitSqlStatements } from './sql-split.js';
export { findMigrationsDir, storageMigrationsDir } from './storage-migrations.js';
export { floatsToVectorLiteral, vectorBlob } from './vectors.js';
