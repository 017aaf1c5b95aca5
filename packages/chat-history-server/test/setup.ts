/** Shared test wiring: a fresh chat-history.db, the server, and a real MCP client in memory. */
import type { Env } from '@choir/server-kit';
import {
  callTool,
  connectInMemory,
  openTestStore,
  testDeps,
  type ToolOutcome,
} from '@choir/server-kit/testing';
import type { Store } from '@choir/storage';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type HistoryConfig, loadHistoryConfig } from '../src/config.js';
import type { HistoryDB } from '../src/db.js';
import { migrationsDir } from '../src/migrations-dir.js';
import { createChatHistoryServer } from '../src/server.js';

/** Retention off unless a test asks for it, so counts stay what the test wrote. */
export const UNLIMITED_ENV: Env = { CHAT_HISTORY_RETENTION: 'unlimited' };

export interface Harness {
  client: Client;
  store: Store<HistoryDB>;
  dataDir: string;
  call<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<ToolOutcome<T>>;
  /** Rows in a table, read straight from the database. */
  count(table: 'chat_events' | 'conversations' | 'append_requests' | 'usage_totals'): Promise<number>;
  close(): Promise<void>;
}

export async function harness(
  options: { env?: Env; now?: () => Date; config?: HistoryConfig; dataDir?: string } = {},
): Promise<Harness> {
  const store = await openTestStore<HistoryDB>('chat-history', migrationsDir(), options.dataDir);
  const env = { ...UNLIMITED_ENV, ...options.env };
  const deps = testDeps(store, { env });
  const server = createChatHistoryServer(deps, {
    now: options.now,
    config: options.config ?? loadHistoryConfig(env),
  });
  const client = await connectInMemory(server);
  const dataDir = store.location.filePath!.replace(/\/chat-history\.db$/, '');
  return {
    client,
    store,
    dataDir,
    call: (name, args = {}) => callTool(client, name, args),
    async count(table) {
      const r = await store.rawClient.execute(`SELECT COUNT(*) AS n FROM ${table}`);
      return Number(r.rows[0]!.n);
    },
    async close() {
      await client.close();
      await store.close();
    },
  };
}

export const user = (content: string) => ({ type: 'user_message', content });
export const assistant = (content: string) => ({ type: 'assistant_message', content });
