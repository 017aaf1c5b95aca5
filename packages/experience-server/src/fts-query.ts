/**
 * Turns any user text into a safe FTS5 MATCH expression. FTS5 gives meaning to quotes, `*`,
 * `:`, `^`, parentheses and the words AND/OR/NOT/NEAR; user text must never reach it raw, or a
 * question like `what is C++?` becomes a syntax error. Every word is quoted as a string, so it
 * matches only as a term, and the terms are joined with OR so BM25 ranks by how many match.
 */
import { STOPWORDS } from './stopwords.js';

/** More terms add little to BM25 ranking and cost time on every match. */
export const MAX_QUERY_TERMS = 32;

/** The words of a query, lowercased, deduplicated, stopwords dropped unless nothing else is left. */
export function queryTerms(text: string): string[] {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  if (!words) return [];
  const unique = [...new Set(words)];
  const content = unique.filter((w) => !STOPWORDS.has(w));
  return (content.length > 0 ? content : unique).slice(0, MAX_QUERY_TERMS);
}

/** The MATCH expression for a query, or null when the text has no words to search for. */
export function buildFtsMatch(text: string): string | null {
  const terms = queryTerms(text);
  if (terms.length === 0) return null;
  // Terms hold only letters and digits, so wrapping them in double quotes needs no escaping.
  return terms.map((term) => `"${term}"`).join(' OR ');
}
