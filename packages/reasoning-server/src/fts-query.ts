/**
 * Turns what a person types into a safe FTS5 MATCH expression: every word becomes a quoted
 * term, so FTS5 operators and punctuation in the query cannot cause a syntax error.
 */

/** The quoted terms joined by AND (all words must occur) or OR (any); null when there are no words. */
export function toFtsQuery(query: string, match: 'all' | 'any' = 'all'): string | null {
  const words = query.match(/[\p{L}\p{N}_]+/gu) ?? [];
  const unique = [...new Set(words.map((w) => w.toLowerCase()))].slice(0, 32);
  if (unique.length === 0) return null;
  return unique.map((w) => `"${w}"`).join(match === 'all' ? ' AND ' : ' OR ');
}
