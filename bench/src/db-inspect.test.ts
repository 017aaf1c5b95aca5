import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { diffCounts, inspectDb } from './db-inspect.js';

describe('diffCounts', () => {
  it('lists changed, added and removed tables in name order', () => {
    expect(diffCounts({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, d: 0 })).toEqual([
      'b: 2 → 5',
      'c: 3 → absent',
      'd: absent → 0',
    ]);
    expect(diffCounts({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe('inspectDb', () => {
  it('counts rows of every table except excluded ones, and checks integrity', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bench-db-')), 't.db');
    const writer = createClient({ url: `file:${file}` });
    await writer.batch(
      [
        'CREATE TABLE events (id INTEGER PRIMARY KEY)',
        'CREATE TABLE "odd ""name" (x)',
        'CREATE TABLE invocations (x)',
        'INSERT INTO events VALUES (1), (2), (3)',
        'INSERT INTO invocations VALUES (1)',
      ],
      'write',
    );
    writer.close();
    const inspector = inspectDb(file, { exclude: ['invocations'] });
    expect(await inspector.rowCounts()).toEqual({ events: 3, 'odd "name': 0 });
    expect(await inspector.integrityCheck()).toEqual(['ok']);
    const space = await inspector.spaceByObject(2);
    expect(space).toHaveLength(2);
    expect(space[0]!.bytes).toBeGreaterThanOrEqual(space[1]!.bytes);
    inspector.close();
  });
});
