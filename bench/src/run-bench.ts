#!/usr/bin/env node
/**
 * `pnpm bench`: every benchmark in one run, one markdown table on stdout (progress on stderr),
 * written with the machine's description to results/latest.md (results/latest-quick.md for
 * BENCH_QUICK=1 runs, which are not comparable and not committed).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { type BenchConfig, loadBenchConfig } from './bench-config.js';
import { coldStartBench } from './benchmarks/cold-start.js';
import { memoryPeerBench } from './benchmarks/memory-peer.js';
import { roundTripBench } from './benchmarks/round-trip.js';
import { storageFloorBench } from './benchmarks/storage-floor.js';
import { thinkingPeerBench } from './benchmarks/thinking-peer.js';
import { stdoutRecords } from './line-transport.js';
import { benchDir, repoDir } from './servers.js';
import { type ResultRow, renderTable } from './table.js';

type Bench = (config: BenchConfig, log: (line: string) => void) => Promise<ResultRow[]>;

const BENCHES: Record<string, Bench> = {
  cold: coldStartBench,
  roundtrip: roundTripBench,
  memory: memoryPeerBench,
  thinking: thinkingPeerBench,
  floor: storageFloorBench,
};

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoDir, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function formatLoad(load: number[]): string {
  return load.map((n) => n.toFixed(1)).join('/');
}

async function main(): Promise<void> {
  const config = loadBenchConfig();
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  for (const name of only ?? []) {
    if (!(name in BENCHES))
      throw new Error(`BENCH_ONLY names an unknown bench ${name}; known: ${Object.keys(BENCHES).join(', ')}`);
  }
  const started = Date.now();
  const loadAtStart = loadavg();
  const log = (line: string) =>
    console.error(`[bench +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);
  const rows: ResultRow[] = [];
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only && !only.includes(name)) continue;
    rows.push(...(await bench(config, log)));
  }
  const impure = stdoutRecords().flatMap((record) => record.impure);
  const lines = stdoutRecords().reduce((sum, record) => sum + record.lines, 0);
  const table = renderTable(rows);
  const cpu = cpus();
  const header = [
    `# Choir bench results${config.quick ? ' (BENCH_QUICK: 10× smaller, not comparable)' : ''}`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu.length} CPUs (${cpu[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform} ${process.arch}`,
    `- Node: ${process.version}`,
    `- Load average (1/5/15 min) at start ${formatLoad(loadAtStart)}, at end ${formatLoad(loadavg())}${
      Math.max(loadAtStart[0]!, loadavg()[0]!) > cpu.length
        ? ': above the CPU count, other work was competing with the bench'
        : ''
    }`,
    `- Commit: ${gitCommit()}`,
    `- Sizes: cold starts ${config.coldStarts}, round trips ${config.roundTrips}, memory sizes ${config.memorySizes.join('/')} (batches of ${config.memoryBatch}), searches ${config.searches}, thoughts ${config.thoughts}, seed ${config.seed}`,
    `- Run time: ${((Date.now() - started) / 1000).toFixed(0)} s${only ? `; only ${only.join(', ')}` : ''}`,
    `- Stdout of every server in this run: ${lines} lines, ${impure.length} not JSON-RPC`,
    '',
    'Ratio = value ÷ baseline value (below 1 means Choir is faster or smaller). Latencies are',
    'wall-clock times seen by one SDK client over stdio, calls one after another.',
    '',
  ].join('\n');
  const document = `${header}\n${table}\n`;
  console.log(table);
  const resultsDir = join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const out = join(resultsDir, config.quick || only ? 'latest-quick.md' : 'latest.md');
  writeFileSync(out, document);
  log(`wrote ${out}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
