import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { floatsToVectorLiteral, openStore, ServerHelpers } from '../src/index.js';
import { tempDir, writeMigrations } from './helpers.js';

describe('openStore on a file database', () => {
  it('puts the file at <data dir>/<server>.db with WAL, busy timeout and foreign keys on', async () => {
    const dataDir = tempDir();
    const store = await openStore({ server: 'demo', env: { CHOIR_DATA_DIR: dataDir } });
    expect(store.location.filePath).toBe(join(dataDir, 'demo.db'));
    const mode = await store.client.execute('PRAGMA journal_mode');
    expect(String(mode.rows[0]?.journal_mode)).toBe('wal');
    const fk = await store.client.execute('PRAGMA foreign_keys');
    expect(Number(fk.rows[0]?.foreign_keys)).toBe(1);
    const busy = await store.client.execute('PRAGMA busy_timeout');
    expect(Number(Object.values(busy.rows[0] ?? {})[0])).toBeGreaterThanOrEqual(5000);
    await store.close();
  });

  it('rolls back a Kysely transaction that throws', async () => {
    const dataDir = tempDir();
    const migrationsDir = writeMigrations(join(dataDir, 'm'), {
      '0001_t.sql': 'CREATE TABLE t (x INTEGER);',
    });
    const store = await openStore<{ t: { x: number } }>({
      server: 'demo',
      migrationsDir,
      env: { CHOIR_DATA_DIR: dataDir },
    });
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ x: 1 }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // A plain query queued behind the transaction runs after it, not into TRANSACTION_ACTIVE.
    const [rows] = await Promise.all([
      store.db.selectFrom('t').selectAll().execute(),
      store.db.transaction().execute(async (trx) => trx.insertInto('t').values({ x: 2 }).execute()),
    ]);
    expect(rows.length).toBeLessThanOrEqual(1);
    const all = await store.db.selectFrom('t').select('x').execute();
    expect(all).toEqual([{ x: 2 }]);
    await store.close();
  });

  it('serves native vectors (F32_BLOB, libsql_vector_idx, vector_top_k) and FTS5 from a file', async () => {
    const dataDir = tempDir();
    const migrationsDir = writeMigrations(join(dataDir, 'm'), {
      '0001_docs.sql': `
        CREATE TABLE docs (id INTEGER PRIMARY KEY, body TEXT NOT NULL, embedding F32_BLOB(3));
        CREATE INDEX docs_vec ON docs (libsql_vector_idx(embedding));
        CREATE VIRTUAL TABLE docs_fts USING fts5(body, content='docs', content_rowid='id');
        CREATE TRIGGER docs_ai AFTER INSERT ON docs BEGIN
          INSERT INTO docs_fts(rowid, body) VALUES (new.id, new.body);
        END;`,
    });
    const store = await openStore({ server: 'demo', migrationsDir, env: { CHOIR_DATA_DIR: dataDir } });
    const docs: [string, number[]][] = [
      ['the cat sat on the mat', [1, 0, 0]],
      ['dogs chase cats in the park', [0.8, 0.2, 0]],
      ['stock markets fell sharply', [0, 0, 1]],
    ];
    for (const [body, vec] of docs) {
      await sql`INSERT INTO docs (body, embedding) VALUES (${body}, vector32(${floatsToVectorLiteral(vec)}))`.execute(
        store.db,
      );
    }
    const nearest = await sql<{ body: string; distance: number }>`
      SELECT d.body, vector_distance_cos(d.embedding, vector32(${floatsToVectorLiteral([1, 0.1, 0])})) AS distance
      FROM vector_top_k('docs_vec', vector32(${floatsToVectorLiteral([1, 0.1, 0])}), 2) AS k
      JOIN docs d ON d.id = k.id ORDER BY distance`.execute(store.db);
    expect(nearest.rows.map((r) => r.body)).toEqual([
      'the cat sat on the mat',
      'dogs chase cats in the park',
    ]);

    const fts = await sql<{ body: string; snip: string }>`
      SELECT d.body, snippet(docs_fts, 0, '[', ']', '…', 8) AS snip
      FROM docs_fts JOIN docs d ON d.id = docs_fts.rowid
      WHERE docs_fts MATCH ${'markets'} ORDER BY bm25(docs_fts)`.execute(store.db);
    expect(fts.rows).toEqual([{ body: 'stock markets fell sharply', snip: 'stock [markets] fell sharply' }]);
    await store.close();
  });
});

describe('cache and state helpers', () => {
  it('expires cache entries after their TTL and keeps state across reopen', async () => {
    const dataDir = tempDir();
    const env = { CHOIR_DATA_DIR: dataDir };
    const store = await openStore({ server: 'demo', env });
    let now = 1_000_000;
    const helpers = new ServerHelpers(store.db as never, 'demo', () => now);
    await helpers.cacheSet('k', { answer: 42 }, 10);
    expect(await helpers.cacheGet('k')).toEqual({ answer: 42 });
    now += 9_999;
    expect(await helpers.cacheGet('k')).toEqual({ answer: 42 });
    now += 1;
    expect(await helpers.cacheGet('k')).toBeUndefined();

    await helpers.cacheSet('forever', 'v');
    now += 10 ** 9;
    expect(await helpers.cacheGet('forever')).toBe('v');
    await expect(helpers.cacheSet('bad', 1, 0)).rejects.toThrow(RangeError);
    await expect(helpers.cacheSet('fn', () => 1)).rejects.toThrow(/cannot be serialised/);

    await store.setState('session', { n: 1 });
    await store.close();
    const reopened = await openStore({ server: 'demo', env });
    expect(await reopened.getState('session')).toEqual({ n: 1 });
    expect(await reopened.getState('missing')).toBeUndefined();
    // Scoped per server: another server's helpers on the same file do not see it.
    const other = new ServerHelpers(reopened.db as never, 'other');
    expect(await other.getState('session')).toBeUndefined();
    await reopened.close();
  });
});
