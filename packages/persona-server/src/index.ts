#!/usr/bin/env node
import { runStdioServer } from '@choir/server-kit';
import { findMigrationsDir } from '@choir/storage';
import { createPersonaServer, type PersonaTables } from './server.js';

await runStdioServer<PersonaTables>({
  name: 'persona',
  migrationsDir: findMigrationsDir(import.meta.url, 'persona'),
  create: async (deps) => {
    try {
      return await createPersonaServer(deps);
    } catch (error) {
      // A bad CHOIR_EMBEDDING or PERSONA_MEMORY_CAP: say which, on stderr, and stop.
      deps.logger.fatal({ err: error }, 'cannot start');
      process.stderr.write(`choir-persona-server: cannot start: ${(error as Error).message}\n`);
      process.exit(1);
    }
  },
});
