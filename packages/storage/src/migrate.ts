/**
 * Applies plain-SQL migrations in order, each atomically, recording a checksum. An edited
 * migration that was already applied stops start-up with an error naming the file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@libsql/client';
import { splitSqlStatements } from './sql-split.js';

export interface MigrationFile {
  /** `<scope>/<file name>`, e.g. `chat-history/0001_events.sql`. */
  name: string;
  path: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    message: string,
    readonly file?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const MIGRATION_FILE = /^(\d{4})_[a-z0-9_-]+\.sql$/i;

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export function readMigrations(dir: string, scope: string): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`migrations folder not found: ${dir}`);
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const seen = new Set<string>();
  return names.map((file) => {
    const match = MIGRATION_FILE.exec(file);
    if (!match) throw new MigrationError(`migration file name must look like NNNN_what.sql: ${file}`, file);
    if (seen.has(match[1]!))
      throw new MigrationError(`two migrations share the number ${match[1]}: ${file}`, file);
    seen.add(match[1]!);
    const path = join(dir, file);
    const sql = readFileSync(path, 'utf8');
    return { name: `${scope}/${file}`, path, sql, checksum: checksumOf(sql) };
  });
}

const LEDGER = `CREATE TABLE IF NOT EXISTS _choir_migrations (
  name TEXT PRIMARY KEY,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

export async function applyMigrations(client: Client, migrations: MigrationFile[]): Promise<MigrationReport> {
  await client.execute(LEDGER);
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    const statements = splitSqlStatements(migration.sql);
    // BEGIN IMMEDIATE: two processes starting together must not both apply the same file.
    const tx = await client.transaction('write');
    try {
      const existing = await tx.execute({
        sql: 'SELECT checksum FROM _choir_migrations WHERE name = ?',
        args: [migration.name],
      });
      const row = existing.rows[0];
      if (row) {
        await tx.rollback();
        if (row.checksum !== migration.checksum) {
          throw new MigrationError(
            `migration ${migration.name} was edited after it was applied (checksum differs). ` +
              `Restore the original file (${migration.path}) and add a new migration instead.`,
            migration.name,
          );
        }
        report.alreadyApplied.push(migration.name);
        continue;
      }
      for (const statement of statements) {
        await tx.execute(statement);
      }
      await tx.execute({
        sql: 'INSERT INTO _choir_migrations (name, checksum, applied_at) VALUES (?, ?, ?)',
        args: [migration.name, migration.checksum, new Date().toISOString()],
      });
      await tx.commit();
      report.applied.push(migration.name);
    } catch (error) {
      if (!tx.closed) await tx.rollback().catch(() => {});
      if (error instanceof MigrationError) throw error;
      throw new MigrationError(
        `migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
        migration.name,
        { cause: error },
      );
    } finally {
      tx.close();
    }
  }
  return report;
}

export interface MigrationStatus {
  name: string;
  checksum: string;
  applied_at: string;
}

export async function appliedMigrations(client: Client): Promise<MigrationStatus[]> {
  const exists = await client.execute(
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_choir_migrations'",
  );
  if (exists.rows.length === 0) return [];
  const rows = await client.execute('SELECT name, checksum, applied_at FROM _choir_migrations ORDER BY name');
  return rows.rows.map((r) => ({
    name: String(r.name),
    checksum: String(r.checksum),
    applied_at: String(r.applied_at),
  }));
}
