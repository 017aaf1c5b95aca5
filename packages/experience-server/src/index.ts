#!/usr/bin/env node
import { runStdioServer } from '@choir/server-kit';
import { findMigrationsDir } from '@choir/storage';
import type { ExperienceDB } from './db.js';
import { createExperienceServer } from './server.js';

await runStdioServer<ExperienceDB>({
  name: 'experience',
  migrationsDir: findMigrationsDir(import.meta.url, 'experience'),
  create: (deps) => createExperienceServer(deps),
});
