#!/usr/bin/env node
import { runStdioServer } from '@choir/server-kit';
import { findMigrationsDir } from '@choir/storage';
import { createActionServer } from './server.js';
import type { ActionDB } from './store.js';

await runStdioServer<ActionDB>({
  name: 'action',
  migrationsDir: findMigrationsDir(import.meta.url, 'action'),
  create: createActionServer,
});
