#!/usr/bin/env node
import { runStdioServer } from '@choir/server-kit';
import { findMigrationsDir } from '@choir/storage';
import { createPersonaServer, type PersonaTables } from './server.js';

await runStdioServer<PersonaTables>({
  name: 'persona',
  migrationsDir: findMigrationsDir(import.meta.url, 'persona'),
  create: createPersonaServer,
});
