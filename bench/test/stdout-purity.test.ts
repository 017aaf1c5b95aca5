/**
 * Stdout purity on the paths most likely to leak text: verbose logging, a call of every tool,
 * a start-up that fails, and shutdown. (Every other test file is checked the same way by
 * setup-stdout-purity.ts; this one goes looking for trouble.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plausibleArbitrary, type JsonSchema } from '../src/fuzz/schema-arbitrary.js';
import { LineTransport, stdoutRecords } from '../src/line-transport.js';
import { CHOIR_SERVERS, choirBin, choirBuilt, connectChoir, removeDir, tempDir } from '../src/servers.js';

describe.each(CHOIR_SERVERS)('stdout purity: %s server', (server) => {
  it.skipIf(!choirBuilt(server))(
    'writes only JSON-RPC with debug logging, through every tool and shutdown',
    async () => {
      const dir = tempDir(`purity-${server}`);
      const connected = await connectChoir(server, dir, { LOG_LEVEL: 'trace' });
      try {
        const { tools } = await connected.client.listTools();
        for (const [i, tool] of tools.entries()) {
          const [args] = fc.sample(plausibleArbitrary(tool.inputSchema as JsonSchema, '', {}), {
            seed: i,
            numRuns: 1,
          });
          await connected.client.callTool({ name: tool.name, arguments: args as Record<string, unknown> });
        }
        await connected.client.ping();
      } finally {
        await connected.close();
        removeDir(dir);
      }
      const record = connected.transport.record;
      expect(record.lines).toBeGreaterThan(2);
      expect(record.impure).toEqual([]);
      // The logs went somewhere: stderr.
      expect(connected.transport.stderr().length).toBeGreaterThan(0);
    },
  );

  it.skipIf(!choirBuilt(server))('reports a start-up failure on stderr, not stdout', async () => {
    const dir = tempDir(`purity-fail-${server}`);
    // A data dir that is a file: the database cannot be created.
    const notADir = join(dir, 'file');
    writeFileSync(notADir, 'not a directory');
    const transport = new LineTransport({
      server,
      bin: choirBin(server),
      env: { CHOIR_DATA_DIR: notADir, CHOIR_MODEL: 'none' },
    });
    const exited = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
    });
    await transport.start();
    await exited;
    removeDir(dir);
    expect(transport.record.impure).toEqual([]);
    expect(transport.record.lines).toBe(0);
    expect(transport.stderr()).toMatch(/cannot start/i);
  });
});

it('saw only JSON-RPC on stdout in this file', () => {
  expect(stdoutRecords().flatMap((r) => r.impure)).toEqual([]);
});
