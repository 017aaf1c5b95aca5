/** The built bin over real stdio: start-up, durability across kill -9, two writer processes, settings. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { callTool, type SpawnedServer, spawnServer, tempDataDir } from '@choir/server-kit/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '..', 'dist', 'index.js');
const running: SpawnedServer[] = [];

async function start(dataDir: string, env: Record<string, string> = {}): Promise<SpawnedServer> {
  const server = await spawnServer(bin, {
    CHOIR_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    CHAT_HISTORY_RETENTION: 'unlimited',
    ...env,
  });
  running.push(server);
  return server;
}

/** Waits until the process is gone, so the next start sees exactly what reached the disk. */
function waitForExit(pid: number): Promise<void> {
  return new Promise((done) => {
    const check = () => {
      try {
        process.kill(pid, 0);
        setTimeout(check, 10);
      } catch {
        done();
      }
    };
    check();
  });
}

beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run pnpm build first`);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close().catch(() => {})));
});

describe('choir-chat-history-server over stdio', () => {
  it('serves its tools from the built bin and keeps stdout for the protocol', async () => {
    const dataDir = tempDataDir('choir-history-stdio-');
    const server = await start(dataDir);
    const transportErrors: Error[] = [];
    server.client.onerror = (error) => transportErrors.push(error);
    const { tools } = await server.client.listTools();
    expect(tools).toHaveLength(11);
    const r = await callTool(server.client, 'history_append', {
      conversation_id: 'c',
      events: [{ type: 'user_message', content: 'over stdio' }],
    });
    expect(r.data).toMatchObject({ seqs: [1], duplicate: false });
    await server.close();
    expect(transportErrors).toEqual([]);
    expect(existsSync(join(dataDir, 'chat-history.db'))).toBe(true);
    // pino writes JSON lines to stderr; "ready" proves logging went there, not to stdout.
    expect(server.stderr()).toContain('"msg":"ready"');
  });

  it('keeps an acknowledged append through kill -9, exactly once', async () => {
    const dataDir = tempDataDir('choir-history-kill-');
    const first = await start(dataDir);
    const batch = {
      conversation_id: 'durable',
      request_id: 'turn-1',
      events: [
        { type: 'user_message', content: 'remember this' },
        { type: 'assistant_message', content: 'remembered' },
      ],
    };
    const ack = await callTool(first.client, 'history_append', batch);
    expect(ack.data).toMatchObject({ seqs: [1, 2], duplicate: false });
    const pid = first.transport.pid!;
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid);

    const second = await start(dataDir);
    const got = await callTool<{ events: { seq: number; content: string }[] }>(second.client, 'history_get', {
      conversation_id: 'durable',
    });
    expect(got.data.events.map((e) => [e.seq, e.content])).toEqual([
      [1, 'remember this'],
      [2, 'remembered'],
    ]);
    // The host retries because it never saw the ack: the ledger answers, nothing is written twice.
    const retry = await callTool(second.client, 'history_append', batch);
    expect(retry.data).toMatchObject({ seqs: [1, 2], duplicate: true });
    const after = await callTool<{ events: unknown[] }>(second.client, 'history_get', {
      conversation_id: 'durable',
    });
    expect(after.data.events).toHaveLength(2);
  });

  it('hands out gap-free seqs when two server processes append to one conversation at once', async () => {
    const dataDir = tempDataDir('choir-history-two-');
    const [a, b] = await Promise.all([start(dataDir), start(dataDir)]);
    const append = (server: SpawnedServer, label: string, i: number) =>
      callTool<{ seqs: number[] }>(server.client, 'history_append', {
        conversation_id: 'shared',
        events: [
          { type: 'user_message', content: `${label} ${i}` },
          { type: 'assistant_message', content: `${label} ${i} reply` },
        ],
      });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => [append(a!, 'a', i), append(b!, 'b', i)]).flat(),
    );
    expect(results.every((r) => !r.isError)).toBe(true);
    for (const r of results) expect(r.data.seqs[1]).toBe(r.data.seqs[0]! + 1); // a batch stays contiguous
    const seqs = results.flatMap((r) => r.data.seqs).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    const got = await callTool<{ events: { seq: number }[] }>(a!.client, 'history_get', {
      conversation_id: 'shared',
      limit: 200,
    });
    expect(got.data.events.map((e) => e.seq)).toEqual(seqs);
  });

  it('keeps nothing between runs with CHAT_HISTORY_PERSISTENCE=off', async () => {
    const dataDir = tempDataDir('choir-history-off-');
    const first = await start(dataDir, { CHAT_HISTORY_PERSISTENCE: 'off' });
    await callTool(first.client, 'history_append', {
      conversation_id: 'c',
      events: [{ type: 'user_message', content: 'gone soon' }],
    });
    const within = await callTool<{ events: unknown[] }>(first.client, 'history_get', {
      conversation_id: 'c',
    });
    expect(within.data.events).toHaveLength(1);
    await first.close();
    const second = await start(dataDir, { CHAT_HISTORY_PERSISTENCE: 'off' });
    expect(await callTool(second.client, 'history_get', { conversation_id: 'c' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses to start with a malformed setting, naming it on stderr', () => {
    const r = spawnSync(process.execPath, [bin], {
      env: { PATH: process.env.PATH, CHOIR_DATA_DIR: tempDataDir(), CHAT_HISTORY_RETENTION: 'forever' },
      input: '',
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'CHAT_HISTORY_RETENTION must be one of token_limit, message_count, time_based, unlimited',
    );
  });
});
