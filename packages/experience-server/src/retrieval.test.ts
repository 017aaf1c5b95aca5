import { describe, expect, it } from 'vitest';
import { filteredDepth, fusionWindow, rankCandidates } from './retrieval.js';

const vector = [
  { seq: 1, similarity: 0.9 },
  { seq: 2, similarity: 0.5 },
];
const keyword = [
  { seq: 3, score: 7 },
  { seq: 1, score: 4 },
];

describe('ranking candidates', () => {
  it('hybrid: reciprocal rank fusion, carrying every component score it knows', () => {
    expect(rankCandidates('hybrid', vector, keyword)).toEqual([
      { seq: 1, score: 1 / 61 + 1 / 62, similarity: 0.9, keyword: 4, fused: 1 / 61 + 1 / 62 },
      { seq: 3, score: 1 / 61, similarity: undefined, keyword: 7, fused: 1 / 61 },
      { seq: 2, score: 1 / 62, similarity: 0.5, keyword: undefined, fused: 1 / 62 },
    ]);
  });

  it('vector and keyword: one list, scored by its own measure', () => {
    expect(rankCandidates('vector', vector, keyword).map((c) => [c.seq, c.score, c.keyword])).toEqual([
      [1, 0.9, 4],
      [2, 0.5, undefined],
    ]);
    expect(rankCandidates('keyword', vector, keyword).map((c) => [c.seq, c.score, c.similarity])).toEqual([
      [3, 7, undefined],
      [1, 4, 0.9],
    ]);
  });

  it('fuses each list’s top top_k, and reads deeper only when min_relevance may filter', () => {
    expect(fusionWindow(5)).toBe(5);
    expect(filteredDepth(5)).toBe(50);
    expect(filteredDepth(20)).toBe(80);
    expect(filteredDepth(50)).toBe(200);
  });
});
