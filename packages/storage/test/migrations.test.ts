import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MigrationError, openStore } from '../src/index.js';
import { tempDir, writeMigrations } from './helpers.js';

async function tableNames(store: Awaited<ReturnType<typeof openStore>>): Promise<string[]> {
  const rows = await store.client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
  );
  return rows.rows.map((r) => String(r.name));
}

describe('migrations', () => {
  it('applies every statement of a multi-statement file, in order, once', async () => {
    const dataDir = tempDir();
    const migrationsDir = writeMigrations(join(dataDir, 'm'), {
      '0001_first.sql': 'CREATE TABLE a (x INTEGER);\nCREATE TABLE b (y INTEGER);\nINSERT INTO a VALUES (1);',
      '0002_second.sql': 'CREATE TABLE c (z INTEGER); INSERT INTO a VALUES (2);',
    });
    const env = { CHOIR_DATA_DIR: dataDir };
    const store = await openStore({ server: 'demo', migrationsDir, env });
    expect(store.migrations.applied).toEqual([
      'storage/0001_server_helpers.sql',
      'demo/0001_first.sql',
      'demo/0002_second.sql',
    ]);
    expect(await tableNames(store)).toEqual(
      expect.arrayContaining(['a', 'b', 'c', 'server_cache', 'server_state']),
    );
    await store.close();

    const again = await openStore({ server: 'demo', migrationsDir, env });
    expect(again.migrations.applied).toEqual([]);
    const count = await again.client.execute('SELECT count(*) AS n FROM a');
    expect(count.rows[0]?.n).toBe(2);
    await again.close();
  });

  it('rolls back a failing migration completely: no statement of it survives', async () => {
    const dataDir = tempDir();
    const migrationsDir = writeMigrations(join(dataDir, 'm'), {
      '0001_ok.sql': 'CREATE TABLE kept (x INTEGER);',
      '0002_broken.sql':
        'CREATE TABLE half (x INTEGER);\nINSERT INTO kept VALUES (1);\nINSERT INTO nowhere VALUES (1);',
    });
    const env = { CHOIR_DATA_DIR: dataDir };
    await expect(openStore({ server: 'demo', migrationsDir, env })).rejects.toThrow(
      /0002_broken\.sql.*rolled back/,
    );

    // Fix the file and open again: the fixed migration applies and nothing of the failed try remains.
    writeFileSync(join(migrationsDir, '0002_broken.sql'), 'CREATE TABLE whole (x INTEGER);');
    const store = await openStore({ server: 'demo', migrationsDir, env });
    const tables = await tableNames(store);
    expect(tables).toContain('whole');
    expect(tables).not.toContain('half');
    const kept = await store.client.execute('SELECT count(*) AS n FROM kept');
    expect(kept.rows[0]?.n).toBe(0);
    await store.close();
  });

  it('refuses to start when an applied migration was edited, naming the file', async () => {
    const dataDir = tempDir();
    const migrationsDir = writeMigrations(join(dataDir, 'm'), {
      '0001_init.sql': 'CREATE TABLE a (x INTEGER);',
    });
    const env = { CHOIR_DATA_DIR: dataDir };
    await (await openStore({ server: 'demo', migrationsDir, env })).close();
    writeFileSync(join(migrationsDir, '0001_init.sql'), 'CREATE TABLE a (x INTEGER, y TEXT);');
    const failure = openStore({ server: 'demo', migrationsDir, env });
    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toThrow(/demo\/0001_init\.sql was edited after it was applied/);
  });

  it('rejects badly named migration files', async () => {
    const dataDir = tempDir();
    const migrationsDir = writeMigrations(join(dataDir, 'm'), { 'init.sql': 'SELECT 1;' });
    await expect(
      openStore({ server: 'demo', migrationsDir, env: { CHOIR_DATA_DIR: dataDir } }),
    ).rejects.toThrow(/NNNN_what\.sql: init\.sql/);
  });
  // Two processes opening one new file at once is covered by two-processes.test.ts: both
  // writers migrate the same fresh file concurrently.
});
