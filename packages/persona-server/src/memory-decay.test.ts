import { describe, expect, it } from 'vitest';
import { decayedImportance } from './memory-decay.js';
import { DAY_MS } from './numbers.js';

describe('decayedImportance', () => {
  it('halves the distance to the floor every 30 days', () => {
    expect(decayedImportance(0.5, 30 * DAY_MS)).toBe(0.3);
    expect(decayedImportance(0.5, 60 * DAY_MS)).toBe(0.2);
    expect(decayedImportance(0.8, 15 * DAY_MS)).toBe(0.594975); // 0.1 + 0.7·0.5^0.5
  });

  it('protects very important memories and leaves those at or under the floor alone', () => {
    expect(decayedImportance(0.9, 365 * DAY_MS)).toBe(0.9);
    expect(decayedImportance(0.1, 365 * DAY_MS)).toBe(0.1);
    expect(decayedImportance(0.05, 365 * DAY_MS)).toBe(0.05);
    expect(decayedImportance(0.5, 0)).toBe(0.5);
    expect(decayedImportance(0.5, -DAY_MS)).toBe(0.5);
  });

  it('gives the same result applied in steps or at once', () => {
    const stepped = decayedImportance(decayedImportance(0.7, 10 * DAY_MS), 20 * DAY_MS);
    expect(stepped).toBeCloseTo(decayedImportance(0.7, 30 * DAY_MS), 6);
    expect(decayedImportance(0.7, 30 * DAY_MS)).toBe(0.4);
  });
});
