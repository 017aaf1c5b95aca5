/**
 * The reliability harness must be able to fail: against a server with one planted bug per tool
 * it reports each of them (and nothing against the tool without a bug).
 */
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
  it('finds the write on rejection, the INTERNAL and the death, and nothing in the good tool', async () => {
    const report = await fuzzServer({
      target: faulty,
      runsPerTool: 15,
      seed: 7,
      onlyTools: ['faulty_good', 'faulty_writes_then_refuses', 'faulty_internal', 'faulty_dies'],
    });
    const kinds = (tool: string) =>
      new Set(report.findings.filter((f) => f.tool === tool).map((f) => f.kind));
    expect(kinds('faulty_good')).toEqual(new Set());
    expect(kinds('faulty_writes_then_refuses')).toEqual(new Set(['wrote-on-rejection']));
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
