import { describe, expect, it } from 'vitest';
import { toFtsQuery } from './fts-query.js';

describe('toFtsQuery', () => {
  it('quotes each word and joins them', () => {
    expect(toFtsQuery('Cache invalidation')).toBe('"cache" AND "invalidation"');
    expect(toFtsQuery('cache invalidation', 'any')).toBe('"cache" OR "invalidation"');
  });
  it('neutralises FTS5 syntax', () => {
    expect(toFtsQuery('NEAR(a b) OR "x* -y')).toBe('"near" AND "a" AND "b" AND "or" AND "x" AND "y"');
  });
  it('keeps non-Latin words and drops duplicates', () => {
    expect(toFtsQuery('größe Größe 東京')).toBe('"größe" AND "東京"');
  });
  it('is null without words', () => {
    expect(toFtsQuery(' -- !! ')).toBeNull();
  });
});
