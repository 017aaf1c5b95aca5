import { describe, expect, it } from 'vitest';
import { buildFtsMatch, MAX_QUERY_TERMS, queryTerms } from './fts-query.js';

describe('FTS query building', () => {
  it('quotes every word and joins them with OR', () => {
    expect(buildFtsMatch('Vector search in libSQL')).toBe('"vector" OR "search" OR "libsql"');
  });

  it('neutralises FTS5 syntax in user text', () => {
    expect(buildFtsMatch('what is C++? "quoted" AND (NOT x*) NEAR/2 col:y ^z')).toBe(
      '"c" OR "quoted" OR "x" OR "near" OR "2" OR "col" OR "y" OR "z"',
    );
  });

  it('keeps stopwords only when nothing else is left', () => {
    expect(queryTerms('what is it')).toEqual(['what', 'is', 'it']);
    expect(queryTerms('what is the tide')).toEqual(['tide']);
  });

  it('lowercases, deduplicates and keeps any script', () => {
    expect(queryTerms('Café café CAFÉ Москва 東京')).toEqual(['café', 'москва', '東京']);
  });

  it('returns null when there is nothing to search for', () => {
    expect(buildFtsMatch('')).toBeNull();
    expect(buildFtsMatch('?!* ()"')).toBeNull();
  });

  it('caps the number of terms', () => {
    const words = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
    expect(queryTerms(words)).toHaveLength(MAX_QUERY_TERMS);
  });
});
