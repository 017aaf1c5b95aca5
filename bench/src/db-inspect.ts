/**
 * A second, independent connection to a server's database file: row counts and content
 * fingerprints of every table (to prove a rejected call wrote nothing: no row added, removed or
 * changed) and PRAGMA integrity_check (after a crash).
 */
import { createHash } from 'node:crypto';
import { type Client, createClient, type ResultSet } from '@libsql/client';

export type RowCounts = Record<string, number>;
/** Per table: `<rows>:<digest of the rows' contents, independent of their order>`. */
export type TableFingerprints = Record<string, string>;

function cellText(value: unknown): string {
  if (value instanceof ArrayBuffer) return `x'${Buffer.from(value).toString('hex')}'`;
  if (typeof value === 'bigint') return `${value}n`;
  return JSON.stringify(value) ?? 'undefined';
}

/** Digest of a table's rows as a multiset: the same rows in another order give the same digest. */
export function fingerprintRows(result: Pick<ResultSet, 'columns' | 'rows'>): string {
  const rowHashes = result.rows
    .map((row) =>
      createHash('sha1')
        .update(result.columns.map((_, i) => cellText(row[i])).join('\u0001'))
        .digest('hex'),
    )
    .sort();
  const digest = createHash('sha1').update(rowHashes.join('')).digest('hex').slice(0, 16);
  return `${result.rows.length}:${digest}`;
}

export interface DbInspector {
  /** Row counts of every table, except the excluded ones. */
  rowCounts(): Promise<RowCounts>;
  /** Row count and content digest of every table, except the excluded ones; one consistent read. */
  fingerprints(): Promise<TableFingerprints>;
  integrityCheck(): Promise<string[]>;
  /** Bytes per table or index (SQLite's dbstat), largest first; empty when dbstat is not compiled in. */
  spaceByObject(limit?: number): Promise<{ name: string; bytes: number }[]>;
  client: Client;
  close(): void;
}

/** Opens `file` read-mostly (it never writes) with a busy timeout, next to the server's own connection. */
export function inspectDb(file: string, options: { exclude?: readonly string[] } = {}): DbInspector {
  const client = createClient({ url: `file:${file}`, intMode: 'number' });
  const exclude = new Set(options.exclude ?? []);
  let ready: Promise<unknown> | undefined;
  const init = () => {
    ready ??= client.execute('PRAGMA busy_timeout = 10000');
    return ready;
  };
  const tableNames = async () => {
    await init();
    const tables = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    return tables.rows.map((row) => String(row.name)).filter((name) => !exclude.has(name));
  };
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return {
    client,
    async fingerprints() {
      const names = await tableNames();
      if (names.length === 0) return {};
      const results = await client.batch(
        names.map((name) => `SELECT * FROM ${quote(name)}`),
        'read',
      );
      const prints: TableFingerprints = {};
      names.forEach((name, i) => {
        prints[name] = fingerprintRows(results[i]!);
      });
      return prints;
    },
    async rowCounts() {
      const names = await tableNames();
      if (names.length === 0) return {};
      // One read transaction, so the counts are one consistent snapshot.
      const results = await client.batch(
        names.map((name) => `SELECT count(*) AS n FROM ${quote(name)}`),
        'read',
      );
      const counts: RowCounts = {};
      names.forEach((name, i) => {
        counts[name] = Number(results[i]!.rows[0]!.n);
      });
      return counts;
    },
    async spaceByObject(limit = 5) {
      await init();
      try {
        const result = await client.execute({
          sql: 'SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT ?',
          args: [limit],
        });
        return result.rows.map((row) => ({ name: String(row.name), bytes: Number(row.bytes) }));
      } catch {
        return [];
      }
    },
    async integrityCheck() {
      await init();
      const result = await client.execute('PRAGMA integrity_check');
      return result.rows.map((row) => String(Object.values(row)[0]));
    },
    close() {
      client.close();
    },
  };
}

/** The tables that differ between two snapshots, as `table: before → after`. */
export function diffCounts(
  before: Record<string, number | string>,
  after: Record<string, number | string>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed: string[] = [];
  for (const name of [...names].sort()) {
    if (before[name] !== after[name])
      changed.push(`${name}: ${before[name] ?? 'absent'} → ${after[name] ?? 'absent'}`);
  }
  return changed;
}
