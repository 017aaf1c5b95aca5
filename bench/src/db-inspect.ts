/**
 * A second, independent connection to a server's database file: row counts of every table
 * (to prove a rejected call wrote nothing) and PRAGMA integrity_check (after a crash).
 */
import { type Client, createClient } from '@libsql/client';

export type RowCounts = Record<string, number>;

export interface DbInspector {
  /** Row counts of every table, except the excluded ones. */
  rowCounts(): Promise<RowCounts>;
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
  return {
    client,
    async rowCounts() {
      await init();
      const tables = await client.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      );
      const names = tables.rows.map((row) => String(row.name)).filter((name) => !exclude.has(name));
      if (names.length === 0) return {};
      // One read transaction, so the counts are one consistent snapshot.
      const results = await client.batch(
        names.map((name) => `SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`),
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

/** The tables whose counts differ between two snapshots, as `table: before → after`. */
export function diffCounts(before: RowCounts, after: RowCounts): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed: string[] = [];
  for (const name of [...names].sort()) {
    if (before[name] !== after[name])
      changed.push(`${name}: ${before[name] ?? 'absent'} → ${after[name] ?? 'absent'}`);
  }
  return changed;
}
