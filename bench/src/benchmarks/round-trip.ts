/** Tool round trip of a representative read tool per server, against a no-op tool on the bare SDK. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool } from '@choir/server-kit/testing';
import type { BenchConfig } from '../bench-config.js';
import { corpus } from '../corpus.js';
import { type ChoirServerName, choirBuilt, connectChoir, removeDir, tempDir } from '../servers.js';
import { summarize } from '../stats.js';
import type { ResultRow } from '../table.js';
import { noopRoundTrips } from './baselines.js';

interface ReadToolSpec {
  server: ChoirServerName;
  tool: string;
  /** Puts some data in place and returns the timed call's arguments. */
  setup(client: Client, seed: number): Promise<Record<string, unknown>>;
  /** What the table says about the data in place. */
  describe: string;
}

/** Calls a tool that must succeed (setup steps); a failure here is a broken bench, not a figure. */
export async function must(client: Client, tool: string, args: Record<string, unknown>) {
  const outcome = await callTool(client, tool, args);
  if (outcome.isError) throw new Error(`${tool} failed: ${outcome.text}`);
  return outcome.data;
}

export const READ_TOOLS: ReadToolSpec[] = [
  {
    server: 'chat-history',
    tool: 'history_get',
    describe: 'limit 50 of a 200-event conversation',
    async setup(client, seed) {
      const texts = corpus(seed, 200);
      for (let i = 0; i < 200; i += 50) {
        await must(client, 'history_append', {
          conversation_id: 'bench',
          events: texts.slice(i, i + 50).map((content, j) => ({
            type: (i + j) % 2 === 0 ? 'user_message' : 'assistant_message',
            role: (i + j) % 2 === 0 ? 'user' : 'assistant',
            content,
          })),
        });
      }
      return { conversation_id: 'bench', limit: 50 };
    },
  },
  {
    server: 'experience',
    tool: 'experience_search',
    describe: 'hybrid, top 5 of 200 experiences',
    async setup(client, seed) {
      for (const content of corpus(seed, 200))
        await must(client, 'experience_record', { content, role: 'user' });
      return { query: 'the silver telescope at the observatory', top_k: 5, mode: 'hybrid' };
    },
  },
  {
    server: 'reasoning',
    tool: 'reasoning_session_get',
    describe: 'a 20-thought session',
    async setup(client, seed) {
      let sessionId: string | undefined;
      for (const content of corpus(seed, 20)) {
        const data = await must(client, 'reasoning_linear', {
          content,
          ...(sessionId ? { session_id: sessionId } : {}),
        });
        sessionId = String(data.session_id);
      }
      return { session_id: sessionId };
    },
  },
  {
    server: 'persona',
    tool: 'persona_get',
    describe: 'built-in persona aria',
    async setup() {
      return { persona: 'aria' };
    },
  },
  {
    server: 'action',
    tool: 'action_log',
    describe: 'limit 20 of 100 logged answers',
    async setup(client, seed) {
      // No model: action_respond answers on its documented no-model path and logs each answer.
      for (const message of corpus(seed, 100)) await must(client, 'action_respond', { message });
      return { limit: 20 };
    },
  },
];

async function timeCalls(client: Client, tool: string, args: Record<string, unknown>, calls: number) {
  for (let i = 0; i < Math.min(50, calls); i++) await must(client, tool, args);
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await must(client, tool, args);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

export async function roundTripBench(config: BenchConfig, log: (line: string) => void): Promise<ResultRow[]> {
  const calls = config.roundTrips;
  log(`round trip: no-op baseline ×${calls}`);
  const noop = summarize(await noopRoundTrips(calls));
  const baseline = 'no-op tool, minimal SDK server';
  const rows: ResultRow[] = [];
  for (const spec of READ_TOOLS) {
    const subject = `choir ${spec.server}: ${spec.tool} (${spec.describe})`;
    const rowsFor = (p50: number | null, p99: number | null, note?: string): ResultRow[] => [
      {
        measure: `tool round trip p50 (${calls} calls)`,
        subject,
        figure: p50 === null ? null : { value: p50, unit: 'ms' },
        baseline,
        baselineFigure: { value: noop.p50, unit: 'ms' },
        note,
      },
      {
        measure: `tool round trip p99 (${calls} calls)`,
        subject,
        figure: p99 === null ? null : { value: p99, unit: 'ms' },
        baseline,
        baselineFigure: { value: noop.p99, unit: 'ms' },
        note,
      },
    ];
    if (!choirBuilt(spec.server)) {
      rows.push(...rowsFor(null, null, 'not built'));
      continue;
    }
    log(`round trip: ${spec.server} ${spec.tool} ×${calls}`);
    const dir = tempDir(`rt-${spec.server}`);
    const server = await connectChoir(spec.server, dir);
    try {
      const { tools } = await server.client.listTools();
      if (!tools.some((t) => t.name === spec.tool)) {
        rows.push(...rowsFor(null, null, `${spec.tool} is not among its tools`));
        continue;
      }
      const args = await spec.setup(server.client, config.seed);
      const stats = await timeCalls(server.client, spec.tool, args, calls);
      rows.push(...rowsFor(stats.p50, stats.p99));
    } catch (error) {
      rows.push(...rowsFor(null, null, `failed: ${(error as Error).message.split('\n')[0]}`));
    } finally {
      await server.close();
      removeDir(dir);
    }
  }
  return rows;
}
