import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { describe, expect, it } from 'vitest';
import { diffCounts, fingerprintRows, inspectDb } from './db-inspect.js';

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

describe('fingerprintRows', () => {
  const columns = ['id', 'label'];
  it('is the same for the same rows in any order, and differs when a value changes', () => {
    const a = fingerprintRows({ columns, rows: [[1, 'x'] as never, [2, 'y'] as never] });
    const b = fingerprintRows({ columns, rows: [[2, 'y'] as never, [1, 'x'] as never] });
    const c = fingerprintRows({ columns, rows: [[1, 'x'] as never, [2, 'z'] as never] });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a.startsWith('2:')).toBe(true);
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
    const before = await inspector.fingerprints();
    expect(Object.keys(before)).toEqual(['events', 'odd "name']);
    const other = createClient({ url: `file:${file}` });
    await other.execute('UPDATE events SET id = 4 WHERE id = 3');
    other.close();
    expect(diffCounts(before, await inspector.fingerprints())).toEqual([
      expect.stringMatching(/^events: 3:[0-9a-f]{16} → 3:[0-9a-f]{16}$/),
    ]);
    const space = await inspector.spaceByObject(2);
    expect(space).toHaveLength(2);
    expect(space[0]!.bytes).toBeGreaterThanOrEqual(space[1]!.bytes);
    inspector.close();
  });
});
