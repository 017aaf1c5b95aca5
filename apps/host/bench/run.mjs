// pnpm bench (apps/host): how long until the five servers are ready, against bare Node processes
// started in the same run; and what one PostChain turn costs when the model answers instantly.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHASES } from '@choir/contracts';
import { HostSession, loadConfig, newConversation, runTurn } from '../dist/index.js';
import { resolveHostModel } from '../dist/model/host-model.js';
import { silentLogger } from '../dist/logging/logger.js';
import { startScriptedModel } from '../dist/testing/scripted-model.js';

// Biome allows console only in the CLI; a bench prints through stdout directly.
const print = (text) => process.stdout.write(`${text}\n`);
const push = (map, key, value) => {
  map[key] = [...(map[key] ?? []), value];
};

const REPS = Number(process.env.BENCH_REPS ?? 5);
const TURNS = Number(process.env.BENCH_TURNS ?? 10);

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, median: at(0.5), p90: at(0.9), min: sorted[0], max: sorted[sorted.length - 1] };
};
const row = (label, s, note = '') =>
  `| ${label} | ${s.n} | ${s.median.toFixed(0)} | ${s.p90.toFixed(0)} | ${s.min.toFixed(0)} | ${s.max.toFixed(0)} | ${note} |`;
const header = [
  '| what | n | median ms | p90 ms | min ms | max ms | note |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];

/** A bare Node process that answers one line on stdin: the floor for "a process is ready". */
function bareNode() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ['-e', "process.stdin.once('data', (d) => { process.stdout.write(d); process.exit(0); })"],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    child.on('error', reject);
    child.stdout.once('data', () => resolve(performance.now() - started));
    child.stdin.write('ping\n');
  });
}

function hostConfig(dataDir) {
  return loadConfig({ dataDir }, { PATH: process.env.PATH, HOME: process.env.HOME }, tmpdir());
}

async function serversReady(dataDir) {
  const config = hostConfig(dataDir);
  const session = new HostSession(config, {
    model: { model: null, description: 'none' },
    logger: silentLogger(),
  });
  const started = performance.now();
  const statuses = await session.start();
  const ms = performance.now() - started;
  await session.close();
  const down = statuses.filter((s) => s.state !== 'up');
  if (down.length) throw new Error(`servers failed: ${down.map((s) => `${s.name}: ${s.error}`).join('; ')}`);
  return { ms, slowest: Math.max(...statuses.map((s) => s.startMs ?? 0)) };
}

async function readiness() {
  const bare = [];
  const bareFive = [];
  const cold = [];
  const warm = [];
  const warmDir = mkdtempSync(join(tmpdir(), 'choir-bench-warm-'));
  await serversReady(warmDir); // creates and migrates the databases once
  for (let i = 0; i < REPS; i++) {
    bare.push(await bareNode());
    const t = performance.now();
    await Promise.all(Array.from({ length: 5 }, bareNode));
    bareFive.push(performance.now() - t);
    const coldDir = mkdtempSync(join(tmpdir(), 'choir-bench-cold-'));
    cold.push((await serversReady(coldDir)).ms);
    rmSync(coldDir, { recursive: true, force: true });
    warm.push((await serversReady(warmDir)).ms);
  }
  rmSync(warmDir, { recursive: true, force: true });
  const b5 = stats(bareFive).median;
  print('\n### Servers ready (spawn → initialize → tools/list, all five in parallel)\n');
  print(
    [
      ...header,
      row('bare `node -e` answering one line', stats(bare), 'baseline: one process'),
      row('5 × bare `node -e` in parallel', stats(bareFive), 'baseline: five processes'),
      row(
        '5 Choir servers, existing databases',
        stats(warm),
        `${(stats(warm).median / b5).toFixed(1)}× the 5-process baseline`,
      ),
      row('5 Choir servers, fresh data dir', stats(cold), 'includes creating and migrating 5 databases'),
    ].join('\n'),
  );
}

/** A ToolCaller that times every call, by tool. */
function timed(caller, into) {
  return {
    async call(tool, args, options) {
      const started = performance.now();
      try {
        return await caller.call(tool, args, options);
      } finally {
        push(into, tool, performance.now() - started);
      }
    },
  };
}

async function turnOverhead() {
  const model = await startScriptedModel();
  const dataDir = mkdtempSync(join(tmpdir(), 'choir-bench-turn-'));
  const config = hostConfig(dataDir);
  const env = {
    CHOIR_MODEL: 'openai-compatible:scripted',
    OPENAI_BASE_URL: model.url,
    OPENAI_API_KEY: 'bench',
    MAX_RETRIES: '0',
  };
  const hostModel = await resolveHostModel(config, env);
  const session = new HostSession(config, { model: hostModel, logger: silentLogger() });
  await session.start();
  try {
    const settings = {
      persona: config.persona,
      maxCycles: 1,
      phases: config.phases,
      timeouts: config.timeouts,
    };
    let state = newConversation({ maxCycles: 1 });
    const run = async (message, tools, phaseTimes) => {
      const started = performance.now();
      const result = await runTurn(state, message, {
        caller: timed(session.pool, tools),
        settings,
        emit: (e) => {
          if (phaseTimes && (e.status === 'complete' || e.status === 'error'))
            push(phaseTimes, e.phase, e.elapsed_ms ?? 0);
          if (e.status === 'error') throw new Error(`${e.phase}: ${e.error?.code} ${e.error?.message}`);
        },
        deltas: session.deltas,
        usage: session.usage,
      });
      state = result.state;
      return performance.now() - started;
    };
    await run('warm-up: how do we rotate the signing keys?', {}, null);
    const turns = [];
    const tools = {};
    const phases = {};
    const requestsBefore = model.requests.length;
    for (let i = 0; i < TURNS; i++)
      turns.push(await run(`question ${i}: what changed in release ${i}?`, tools, phases));
    const samplingPerTurn = (model.requests.length - requestsBefore) / TURNS;
    // Baseline in the same run: one trivial round trip to a running server, no model involved.
    const roundTrips = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await session.pool.call('persona_list', { limit: 1 });
      roundTrips.push(performance.now() - t);
    }
    const callsPerTurn = Object.values(tools).reduce((n, list) => n + list.length, 0) / TURNS;
    print('\n### One PostChain turn with an instant scripted model (loopback, OpenAI wire format)\n');
    print(
      [
        ...header,
        row(
          'one bare tool round trip (persona_list)',
          stats(roundTrips),
          'baseline: MCP over stdio, no model',
        ),
        row(
          'whole turn, six phases + after-turn writes',
          stats(turns),
          `${callsPerTurn} tool calls and ${samplingPerTurn} model calls (via sampling) per turn`,
        ),
        ...PHASES.map((p) => row(`  phase ${p}`, stats(phases[p] ?? [0]))),
        ...['history_append', 'experience_record', 'experience_cite', 'persona_record_interaction']
          .filter((t) => tools[t])
          .map((t) => row(`  after the turn: ${t}`, stats(tools[t]))),
      ].join('\n'),
    );
    const phaseSum = PHASES.reduce((sum, p) => sum + stats(phases[p] ?? [0]).median, 0);
    print(
      `\nThe six phases' medians add up to ${phaseSum.toFixed(0)} ms of a ${stats(turns).median.toFixed(0)} ms turn; the rest is the after-turn writes (run in parallel) and the driver.`,
    );
  } finally {
    await session.close();
    await model.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

print(`choir host bench — Node ${process.version}, ${REPS} repetitions, ${TURNS} turns`);
await readiness();
await turnOverhead();
