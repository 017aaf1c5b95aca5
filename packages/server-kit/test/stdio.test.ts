import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { callTool, spawnServer, tempDataDir } from '../src/testing.js';

const bin = fileURLToPath(new URL('./fixtures/kit-bin.mjs', import.meta.url));

async function notes(dataDir: string): Promise<string[]> {
  const db = createClient({ url: `file:${join(dataDir, 'kit.db')}` });
  const rows = await db.execute('SELECT body FROM notes ORDER BY id');
  db.close();
  return rows.rows.map((r) => String(r.body));
}

function waitForExit(pid: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });
}

describe('runStdioServer', () => {
  it('lets an in-flight write finish on SIGTERM, then closes the database', async () => {
    const dataDir = tempDataDir();
    const server = await spawnServer(bin, { CHOIR_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const pid = server.transport.pid!;
    const call = callTool(server.client, 'kit_slow_write', { body: 'in flight', wait_ms: 400 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.kill(pid, 'SIGTERM');
    const result = await call;
    expect(result).toMatchObject({ isError: false, data: { id: 1 } });
    await waitForExit(pid);
    expect(await notes(dataDir)).toEqual(['in flight']);
    expect(server.stderr()).toContain('shutting down');
  });

  it('exits 0 when stdin closes and writes only JSON-RPC to stdout', async () => {
    const dataDir = tempDataDir();
    const lines = [
      {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } },
      },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'kit_slow_write', arguments: { body: 'a', wait_ms: 0 } },
      },
      {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'kit_slow_write', arguments: { body: 42 } },
      },
    ];
    const run = await execa('node', [bin], {
      input: `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
      env: { CHOIR_DATA_DIR: dataDir, LOG_LEVEL: 'debug' },
      reject: false,
    });
    expect(run.exitCode).toBe(0);
    const out = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    for (const message of out) expect(message.jsonrpc).toBe('2.0');
    // Calls run concurrently, so answers may come in any order; each comes exactly once.
    out.sort((a, b) => a.id - b.id);
    expect(out.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(out[2].result.isError).toBe(true);
    expect(out[2].result.content[0].text).toMatch(/^INVALID_INPUT: body: /);
    expect(run.stderr).toContain('"msg":"ready"');
    expect(await notes(dataDir)).toEqual(['a']);
  });

  it('refuses to start with a clear message when the configuration is invalid', async () => {
    const run = await execa('node', [bin], {
      input: '',
      env: { CHOIR_DATA_DIR: tempDataDir(), REQUEST_TIMEOUT_MS: 'soon' },
      reject: false,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('REQUEST_TIMEOUT_MS must be a whole number');
  });
});
