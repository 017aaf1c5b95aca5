import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { AbortReason } from '../../src/postchain/tool-caller.js';
import type { BackoffPolicy } from '../../src/servers/backoff.js';
import type { SamplingHandler } from '../../src/servers/managed-server.js';
import { ServerPool } from '../../src/servers/server-pool.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'fixture-server.mjs');
const FAST_BACKOFF: BackoffPolicy = {
  baseMs: 20,
  factor: 2,
  maxMs: 100,
  maxRestarts: 3,
  stableAfterMs: 60_000,
};

const pools: ServerPool[] = [];

function pool(
  options: {
    env?: Record<string, string>;
    sampling?: SamplingHandler;
    backoff?: BackoffPolicy;
    args?: string[];
  } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'choir-pool-'));
  const events = join(dir, 'events.log');
  const p = new ServerPool({
    servers: { fixture: { command: 'node', args: options.args ?? [FIXTURE], env: {} } },
    envFor: () => ({ PATH: process.env.PATH ?? '', FIXTURE_EVENTS: events, ...options.env }),
    stderrPathFor: (name) => join(dir, `${name}.log`),
    startupTimeoutMs: 10_000,
    logger: silentLogger(),
    backoff: options.backoff ?? FAST_BACKOFF,
    ...(options.sampling ? { sampling: options.sampling } : {}),
  });
  pools.push(p);
  return { pool: p, events, dir };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('ServerPool', () => {
  it('starts a server, lists its tools, and writes its stderr to the log file, not ours', async () => {
    const { pool: p, dir } = pool();
    const [status] = await p.start();
    expect(status).toMatchObject({ name: 'fixture', state: 'up', tools: 6, restarts: 0 });
    expect(status!.pid).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'fixture.log'), 'utf8')).toContain('fixture server starting');
  });

  it('spawns the child in its own process group, so the terminal Ctrl-C does not reach it', async () => {
    const { pool: p } = pool();
    const [status] = await p.start();
    const pgid = Number(
      execFileSync('ps', ['-o', 'pgid=', '-p', String(status!.pid)])
        .toString()
        .trim(),
    );
    expect(pgid).toBe(status!.pid);
    expect(pgid).not.toBe(
      Number(
        execFileSync('ps', ['-o', 'pgid=', '-p', String(process.pid)])
          .toString()
          .trim(),
      ),
    );
  });

  it('returns structured data, tool error codes, and TOOL_UNAVAILABLE for tools nobody offers', async () => {
    const { pool: p } = pool();
    await p.start();
    const echo = await p.call<{ text: string }>('fixture_echo', { text: 'hi' });
    expect(echo).toMatchObject({ ok: true, data: { text: 'hi' } });
    const fail = await p.call('fixture_fail', {});
    expect(fail).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'nothing here' } });
    const missing = await p.call('nobody_has_this', {});
    expect(missing).toMatchObject({ ok: false, error: { code: 'TOOL_UNAVAILABLE' } });
  });

  it('fails a call in flight with SERVER_EXITED when the server dies, then restarts it', async () => {
    const { pool: p } = pool();
    const [first] = await p.start();
    const crash = await p.call('fixture_crash', {}, { timeoutMs: 5_000 });
    expect(crash).toMatchObject({ ok: false, error: { code: 'SERVER_EXITED' } });
    expect(crash.ok ? '' : crash.error.message).toMatch(/exited .*code 3/);
    // The next call waits for the restart and is answered by a new process.
    const echo = await p.call<{ pid: number }>('fixture_echo', { text: 'again' }, { timeoutMs: 5_000 });
    expect(echo.ok).toBe(true);
    expect(echo.ok && echo.data.pid).not.toBe(first!.pid);
    expect(p.statuses()[0]).toMatchObject({ state: 'up', restarts: 1 });
  });

  it('gives up after the bounded number of restarts', async () => {
    const { pool: p } = pool({ backoff: { ...FAST_BACKOFF, maxRestarts: 1 } });
    await p.start();
    await p.call('fixture_crash', {}, { timeoutMs: 5_000 });
    await until(() => p.statuses()[0]!.state === 'up');
    await p.call('fixture_crash', {}, { timeoutMs: 5_000 });
    await until(() => p.statuses()[0]!.state === 'failed');
    const after = await p.call('fixture_echo', { text: 'x' }, { timeoutMs: 1_000 });
    expect(after).toMatchObject({ ok: false, error: { code: 'SERVER_UNAVAILABLE' } });
    expect(after.ok ? '' : after.error.message).toMatch(/^server fixture is not running \(exited \(code 3/);
  });

  it('times a call out with TIMEOUT and cancels it on the server (notifications/cancelled)', async () => {
    const { pool: p, events } = pool();
    await p.start();
    const slow = await p.call('fixture_slow', { ms: 10_000 }, { timeoutMs: 300 });
    expect(slow).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    await until(() => existsSync(events) && readFileSync(events, 'utf8').includes('slow cancelled'));
  });

  it('reports the abort reason of a cancelled call and cancels it on the server', async () => {
    const { pool: p, events } = pool();
    await p.start();
    const controller = new AbortController();
    const pending = p.call('fixture_slow', { ms: 10_000 }, { signal: controller.signal, timeoutMs: 10_000 });
    await until(() => existsSync(events) && readFileSync(events, 'utf8').includes('slow started'));
    controller.abort(new AbortReason('CANCELLED', 'the turn was cancelled'));
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    await until(() => readFileSync(events, 'utf8').includes('slow cancelled'));
  });

  it('reports a server that cannot start with what it said, and does not retry it', async () => {
    const { pool: p } = pool({ env: { FIXTURE_FAIL_START: '1' } });
    const [status] = await p.start();
    expect(status!.state).toBe('failed');
    expect(status!.error).toContain('fixture refused to start');
  });

  it('names the missing file when a server is not built', async () => {
    const { pool: p } = pool({ args: ['/nonexistent/dist/index.js'] });
    const [status] = await p.start();
    expect(status).toMatchObject({ state: 'failed' });
    expect(status!.error).toMatch(/does not exist; build the workspace first/);
  });

  it('advertises sampling only with a model, and answers it with the handler', async () => {
    const without = pool().pool;
    await without.start();
    const caps = await without.call('fixture_capabilities', {});
    expect(caps.ok && JSON.parse(caps.text)).toEqual({});

    const withModel = pool({
      sampling: async (params) => ({
        role: 'assistant',
        model: 'scripted',
        content: { type: 'text', text: `echo: ${(params.messages[0]!.content as { text: string }).text}` },
      }),
    }).pool;
    await withModel.start();
    const caps2 = await withModel.call('fixture_capabilities', {});
    expect(caps2.ok && JSON.parse(caps2.text)).toEqual({ sampling: {} });
    const sampled = await withModel.call('fixture_sample', { prompt: 'ping' });
    expect(sampled).toMatchObject({ ok: true, text: 'echo: ping' });
  });

  it('leaves no child running after close', async () => {
    const { pool: p } = pool();
    const [status] = await p.start();
    expect(alive(status!.pid!)).toBe(true);
    await p.close();
    await until(() => !alive(status!.pid!));
    expect(p.statuses()[0]!.state).toBe('stopped');
  });
});
