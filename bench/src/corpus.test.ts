import { describe, expect, it } from 'vitest';
import { corpus, createRng, keywordQueries, NOUNS } from './corpus.js';

describe('createRng (mulberry32)', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(c()).not.toBe(first[0]);
  });

  it('matches the reference mulberry32 (bryc) for seed 1', () => {
    const rng = createRng(1);
    expect(Math.floor(rng() * 2 ** 32)).toBe(2693262067);
    expect(Math.floor(rng() * 2 ** 32)).toBe(11749833);
  });

  it('stays in [0, 1)', () => {
    const rng = createRng(7);
    for (let i = 0; i < 10_000; i++) {
      const v = rng();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});

describe('corpus', () => {
  it('is the same texts for the same seed', () => {
    expect(corpus(5, 20)).toEqual(corpus(5, 20));
    expect(corpus(5, 20)).not.toEqual(corpus(6, 20));
  });

  it('makes distinct sentences that carry their index', () => {
    const texts = corpus(5, 2000);
    expect(new Set(texts).size).toBe(2000);
    expect(texts[1234]).toMatch(/\b1234\b/);
  });

  it('makes keyword queries from the nouns', () => {
    const queries = keywordQueries(5, 50);
    expect(queries).toHaveLength(50);
    for (const q of queries) expect(NOUNS).toContain(q);
  });
});
