import { describe, expect, it } from 'vitest';
import { loadBenchConfig } from './bench-config.js';

describe('loadBenchConfig', () => {
  it('uses the issue sizes by default', () => {
    const config = loadBenchConfig({});
    expect(config).toMatchObject({
      quick: false,
      memorySizes: [1000, 10000],
      thoughts: 10000,
      coldStarts: 10,
    });
  });

  it('is ten times smaller with BENCH_QUICK=1', () => {
    expect(loadBenchConfig({ BENCH_QUICK: '1' })).toMatchObject({
      quick: true,
      memorySizes: [100, 1000],
      thoughts: 1000,
      roundTrips: 100,
    });
  });

  it('takes explicit overrides and refuses nonsense', () => {
    expect(loadBenchConfig({ BENCH_THOUGHTS: '50', BENCH_MEMORY_SIZES: '10, 20' })).toMatchObject({
      thoughts: 50,
      memorySizes: [10, 20],
    });
    expect(() => loadBenchConfig({ BENCH_THOUGHTS: '0' })).toThrow('positive integer');
    expect(() => loadBenchConfig({ BENCH_MEMORY_SIZES: '10,x' })).toThrow('bad size');
  });
});
