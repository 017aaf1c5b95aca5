/** Cold start: spawn to `initialize` answered, per server and all five at once, against bare Node. */
import type { BenchConfig } from '../bench-config.js';
import { join } from 'node:path';
import {
  CHOIR_SERVERS,
  type ChoirServerName,
  choirBuilt,
  connect,
  connectChoir,
  MEMORY_PEER,
  peerBin,
  removeDir,
  THINKING_PEER,
  tempDir,
} from '../servers.js';
import { rssBytes } from '../proc.js';
import { median } from '../stats.js';
import type { ResultRow } from '../table.js';
import { bareNodeAnswerMs, medianOf, noopServerStart } from './baselines.js';

const ms = (value: number) => ({ value, unit: 'ms' as const });

async function startTwice(
  name: ChoirServerName,
): Promise<{ fresh: number; existing: number; rss: number | null }> {
  const dir = tempDir(`cold-${name}`);
  try {
    const first = await connectChoir(name, dir);
    await first.close();
    const second = await connectChoir(name, dir);
    const rss = rssBytes(second.transport.pid);
    await second.close();
    return { fresh: first.startMs, existing: second.startMs, rss };
  } finally {
    removeDir(dir);
  }
}

async function startAllInParallel(names: readonly ChoirServerName[]): Promise<number> {
  const dir = tempDir('cold-all');
  try {
    const started = performance.now();
    const servers = await Promise.all(names.map((name) => connectChoir(name, dir)));
    const elapsed = performance.now() - started;
    await Promise.all(servers.map((server) => server.close()));
    return elapsed;
  } finally {
    removeDir(dir);
  }
}

export async function coldStartBench(config: BenchConfig, log: (line: string) => void): Promise<ResultRow[]> {
  const runs = config.coldStarts;
  log(`cold start: bare node baseline ×${runs}`);
  const bare = await medianOf(runs, bareNodeAnswerMs);
  const baseline = `bare node answering 1 line`;
  const rows: ResultRow[] = [];
  const measure = `cold start to initialize answered (median of ${runs})`;
  const noopStarts: number[] = [];
  const noopRss: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = await noopServerStart();
    noopStarts.push(start.ms);
    if (start.rss !== null) noopRss.push(start.rss);
  }
  rows.push({
    measure,
    subject: 'minimal SDK server (1 no-op tool)',
    figure: ms(median(noopStarts)),
    baseline,
    baselineFigure: ms(bare),
  });
  for (const [label, peer, env] of [
    ['peer: server-memory', MEMORY_PEER, (dir: string) => ({ MEMORY_FILE_PATH: join(dir, 'memory.jsonl') })],
    ['peer: sequential-thinking', THINKING_PEER, () => ({})],
  ] as const) {
    log(`cold start: ${label} ×${runs}`);
    const starts: number[] = [];
    for (let i = 0; i < runs; i++) {
      const dir = tempDir('cold-peer');
      const server = await connect(label, peerBin(peer), env(dir));
      starts.push(server.startMs);
      await server.close();
      removeDir(dir);
    }
    rows.push({ measure, subject: label, figure: ms(median(starts)), baseline, baselineFigure: ms(bare) });
  }
  const rssBaseline = noopRss.length ? { value: median(noopRss), unit: 'bytes' as const } : null;
  const rssRows: ResultRow[] = [];
  const built = CHOIR_SERVERS.filter(choirBuilt);
  for (const name of CHOIR_SERVERS) {
    if (!built.includes(name)) {
      rows.push({
        measure,
        subject: `choir ${name}`,
        figure: null,
        baseline,
        baselineFigure: ms(bare),
        note: 'not built',
      });
      continue;
    }
    log(`cold start: ${name} ×${runs}`);
    const fresh: number[] = [];
    const existing: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < runs; i++) {
      const run = await startTwice(name);
      fresh.push(run.fresh);
      existing.push(run.existing);
      if (run.rss !== null) rss.push(run.rss);
    }
    rssRows.push({
      measure: `RSS right after start (median of ${runs})`,
      subject: `choir ${name}`,
      figure: rss.length ? { value: median(rss), unit: 'bytes' } : null,
      baseline: 'minimal SDK server (1 no-op tool)',
      baselineFigure: rssBaseline,
    });
    rows.push({
      measure,
      subject: `choir ${name}, new data dir`,
      figure: ms(median(fresh)),
      baseline,
      baselineFigure: ms(bare),
      note: 'includes creating the database and applying migrations',
    });
    rows.push({
      measure,
      subject: `choir ${name}, existing data dir`,
      figure: ms(median(existing)),
      baseline,
      baselineFigure: ms(bare),
    });
  }
  if (built.length > 0) {
    log(`cold start: ${built.length} servers in parallel ×${runs}`);
    const all = await medianOf(runs, () => startAllInParallel(built));
    rows.push({
      measure,
      subject: `all ${built.length} choir servers in parallel, new data dir`,
      figure: ms(all),
      baseline,
      baselineFigure: ms(bare),
      note: built.length < CHOIR_SERVERS.length ? `only ${built.join(', ')} were built` : undefined,
    });
  }
  return [...rows, ...rssRows];
}
