/** The built bin over real stdio: the way Claude Desktop, Cursor and the host run it. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callTool, spawnServer, tempDataDir } from '@choir/server-kit/testing';
import { openStore } from '@choir/storage';
import { describe, expect, it } from 'vitest';
import type { ReasoningDB } from '../src/store/tables.js';
import { migrationsDir } from './helpers.js';

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/index.js');

describe('choir-reasoning-server over stdio (run pnpm build first)', () => {
  it('lists valid tool names, records a thought, and keeps it after shutdown', async () => {
    // DATABASE_PATH is the reasoning plan's name for the database location.
    const databasePath = join(tempDataDir('choir-reasoning-stdio-'), 'custom.db');
    const server = await spawnServer(bin, { DATABASE_PATH: databasePath, LOG_LEVEL: 'info' });
    let sessionId: string;
    try {
      const { tools } = await server.client.listTools();
      expect(tools.length).toBeGreaterThan(2);
      for (const tool of tools) {
        expect(tool.name).toMatch(/^reasoning_[a-z0-9_]{1,54}$/);
        expect(tool.outputSchema).toBeDefined();
      }
      const r = await callTool<{ session_id: string; generated: boolean }>(
        server.client,
        'reasoning_linear',
        {
          content: 'over stdio',
        },
      );
      expect(r.isError).toBe(false);
      expect(r.data.generated).toBe(false);
      sessionId = r.data.session_id;
    } finally {
      await server.close();
    }
    // Logs went to stderr (stdout carried only protocol messages, or the client would have failed).
    expect(server.stderr()).toContain('"msg":"ready"');
    const store = await openStore<ReasoningDB>({
      server: 'reasoning',
      url: `file:${databasePath}`,
      migrationsDir,
    });
    try {
      const rows = await store.db.selectFrom('thoughts').select(['content', 'session_id']).execute();
      expect(rows).toEqual([{ content: 'over stdio', session_id: sessionId }]);
    } finally {
      await store.close();
    }
  });
});
