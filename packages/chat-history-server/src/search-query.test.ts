import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';
import { toFtsQuery } from './search-query.js';

describe('toFtsQuery', () => {
  it('quotes every word and joins them with AND by default, OR for any', () => {
    expect(toFtsQuery('rust borrow checker')).toBe('"rust" AND "borrow" AND "checker"');
    expect(toFtsQuery('rust borrow', 'any')).toBe('"rust" OR "borrow"');
  });

  it('neutralises FTS5 syntax and punctuation', () => {
    expect(toFtsQuery('NEAR(a b) OR -c: "x')).toBe('"NEAR" AND "a" AND "b" AND "OR" AND "c" AND "x"');
    expect(toFtsQuery("what's up?")).toBe('"what" AND "s" AND "up"');
  });

  it('keeps quoted phrases and trailing-star prefixes', () => {
    expect(toFtsQuery('"event log" durab*')).toBe('"event log" AND "durab"*');
  });

  it('keeps letters of any script and returns null when nothing is searchable', () => {
    expect(toFtsQuery('café 東京')).toBe('"café" AND "東京"');
    expect(toFtsQuery(' ?! "" ')).toBeNull();
  });
});

describe('cursors', () => {
  const isPage = (v: unknown): v is { offset: number } =>
    typeof v === 'object' && v !== null && Number.isInteger((v as { offset?: unknown }).offset);

  it('round-trip and reject what they did not make', () => {
    expect(decodeCursor(encodeCursor({ offset: 20 }), isPage)).toEqual({ offset: 20 });
    expect(decodeCursor('not a cursor', isPage)).toBeNull();
    expect(decodeCursor(encodeCursor({ offset: 'x' }), isPage)).toBeNull();
  });
});
