import { describe, expect, it } from 'vitest';
import { ftsQuery, reciprocalRankFusion } from './rank-fusion.js';

describe('reciprocalRankFusion', () => {
  it('sums 1/(60 + rank) over the lists', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['b', 'd'],
    ]);
    expect(fused.map((h) => h.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]).toEqual({ id: 'b', score: 1 / 62 + 1 / 61, ranks: [2, 1] });
    expect(fused[3]).toEqual({ id: 'c', score: 1 / 63, ranks: [3, null] });
  });

  it('breaks ties by best rank, then id, and counts a duplicate once', () => {
    expect(
      reciprocalRankFusion([
        ['x', 'y'],
        ['y', 'x'],
      ]).map((h) => h.id),
    ).toEqual(['x', 'y']);
    expect(reciprocalRankFusion([['a', 'a']])).toEqual([{ id: 'a', score: 1 / 61, ranks: [1] }]);
    expect(reciprocalRankFusion([])).toEqual([]);
  });
});

describe('ftsQuery', () => {
  it('quotes every word so user text is never FTS5 syntax', () => {
    expect(ftsQuery('Hello "world" OR NEAR(x*)')).toBe('"hello" OR "world" OR "near" OR "x"');
    expect(ftsQuery('Kira Kira kira')).toBe('"kira"');
    expect(ftsQuery('  ?! ')).toBeNull();
    expect(ftsQuery('Do you know the lighthouses?')).toBe('"know" OR "lighthouses"');
    expect(ftsQuery('who are you')).toBe('"who" OR "are" OR "you"');
    expect(ftsQuery('Ünïcode 東京')).toBe('"ünïcode" OR "東京"');
  });
});
