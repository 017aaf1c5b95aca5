/**
 * The reliability harness must be able to fail: against a server with one planted bug per tool
 * it reports each of them (and nothing against the tool without a bug).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FuzzTarget, fuzzServer } from '../src/fuzz/fuzz-server.js';
import { benchDir, connect, removeDir, tempDir } from '../src/servers.js';

const faultyBin = join(benchDir, 'test', 'fixtures', 'faulty-server.mjs');
const faulty: FuzzTarget = {
  name: 'faulty',
  bin: faultyBin,
  env: (dataDir) => ({ CHOIR_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
  dbFile: (dataDir) => join(dataDir, 'faulty.db'),
};

describe('the fuzz harness against a server with planted bugs', () => {
  it('finds the insert and the update on rejection, the INTERNAL and the death, and nothing in the good tool', async () => {
    const report = await fuzzServer({
      target: faulty,
      runsPerTool: 15,
      seed: 7,
      onlyTools: [
        'faulty_good',
        'faulty_writes_then_refuses',
        'faulty_updates_then_refuses',
        'faulty_internal',
        'faulty_dies',
      ],
    });
    const kinds = (tool: string) =>
      new Set(report.findings.filter((f) => f.tool === tool).map((f) => f.kind));
    expect(kinds('faulty_good')).toEqual(new Set());
    expect(kinds('faulty_writes_then_refuses')).toEqual(new Set(['wrote-on-rejection']));
    expect(kinds('faulty_updates_then_refuses')).toEqual(new Set(['wrote-on-rejection']));
    expect(kinds('faulty_internal')).toEqual(new Set(['internal']));
    expect(kinds('faulty_dies')).toEqual(new Set(['died']));
    expect(report.restarts).toBeGreaterThan(0);
    const good = report.tallies.find((t) => t.tool === 'faulty_good')!;
    expect(good.ok).toBeGreaterThan(0);
    expect(report.integrity).toEqual(['ok']);
  });
});

describe('the stdout purity check against a server that prints', () => {
  it('records the printed line as impure', async () => {
    const dir = tempDir('faulty-print');
    // Untracked: this file's own suite-wide purity check must not fail on the planted bug.
    const server = await connect(
      'faulty',
      faultyBin,
      { CHOIR_DATA_DIR: dir, LOG_LEVEL: 'silent' },
      { untracked: true },
    );
    try {
      await server.client.callTool({ name: 'faulty_prints', arguments: {} });
      await server.client.ping();
    } finally {
      await server.close();
      removeDir(dir);
    }
    expect(server.transport.record.impure).toEqual([
      { server: 'faulty', line: 'debug: faulty_prints was called', reason: 'not JSON' },
    ]);
  });
});

describe('the crash proxy in front of a server', () => {
  const crashProxy = join(benchDir, 'test', 'fixtures', 'crash-proxy.mjs');

  it('kills the server with the named call in flight, once, and logs impure stdout lines', async () => {
    const dir = tempDir('crash-proxy');
    const marker = join(dir, 'marker');
    const purityLog = join(dir, 'impure.ndjson');
    const env = {
      CHOIR_DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      CRASH_ON_TOOL: 'faulty_good',
      CRASH_MARKER: marker,
      PURITY_LOG: purityLog,
    };
    const first = await connect('faulty-proxied', crashProxy, env, { untracked: true, args: [faultyBin] });
    await first.client.callTool({ name: 'faulty_prints', arguments: {} });
    await expect(first.client.callTool({ name: 'faulty_good', arguments: { label: 'x' } })).rejects.toThrow();
    expect(first.transport.alive).toBe(false);
    expect(existsSync(marker)).toBe(true);
    // Started again (as the host would), the marker keeps it from crashing twice.
    const second = await connect('faulty-proxied', crashProxy, env, { untracked: true, args: [faultyBin] });
    const outcome = await second.client.callTool({ name: 'faulty_good', arguments: { label: 'y' } });
    await second.close();
    await first.close();
    const impure = readFileSync(purityLog, 'utf8').trim().split('\n');
    removeDir(dir);
    expect(outcome.isError).toBeFalsy();
    expect(impure).toHaveLength(1);
    expect(JSON.parse(impure[0]!).line).toBe('debug: faulty_prints was called\n');
  });
});
