#!/usr/bin/env node
import { runStdioServer } from '@choir/server-kit';
import { type HistoryConfig, loadHistoryConfig } from './config.js';
import type { HistoryDB } from './db.js';
import { migrationsDir } from './migrations-dir.js';
import { createChatHistoryServer } from './server.js';

let config: HistoryConfig;
try {
  config = loadHistoryConfig(process.env);
} catch (error) {
  process.stderr.write(`choir-chat-history: cannot start: ${(error as Error).message}\n`);
  process.exit(1);
}
// CHAT_HISTORY_PERSISTENCE=off: an in-memory database, so nothing outlives the process.
const env = config.persistent ? process.env : { ...process.env, CHOIR_DATABASE_URL_CHAT_HISTORY: ':memory:' };

await runStdioServer<HistoryDB>({
  name: 'chat-history',
  migrationsDir: migrationsDir(),
  env,
  create: (deps) => createChatHistoryServer(deps, { config }),
});
