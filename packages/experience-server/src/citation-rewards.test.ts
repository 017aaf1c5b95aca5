import { describe, expect, it } from 'vitest';
import { CITATION_REWARD, decideCitationRewards, MAX_REWARDED_CITATIONS } from './citation-rewards.js';

describe('citation rewards', () => {
  it('pays 0.5 per new citation', () => {
    expect(CITATION_REWARD).toBe(0.5);
    expect(decideCitationRewards(['a', 'b'], new Set(), 0)).toEqual([
      { cited: 'a', isNew: true, reward: 0.5 },
      { cited: 'b', isNew: true, reward: 0.5 },
    ]);
  });

  it('pays for at most five citations per citing message, across calls', () => {
    expect(MAX_REWARDED_CITATIONS).toBe(5);
    const first = decideCitationRewards(['a', 'b', 'c', 'd', 'e', 'f'], new Set(), 0);
    expect(first.map((d) => d.reward)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0]);
    expect(first.every((d) => d.isNew)).toBe(true);
    const later = decideCitationRewards(['g', 'h'], new Set(['a', 'b', 'c', 'd']), 4);
    expect(later.map((d) => d.reward)).toEqual([0.5, 0]);
  });

  it('does not pay twice for the same citation', () => {
    expect(decideCitationRewards(['a', 'a', 'b'], new Set(['b']), 1)).toEqual([
      { cited: 'a', isNew: true, reward: 0.5 },
      { cited: 'b', isNew: false, reward: 0 },
    ]);
  });
});
