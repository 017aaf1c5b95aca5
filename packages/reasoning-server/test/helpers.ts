/** Test wiring: a temp store, the server behind a real MCP client, a scripted model answering by purpose. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  callTool,
  connectInMemory,
  openTestStore,
  type SamplingHandler,
  samplingText,
  tempDataDir,
  testDeps,
  type ToolOutcome,
} from '@choir/server-kit/testing';
import type { LanguageModel } from '@choir/llm';
import type { Store } from '@choir/storage';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CreateMessageRequest } from '@modelcontextprotocol/sdk/types.js';
import { createReasoningServer } from '../src/server.js';
import type { ReasoningDB } from '../src/store/tables.js';

export const migrationsDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../migrations/reasoning',
);

export type Params = CreateMessageRequest['params'];
/** An answer per purpose: an object (sent as JSON), a string (sent as is), or a function of the request. */
export type Script = Record<string, unknown | ((params: Params, call: number) => unknown)>;

export interface ScriptedModel {
  handler: SamplingHandler;
  calls: { purpose: string; params: Params }[];
  purposes(): string[];
}

export function scriptedModel(script: Script): ScriptedModel {
  const calls: ScriptedModel['calls'] = [];
  const handler: SamplingHandler = (params) => {
    const purpose = String((params.metadata as { purpose?: string } | undefined)?.purpose ?? '');
    calls.push({ purpose, params });
    if (!(purpose in script)) throw new Error(`no scripted answer for purpose "${purpose}"`);
    const entry = script[purpose];
    const count = calls.filter((c) => c.purpose === purpose).length;
    const answer =
      typeof entry === 'function' ? (entry as (p: Params, n: number) => unknown)(params, count) : entry;
    return samplingText(typeof answer === 'string' ? answer : JSON.stringify(answer));
  };
  return { handler, calls, purposes: () => calls.map((c) => c.purpose) };
}

export interface Harness {
  store: Store<ReasoningDB>;
  client: Client;
  dataDir: string;
  call<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<ToolOutcome<T>>;
  /** Calls and fails the test when the tool returned an error. */
  ok<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  rows(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export async function harness(
  options: {
    model?: ScriptedModel;
    provider?: LanguageModel;
    env?: Record<string, string>;
    dataDir?: string;
  } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? tempDataDir('choir-reasoning-');
  const store = await openTestStore<ReasoningDB>('reasoning', migrationsDir, dataDir);
  const deps = testDeps(store, { env: options.env, model: options.provider });
  const client = await connectInMemory(createReasoningServer(deps), {
    sampling: options.model?.handler,
  });
  const call = <T>(name: string, args: Record<string, unknown> = {}) => callTool<T>(client, name, args);
  return {
    store,
    client,
    dataDir,
    call,
    async ok<T>(name: string, args: Record<string, unknown> = {}) {
      const outcome = await call<T>(name, args);
      if (outcome.isError) throw new Error(`${name} failed: ${outcome.text}`);
      return outcome.data;
    },
    rows: () => rowCounts(store),
    async close() {
      await client.close();
      await store.close();
    },
  };
}

const TABLES = [
  'sessions',
  'thoughts',
  'branches',
  'cross_refs',
  'checkpoints',
  'graph_nodes',
  'graph_edges',
  'invocations',
  'server_cache',
] as const;

/** Row counts of every table, to show that a rejected call wrote nothing. */
export async function rowCounts(store: Store<ReasoningDB>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const result = await store.client.execute(`SELECT count(*) AS n FROM ${table}`);
    counts[table] = Number(result.rows[0]!.n);
  }
  return counts;
}
