/** Shared test wiring: a fresh action.db, the server, and a real MCP client in memory. */
import { resolve } from 'node:path';
import type { Prior } from '@choir/contracts';
import type { LanguageModel } from '@choir/llm';
import type { Env } from '@choir/server-kit';
import {
  connectInMemory,
  openTestStore,
  type SamplingHandler,
  type ElicitationHandler,
  testDeps,
} from '@choir/server-kit/testing';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createActionServer } from '../src/server.js';
import {
  type ActionDB,
  type ActionStore,
  countGenerations,
  listGenerations,
  type LogEntry,
} from '../src/store.js';

export const migrationsDir = resolve(import.meta.dirname, '..', '..', '..', 'migrations', 'action');

export interface Harness {
  client: Client;
  store: ActionStore;
  /** Every generation_log row, oldest first. */
  logRows(): Promise<LogEntry[]>;
  logCount(): Promise<number>;
  /** Resolves once no tool call is running in the server (true), or after 5 s (false). */
  settled(): Promise<boolean>;
  close(): Promise<void>;
}

export async function harness(
  options: {
    sampling?: SamplingHandler;
    elicitation?: ElicitationHandler;
    env?: Env;
    model?: LanguageModel;
  } = {},
): Promise<Harness> {
  const store: ActionStore = await openTestStore<ActionDB>('action', migrationsDir);
  const deps = testDeps(store, { env: options.env, model: options.model ?? null });
  const client = await connectInMemory(createActionServer(deps), {
    sampling: options.sampling,
    elicitation: options.elicitation,
  });
  return {
    client,
    store,
    logRows: async () => (await listGenerations(store, { limit: 1000 })).entries.reverse(),
    logCount: () => countGenerations(store),
    settled: () => deps.inflight.drain(5_000),
    async close() {
      await client.close();
      await store.close();
    },
  };
}

export const prior = (id: string, score: number, content: string): Prior => ({
  id,
  score,
  content,
  scores: {},
});

export const PRIORS: Prior[] = [
  prior('exp_1', 0.91, 'The Eiffel Tower was finished in 1889 for the World Fair.'),
  prior('exp_2', 0.62, "Gustave Eiffel's company designed and built the tower."),
  prior('exp_3', 0.2, 'Paris has about two million inhabitants.'),
];

/** A sampling answer that never comes in time (the test sets REQUEST_TIMEOUT_MS far below it). */
export function slowSampling(ms = 1_500): SamplingHandler {
  return () =>
    new Promise((resolve) =>
      setTimeout(
        () => resolve({ role: 'assistant', model: 'slow', content: { type: 'text', text: 'late' } }),
        ms,
      ),
    );
}
