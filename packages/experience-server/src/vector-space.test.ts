import { describe, expect, it } from 'vitest';
import { decideVectorSpace, parseVectorSpace, vectorIndexName, vectorTableName } from './vector-space.js';

const hash = { name: 'choir-hash-v1', dimension: 384 };
const stored = { embedder: 'choir-hash-v1', dimension: 384, generation: 3 };

describe('vector space decisions', () => {
  it('creates generation 1 on a fresh store', () => {
    expect(decideVectorSpace(null, hash, 0)).toEqual({
      action: 'create',
      space: { embedder: 'choir-hash-v1', dimension: 384, generation: 1 },
      drop: null,
    });
  });

  it('uses the stored space when embedder and dimension match', () => {
    expect(decideVectorSpace(stored, hash, 10)).toEqual({ action: 'use', space: stored });
  });

  it('refuses to mix embedders once experiences exist', () => {
    const other = { name: 'ollama:nomic-embed-text', dimension: 768 };
    expect(decideVectorSpace(stored, other, 1)).toEqual({ action: 'mismatch', stored, configured: other });
    expect(decideVectorSpace(stored, { name: 'choir-hash-v1', dimension: 256 }, 1).action).toBe('mismatch');
  });

  it('rebuilds an empty store for a new embedder', () => {
    const other = { name: 'ollama:nomic-embed-text', dimension: 768 };
    expect(decideVectorSpace(stored, other, 0)).toEqual({
      action: 'create',
      space: { embedder: 'ollama:nomic-embed-text', dimension: 768, generation: 4 },
      drop: stored,
    });
  });

  it('needs a known dimension', () => {
    expect(() => decideVectorSpace(null, { name: 'x', dimension: 0 }, 0)).toThrow(RangeError);
  });
});

describe('vector table names', () => {
  it('derive from the generation only', () => {
    expect(vectorTableName({ generation: 2 })).toBe('experience_vectors_2');
    expect(vectorIndexName({ generation: 2 })).toBe('experience_vectors_2_idx');
    expect(() => vectorTableName({ generation: 0 })).toThrow(RangeError);
    expect(() => vectorTableName({ generation: 1.5 })).toThrow(RangeError);
  });

  it('never trust a malformed state row', () => {
    expect(parseVectorSpace(undefined)).toBeNull();
    expect(parseVectorSpace(stored)).toEqual(stored);
    expect(() => parseVectorSpace({ embedder: 'x', dimension: 3, generation: '1; DROP TABLE x' })).toThrow(
      /malformed/,
    );
  });
});
