import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { tempDir, writeMigrations } from './helpers.js';

const writer = fileURLToPath(new URL('./fixtures/writer.mjs', import.meta.url));

describe('two processes writing one file', () => {
  it('never surfaces SQLITE_BUSY and loses no write', async () => {
    const dataDir = tempDir();
    const migrationsDir = writeMigrations(join(dataDir, 'm'), {
      '0001_log.sql': 'CREATE TABLE log (seq INTEGER PRIMARY KEY, writer TEXT NOT NULL, i INTEGER NOT NULL);',
    });
    const perWriter = 300;
    const results = await Promise.all(
      ['a', 'b'].map((name) => execa('node', [writer, dataDir, migrationsDir, name, String(perWriter)])),
    );
    for (const result of results) expect(JSON.parse(result.stdout)).toEqual({ errors: 0 });

    const store = await openStore<{ log: { seq: number; writer: string; i: number } }>({
      server: 'shared',
      migrationsDir,
      env: { CHOIR_DATA_DIR: dataDir },
    });
    const rows = await store.db.selectFrom('log').select(['seq', 'writer']).orderBy('seq').execute();
    expect(rows).toHaveLength(2 * perWriter);
    // seq has no gaps: 1..600
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 2 * perWriter }, (_, k) => k + 1));
    expect(rows.filter((r) => r.writer === 'a')).toHaveLength(perWriter);
    await store.close();
  }, 60_000);
});
