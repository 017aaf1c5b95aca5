// reasoning_linear in record mode (no model) over real stdio, 10,000 calls in one session: does
// latency or the server's memory grow with history? The first 1,000 calls are the baseline the
// last 1,000 are compared with, in the same run. Prints a markdown table.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const TOTAL = Number(process.env.BENCH_CALLS ?? 10_000);
const WINDOW = 1_000;
const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/index.js');
const dataDir = mkdtempSync(join(tmpdir(), 'choir-reasoning-bench-'));

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb / 1024;
}
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
const fmt = (n) => n.toFixed(2);

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [bin],
  env: { PATH: process.env.PATH ?? '', CHOIR_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
  stderr: 'inherit',
});
const client = new Client({ name: 'choir-reasoning-bench', version: '0.0.0' });
await client.connect(transport);
const pid = transport.pid;
const idleRss = rssMiB(pid);

const latencies = [];
const rss = {};
let sessionId;
const started = performance.now();
for (let i = 1; i <= TOTAL; i++) {
  const args = { content: `Step ${i}: a recorded thought about the problem at hand.`, thought_number: i };
  if (sessionId) args.session_id = sessionId;
  const t0 = performance.now();
  const result = await client.callTool({ name: 'reasoning_linear', arguments: args });
  latencies.push(performance.now() - t0);
  if (result.isError) throw new Error(`call ${i} failed: ${JSON.stringify(result.content)}`);
  sessionId ??= result.structuredContent.session_id;
  if (i % WINDOW === 0 || i === TOTAL) rss[i] = rssMiB(pid);
}
const seconds = (performance.now() - started) / 1000;
await client.close();
rmSync(dataDir, { recursive: true, force: true });

const first = latencies.slice(0, WINDOW);
const last = latencies.slice(-WINDOW);
const windows = [];
for (let end = WINDOW; end <= TOTAL; end += WINDOW) {
  const slice = latencies.slice(end - WINDOW, end);
  windows.push(
    `| ${end - WINDOW + 1}–${end} | ${fmt(percentile(slice, 50))} | ${fmt(percentile(slice, 95))} | ${fmt(rss[end])} |`,
  );
}
const lines = [
  `reasoning_linear, record mode, ${TOTAL} calls in one session over stdio (${seconds.toFixed(1)} s, node ${process.version})`,
  '',
  '| measure | calls 1–1,000 (baseline) | last 1,000 | change |',
  '| --- | ---: | ---: | ---: |',
  `| p50 latency (ms) | ${fmt(percentile(first, 50))} | ${fmt(percentile(last, 50))} | ${fmt(percentile(last, 50) / percentile(first, 50))}× |`,
  `| p95 latency (ms) | ${fmt(percentile(first, 95))} | ${fmt(percentile(last, 95))} | ${fmt(percentile(last, 95) / percentile(first, 95))}× |`,
  `| server RSS (MiB), after 1,000 vs after ${TOTAL} | ${fmt(rss[WINDOW])} | ${fmt(rss[TOTAL])} | ${fmt(rss[TOTAL] - rss[WINDOW])} MiB |`,
  '',
  'Per 1,000 calls:',
  '',
  '| calls | p50 (ms) | p95 (ms) | RSS after (MiB) |',
  '| --- | ---: | ---: | ---: |',
  ...windows,
  '',
  `Server RSS when idle after start-up: ${fmt(idleRss)} MiB. Load average at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}.`,
  '',
];
process.stdout.write(lines.join('\n'));
