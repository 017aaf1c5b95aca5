import { describe, expect, it } from 'vitest';
import {
  accessScore,
  isProtected,
  planPruning,
  type RetentionInput,
  retentionScore,
} from './memory-pruning.js';
import { DAY_MS, HOUR_MS } from './numbers.js';

const NOW = 100 * DAY_MS;
const memory = (
  id: string,
  importance: number,
  accessCount: number,
  ageDays: number,
  lastAccessedDaysAgo?: number,
) =>
  ({
    id,
    importance,
    accessCount,
    createdAt: NOW - ageDays * DAY_MS,
    lastAccessed: lastAccessedDaysAgo === undefined ? null : NOW - lastAccessedDaysAgo * DAY_MS,
  }) satisfies RetentionInput;

describe('retentionScore', () => {
  it('weights importance 0.6, access 0.25 and recency 0.15', () => {
    expect(retentionScore(memory('a', 0.5, 0, 0), NOW)).toBe(0.45);
    expect(retentionScore(memory('a', 0.5, 10, 0), NOW)).toBe(0.7);
    expect(retentionScore(memory('a', 0.5, 0, 7), NOW)).toBe(0.375);
    expect(retentionScore(memory('a', 0.5, 3, 14, 7), NOW)).toBe(0.519532); // 0.3 + 0.25·ln4/ln11 + 0.15·0.5
  });

  it('saturates the access term at 10 accesses', () => {
    expect(accessScore(0)).toBe(0);
    expect(accessScore(10)).toBe(1);
    expect(accessScore(1000)).toBe(1);
  });
});

describe('planPruning', () => {
  it('drops the least valuable first and protects recent and very important memories', () => {
    const memories = [
      memory('fresh-trivial', 0.1, 0, 0.5), // younger than 24 h: protected
      memory('old-crucial', 0.95, 0, 300), // importance ≥ 0.9: protected
      memory('old-trivial', 0.1, 0, 300),
      memory('old-used', 0.1, 10, 300),
      memory('mid', 0.5, 0, 30),
    ];
    // mid: 0.3 + 0.15·0.5^(30/7) = 0.307694 < old-used: 0.06 + 0.25 = 0.31
    expect(planPruning(memories, 3, NOW)).toEqual({ prune: ['old-trivial', 'mid'], overCapProtected: 0 });
    expect(planPruning(memories, 5, NOW)).toEqual({ prune: [], overCapProtected: 0 });
    expect(planPruning(memories, 0, NOW)).toEqual({
      prune: ['old-trivial', 'mid', 'old-used'],
      overCapProtected: 2,
    });
  });

  it('breaks score ties by age, then id', () => {
    const tie = [memory('b', 0.2, 0, 400), memory('a', 0.2, 0, 400), memory('c', 0.2, 0, 500)];
    expect(planPruning(tie, 1, NOW).prune).toEqual(['c', 'a']);
  });

  it('protects memories younger than 24 hours exactly', () => {
    expect(isProtected({ ...memory('x', 0.1, 0, 0), createdAt: NOW - 24 * HOUR_MS + 1 }, NOW)).toBe(true);
    expect(isProtected({ ...memory('x', 0.1, 0, 0), createdAt: NOW - 24 * HOUR_MS }, NOW)).toBe(false);
  });
});
