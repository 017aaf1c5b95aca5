#!/usr/bin/env node
import { runStdioServer } from '@choir/server-kit';
import { findMigrationsDir } from '@choir/storage';
import { createReasoningServer, type ReasoningDB } from './server.js';

await runStdioServer<ReasoningDB>({
  name: 'reasoning',
  migrationsDir: findMigrationsDir(import.meta.url, 'reasoning'),
  create: createReasoningServer,
});
