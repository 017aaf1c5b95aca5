import { describe, expect, it } from 'vitest';
import { extractKeywords, normaliseTags } from './keywords.js';

describe('keyword tags', () => {
  it('takes the most frequent content words, ties by first appearance', () => {
    const text =
      'The garden needs water. Tomatoes in the garden need more water than the peppers; peppers like sun.';
    // "needs" and "need" fold together (plural rule), so four words tie at two; order of appearance decides.
    expect(extractKeywords(text, 5)).toEqual(['garden', 'needs', 'water', 'peppers', 'tomatoes']);
  });

  it('folds a plural into the singular seen first', () => {
    expect(extractKeywords('cat food for cats and a cat bed', 2)).toEqual(['cat', 'food']);
    expect(extractKeywords('cats like a cat', 1)).toEqual(['cats']);
  });

  it('skips stopwords, short words, numbers and possessive s', () => {
    expect(extractKeywords("It is 2024 and Anna's AI is ok", 5)).toEqual(['anna']);
  });

  it('returns nothing for text without words', () => {
    expect(extractKeywords('!!! ??? 42')).toEqual([]);
  });
});

describe('tag normalisation', () => {
  it('lowercases, trims, hyphenates and deduplicates', () => {
    expect(normaliseTags([' Machine Learning ', 'machine-learning', 'SQL', ''])).toEqual([
      'machine-learning',
      'sql',
    ]);
  });

  it('caps length and count', () => {
    expect(normaliseTags(['x'.repeat(100)])[0]).toHaveLength(64);
    expect(normaliseTags(['a', 'b', 'c'], 2)).toEqual(['a', 'b']);
  });
});
