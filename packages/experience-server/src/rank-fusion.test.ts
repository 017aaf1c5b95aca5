import { describe, expect, it } from 'vitest';
import { RRF_K, reciprocalRankFusion } from './rank-fusion.js';

describe('reciprocal rank fusion', () => {
  it('sums 1/(60 + rank) over the lists holding an item', () => {
    expect(RRF_K).toBe(60);
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['b', 'd'],
    ]);
    expect(fused.map((f) => f.key)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]).toEqual({ key: 'b', score: 1 / 62 + 1 / 61, ranks: [2, 1] });
    expect(fused[1]).toEqual({ key: 'a', score: 1 / 61, ranks: [1, null] });
    expect(fused[2]).toEqual({ key: 'd', score: 1 / 62, ranks: [null, 2] });
    expect(fused[3]).toEqual({ key: 'c', score: 1 / 63, ranks: [3, null] });
  });

  it('breaks exact ties by first appearance', () => {
    const fused = reciprocalRankFusion([['x'], ['y']]);
    expect(fused.map((f) => f.key)).toEqual(['x', 'y']);
    expect(fused[0]!.score).toBe(fused[1]!.score);
  });

  it('counts a repeated key once per list, at its first position', () => {
    const fused = reciprocalRankFusion([['a', 'a', 'b']]);
    expect(fused).toEqual([
      { key: 'a', score: 1 / 61, ranks: [1] },
      { key: 'b', score: 1 / 63, ranks: [3] },
    ]);
  });

  it('takes another k, and handles empty input', () => {
    expect(reciprocalRankFusion([[1, 2]], 0).map((f) => f.score)).toEqual([1, 0.5]);
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
    expect(() => reciprocalRankFusion([[1]], -1)).toThrow(RangeError);
  });

  it('ranks an item found by both lists above one found by either alone at a similar rank', () => {
    const fused = reciprocalRankFusion([
      ['v1', 'both', 'v3'],
      ['k1', 'both', 'k3'],
    ]);
    expect(fused[0]!.key).toBe('both');
  });
});
