/**
 * The reasoning comparison: N thoughts through @modelcontextprotocol/server-sequential-thinking
 * (in memory) and through Choir's reasoning_linear in record mode (no model) in one session.
 * Latency of the first and the last tenth, memory after a tenth and after all.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { BenchConfig } from '../bench-config.js';
import { corpus } from '../corpus.js';
import { rssBytes } from '../proc.js';
import {
  type Connected,
  choirBuilt,
  connect,
  connectChoir,
  peerBin,
  removeDir,
  THINKING_PEER,
  tempDir,
} from '../servers.js';
import { type LatencySummary, summarize } from '../stats.js';
import type { ResultRow } from '../table.js';
import { must } from './round-trip.js';

interface ThoughtRun {
  first: LatencySummary;
  last: LatencySummary;
  rssAtTenth: number | null;
  rssAtEnd: number | null;
}

async function runThoughts(
  server: Connected,
  total: number,
  call: (client: Client, i: number) => Promise<void>,
): Promise<ThoughtRun> {
  const window = Math.max(1, Math.floor(total / 10));
  const samples: number[] = [];
  let rssAtTenth: number | null = null;
  for (let i = 0; i < total; i++) {
    const started = performance.now();
    await call(server.client, i);
    samples.push(performance.now() - started);
    if (i + 1 === window) rssAtTenth = rssBytes(server.transport.pid);
  }
  return {
    first: summarize(samples.slice(0, window)),
    last: summarize(samples.slice(-window)),
    rssAtTenth,
    rssAtEnd: rssBytes(server.transport.pid),
  };
}

export async function thinkingPeerBench(
  config: BenchConfig,
  log: (line: string) => void,
): Promise<ResultRow[]> {
  const total = config.thoughts;
  const texts = corpus(config.seed + 1, total);
  log(`thinking peer: sequential-thinking ×${total}`);
  const peerServer = await connect('sequential-thinking', peerBin(THINKING_PEER), {});
  let peer: ThoughtRun;
  try {
    peer = await runThoughts(peerServer, total, async (client, i) => {
      await must(client, 'sequentialthinking', {
        thought: texts[i]!,
        thoughtNumber: i + 1,
        totalThoughts: total,
        nextThoughtNeeded: i + 1 < total,
      });
    });
  } finally {
    await peerServer.close();
  }

  let choir: ThoughtRun | null = null;
  let missing: string | undefined;
  if (!choirBuilt('reasoning')) missing = 'reasoning server not built';
  else {
    log(`thinking peer: choir reasoning_linear (record mode) ×${total}`);
    const dir = tempDir('thinking-choir');
    const server = await connectChoir('reasoning', dir);
    try {
      let sessionId: string | undefined;
      choir = await runThoughts(server, total, async (client, i) => {
        const data = await must(client, 'reasoning_linear', {
          content: texts[i]!,
          ...(sessionId ? { session_id: sessionId } : {}),
        });
        if (data.generated !== false) throw new Error('reasoning_linear generated text without a model');
        sessionId = String(data.session_id);
      });
    } catch (error) {
      missing = `failed: ${(error as Error).message.split('\n')[0]}`;
    } finally {
      await server.close();
      removeDir(dir);
    }
  }

  const window = Math.max(1, Math.floor(total / 10)).toLocaleString('en-US');
  const n = total.toLocaleString('en-US');
  const subject = 'choir reasoning: reasoning_linear, no model (records the thought), one session';
  const baseline = 'sequential-thinking (in memory)';
  const rows: ResultRow[] = [];
  for (const [which, key] of [
    ['first', 'first'],
    ['last', 'last'],
  ] as const) {
    for (const q of ['p50', 'p99'] as const) {
      rows.push({
        measure: `${n} thoughts: ${which} ${window}, ${q}`,
        subject,
        figure: choir ? { value: choir[key][q], unit: 'ms' } : null,
        baseline,
        baselineFigure: { value: peer[key][q], unit: 'ms' },
        note: missing,
      });
    }
  }
  rows.push({
    measure: `server RSS after ${window} thoughts`,
    subject,
    figure: choir?.rssAtTenth ? { value: choir.rssAtTenth, unit: 'bytes' } : null,
    baseline,
    baselineFigure: peer.rssAtTenth ? { value: peer.rssAtTenth, unit: 'bytes' } : null,
    note: missing,
  });
  rows.push({
    measure: `server RSS after ${n} thoughts`,
    subject,
    figure: choir?.rssAtEnd ? { value: choir.rssAtEnd, unit: 'bytes' } : null,
    baseline,
    baselineFigure: peer.rssAtEnd ? { value: peer.rssAtEnd, unit: 'bytes' } : null,
    note: missing ?? 'choir keeps thoughts in its database, the peer in a growing array',
  });
  return rows;
}
