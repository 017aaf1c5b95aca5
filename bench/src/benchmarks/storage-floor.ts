/**
 * The storage floor under every Choir write: one INSERT per transaction into a libSQL file in
 * WAL mode, as @choir/storage opens it (synchronous=FULL: fsync before the answer) and with
 * synchronous=NORMAL (durable against a killed process, not against power loss). What a
 * recording tool costs beyond this is Choir's own work.
 */
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import type { BenchConfig } from '../bench-config.js';
import { corpus } from '../corpus.js';
import { removeDir, tempDir } from '../servers.js';
import { type LatencySummary, summarize } from '../stats.js';
import type { ResultRow } from '../table.js';

async function insertLatencies(synchronous: 'FULL' | 'NORMAL', texts: string[]): Promise<LatencySummary> {
  const dir = tempDir(`floor-${synchronous.toLowerCase()}`);
  const client = createClient({ url: `file:${join(dir, 'floor.db')}` });
  try {
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute(`PRAGMA synchronous = ${synchronous}`);
    await client.execute(
      'CREATE TABLE thoughts (id INTEGER PRIMARY KEY, content TEXT NOT NULL, created_at TEXT NOT NULL)',
    );
    const samples: number[] = [];
    for (const content of texts) {
      const started = performance.now();
      await client.execute({
        sql: 'INSERT INTO thoughts (content, created_at) VALUES (?, ?)',
        args: [content, new Date().toISOString()],
      });
      samples.push(performance.now() - started);
    }
    return summarize(samples);
  } finally {
    client.close();
    removeDir(dir);
  }
}

export async function storageFloorBench(
  config: BenchConfig,
  log: (line: string) => void,
): Promise<ResultRow[]> {
  const n = Math.max(100, Math.floor(config.thoughts / 10));
  const texts = corpus(config.seed + 2, n);
  log(`storage floor: ${n} single-row inserts, synchronous FULL and NORMAL`);
  const full = await insertLatencies('FULL', texts);
  const normal = await insertLatencies('NORMAL', texts);
  const subject = 'libSQL INSERT, own transaction, WAL + synchronous=FULL (as @choir/storage opens files)';
  const baseline = 'same, synchronous=NORMAL';
  return (['p50', 'p99'] as const).map((q) => ({
    measure: `storage floor: one write, ${q} (${n} inserts, in process)`,
    subject,
    figure: { value: full[q], unit: 'ms' as const },
    baseline,
    baselineFigure: { value: normal[q], unit: 'ms' as const },
    note: q === 'p50' ? 'the fsync per write is the floor of every recording tool call' : undefined,
  }));
}
