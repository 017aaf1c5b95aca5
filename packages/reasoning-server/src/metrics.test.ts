import { describe, expect, it } from 'vitest';
import { percentile, summarizeInvocations } from './metrics.js';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 10)).toBe(1);
    expect(percentile(values, 0)).toBe(1);
  });
  it('is 0 for no values', () => {
    expect(percentile([], 50)).toBe(0);
  });
});

describe('summarizeInvocations', () => {
  it('groups by mode and provider with success rate and percentiles', () => {
    const rows = [
      { mode: 'linear', provider: 'none', success: true, latencyMs: 3 },
      { mode: 'linear', provider: 'none', success: true, latencyMs: 1 },
      { mode: 'linear', provider: 'none', success: false, latencyMs: 2 },
      { mode: 'auto', provider: 'sampling', success: true, latencyMs: 120.456 },
    ];
    expect(summarizeInvocations(rows)).toEqual([
      {
        mode: 'auto',
        provider: 'sampling',
        count: 1,
        success_count: 1,
        success_rate: 1,
        p50_ms: 120.46,
        p95_ms: 120.46,
        p99_ms: 120.46,
        max_ms: 120.46,
      },
      {
        mode: 'linear',
        provider: 'none',
        count: 3,
        success_count: 2,
        success_rate: 0.6667,
        p50_ms: 2,
        p95_ms: 3,
        p99_ms: 3,
        max_ms: 3,
      },
    ]);
  });
});
