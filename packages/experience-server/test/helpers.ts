import { join } from 'node:path';
import { createHashEmbedder, type Embedder } from '@choir/llm';
import {
  callTool,
  connectInMemory,
  openTestStore,
  type TestClientOptions,
  tempDataDir,
  testDeps,
  type ToolOutcome,
} from '@choir/server-kit/testing';
import type { Store } from '@choir/storage';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { sql } from 'kysely';
import type { ExperienceDB } from '../src/db.js';
import { createExperienceServer } from '../src/server.js';

export const migrationsDir = join(import.meta.dirname, '..', '..', '..', 'migrations', 'experience');

export interface Harness {
  client: Client;
  store: Store<ExperienceDB>;
  dataDir: string;
  call<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<ToolOutcome<T>>;
  /** Rows in a table, for "a rejected call writes nothing". */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions extends TestClientOptions {
  embedder?: Embedder;
  dataDir?: string;
  env?: Record<string, string>;
  now?: () => Date;
}

/** A fixed clock that ticks one second per call, so created_at values are distinct and known. */
export function tickingClock(start = Date.parse('2025-03-01T10:00:00.000Z')): () => Date {
  let t = start;
  return () => {
    const d = new Date(t);
    t += 1000;
    return d;
  };
}

export async function harness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? tempDataDir('choir-exp-');
  const store = await openTestStore<ExperienceDB>('experience', migrationsDir, dataDir);
  const deps = testDeps(store, { env: options.env ?? {} });
  const server = createExperienceServer(deps, {
    ...(options.embedder === undefined && options.env?.CHOIR_EMBEDDING
      ? {}
      : { embedder: options.embedder ?? createHashEmbedder() }),
    now: options.now ?? tickingClock(),
  });
  const client = await connectInMemory(server, options);
  return {
    client,
    store,
    dataDir,
    call: (name, args = {}) => callTool(client, name, args),
    async count(table) {
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(
        store.db,
      );
      return rows[0]!.n;
    },
    async close() {
      await client.close();
      await store.close();
    },
  };
}

/**
 * Wraps an embedder and records the texts it was asked to embed. With a `name`, it passes for
 * a provider embedder (whose vectors the server caches in server_cache).
 */
export function countingEmbedder(
  inner: Embedder = createHashEmbedder(),
  name: string = inner.name,
): Embedder & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    name,
    get dimension() {
      return inner.dimension;
    },
    async embed(texts, signal) {
      calls.push(...texts);
      return inner.embed(texts, signal);
    },
  };
}
