import { describe, expect, it } from 'vitest';
import { decodeVector, embeddingCacheKey, encodeVector } from './embedding-cache.js';
import { formatExperienceId, parseExperienceId } from './ids.js';
import { previewOf } from './preview.js';
import { cosineSimilarity, roundScore, similarityFromDistance } from './similarity.js';

describe('experience ids', () => {
  it('round-trip and reject anything else', () => {
    expect(formatExperienceId(12)).toBe('exp_12');
    expect(parseExperienceId('exp_12')).toBe(12);
    for (const bad of ['exp_0', 'exp_012', 'exp_', 'exp_1a', 'EXP_1', ' exp_1', 'exp_99999999999999999']) {
      expect(parseExperienceId(bad)).toBeNull();
    }
  });
});

describe('previews', () => {
  it('leave short content alone', () => {
    expect(previewOf('short', 10)).toEqual({ text: 'short', truncated: false });
  });

  it('cut at a word boundary near the limit, with an ellipsis', () => {
    expect(previewOf('alpha beta gamma delta', 12)).toEqual({ text: 'alpha beta…', truncated: true });
    // No boundary in the last fifth: cut mid-word rather than lose most of the preview.
    expect(previewOf('alpha beta gamma delta', 15)).toEqual({ text: 'alpha beta gamm…', truncated: true });
    expect(previewOf('abcdefghijklmnopqrstuvwxyz', 10)).toEqual({ text: 'abcdefghij…', truncated: true });
  });

  it('never split a surrogate pair', () => {
    expect(previewOf('😀😀😀😀', 2)).toEqual({ text: '😀😀…', truncated: true });
  });
});

describe('similarity', () => {
  it('computes cosine similarity, 0 for an empty vector', () => {
    expect(cosineSimilarity([1, 0], [1, 0])).toBe(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(cosineSimilarity([0, 0], [1, 0])).toBe(0);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });

  it('turns libSQL cosine distance into similarity, NULL into 0', () => {
    expect(similarityFromDistance(0.25)).toBe(0.75);
    expect(similarityFromDistance(null)).toBe(0);
    expect(roundScore(0.1234567891)).toBe(0.123457);
  });
});

describe('embedding cache encoding', () => {
  it('is lossless and keyed by embedder, dimension and text', () => {
    const v = Float32Array.from([0.1, -2.5, 3e-8]);
    expect(decodeVector(encodeVector(v))).toEqual(v);
    expect(embeddingCacheKey('e', 3, 'hi')).not.toBe(embeddingCacheKey('e', 4, 'hi'));
    expect(embeddingCacheKey('e', 3, 'hi')).toMatch(/^embedding:e:3:[A-Za-z0-9_-]+$/);
  });
});
