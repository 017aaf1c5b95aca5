import { describe, expect, it } from 'vitest';
import { median, percentile, ratio, summarize } from './stats.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose

  it('picks the value at the ceiling rank', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7, 1, 3], 50)).toBe(3);
    expect(percentile([7, 1, 3], 99)).toBe(7);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses an empty sample and out-of-range p', () => {
    expect(() => percentile([], 50)).toThrow('empty');
    expect(() => percentile([1], 0)).toThrow('(0, 100]');
    expect(() => percentile([1], 101)).toThrow('(0, 100]');
  });

  it('median of an even sample is the lower middle', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
  });
});

describe('summarize', () => {
  it('reports n, p50, p99 and mean', () => {
    expect(summarize([1, 2, 3, 4, 10])).toEqual({ n: 5, p50: 3, p99: 10, mean: 4 });
  });
});

describe('ratio', () => {
  it('divides, and is null without a usable baseline', () => {
    expect(ratio(6, 2)).toBe(3);
    expect(ratio(6, 0)).toBeNull();
    expect(ratio(6, null)).toBeNull();
  });
});
