import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Embedder } from '@choir/llm';
import type { Env } from '@choir/server-kit';
import {
  connectInMemory,
  openTestStore,
  type SamplingHandler,
  tempDataDir,
  testDeps,
} from '@choir/server-kit/testing';
import type { Store } from '@choir/storage';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { sql } from 'kysely';
import { createPersonaServer, type PersonaTables } from '../src/server.js';

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MIGRATIONS = resolve(PACKAGE_DIR, '..', '..', 'migrations', 'persona');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Tests run on a clock they move by hand. */
export const T0 = Date.parse('2026-03-01T12:00:00.000Z');

export interface Harness {
  client: Client;
  store: Store<PersonaTables>;
  dataDir: string;
  clock: { now: number };
  close(): Promise<void>;
}

export async function harness(
  options: {
    sampling?: SamplingHandler;
    dataDir?: string;
    env?: Env;
    embedder?: Embedder;
    now?: number;
  } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? tempDataDir('choir-persona-');
  const store = await openTestStore<PersonaTables>('persona', MIGRATIONS, dataDir);
  const clock = { now: options.now ?? T0 };
  const server = await createPersonaServer(testDeps(store, { env: options.env }), {
    now: () => clock.now,
    embedder: options.embedder,
  });
  const client = await connectInMemory(server, options.sampling ? { sampling: options.sampling } : {});
  return {
    client,
    store,
    dataDir,
    clock,
    async close() {
      await client.close();
      await store.close();
    },
  };
}

const TABLES = ['personas', 'persona_state', 'relationships', 'memories', 'sessions', 'turns'] as const;

/** Row counts of every table (and the vector table when it exists): a rejected call must not change them. */
export async function rowCounts(store: Store<PersonaTables>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const result = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(store.db);
    counts[table] = Number(result.rows[0]!.n);
  }
  const vectors = await sql<{
    n: number;
  }>`SELECT count(*) AS n FROM sqlite_master WHERE name = 'memory_vectors'`.execute(store.db);
  if (Number(vectors.rows[0]!.n) > 0) {
    const result = await sql<{ n: number }>`SELECT count(*) AS n FROM memory_vectors`.execute(store.db);
    counts.memory_vectors = Number(result.rows[0]!.n);
  }
  return counts;
}

/** A scripted model: answers sampling requests in order, and records what it was asked. */
export function scriptedModel(answers: (string | ((params: SamplingParams) => string))[]) {
  const requests: SamplingParams[] = [];
  let next = 0;
  const handler: SamplingHandler = (params) => {
    requests.push(params);
    const answer = answers[Math.min(next, answers.length - 1)];
    next++;
    const text = typeof answer === 'function' ? answer(params) : (answer ?? '');
    return {
      role: 'assistant',
      model: 'scripted-model',
      content: { type: 'text', text },
      stopReason: 'endTurn',
    };
  };
  return { handler, requests };
}

export type SamplingParams = Parameters<SamplingHandler>[0];

export function textOf(message: SamplingParams['messages'][number]): string {
  const content = message.content as { type: string; text?: string } | { type: string; text?: string }[];
  const blocks = Array.isArray(content) ? content : [content];
  return blocks.map((b) => b.text ?? '').join('');
}

export function purposeOf(params: SamplingParams): string | undefined {
  return (params.metadata as { purpose?: string } | undefined)?.purpose;
}
