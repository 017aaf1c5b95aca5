/**
 * Tags without a model: the message's most frequent content words. Plain and predictable —
 * it cannot find a topic the text does not name, and says so by never being `generated`.
 */
import { STOPWORDS } from './stopwords.js';

export const DEFAULT_KEYWORD_TAGS = 5;
/** Shorter words are mostly abbreviations and noise. */
const MIN_KEYWORD_LENGTH = 3;

/**
 * The `limit` most frequent words of 3+ letters that are not stopwords or bare numbers.
 * Ties go to the word that appears first. A trailing plural `s` is folded into the singular
 * when both forms appear, so "cat" and "cats" count together (under the form seen first).
 */
export function extractKeywords(text: string, limit: number = DEFAULT_KEYWORD_TAGS): string[] {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu);
  if (!words) return [];
  const counts = new Map<string, { count: number; first: number }>();
  words.forEach((raw, index) => {
    const word = raw.replace(/['’]s$/u, '');
    if (word.length < MIN_KEYWORD_LENGTH || STOPWORDS.has(word) || /^\p{N}+$/u.test(word)) return;
    const entry = counts.get(word);
    if (entry) entry.count++;
    else counts.set(word, { count: 1, first: index });
  });
  for (const [word, entry] of [...counts]) {
    if (!word.endsWith('s') || !counts.has(word)) continue;
    const singular = counts.get(word.slice(0, -1));
    if (!singular) continue;
    const keep = singular.first <= entry.first ? word.slice(0, -1) : word;
    const drop = keep === word ? word.slice(0, -1) : word;
    const kept = counts.get(keep)!;
    kept.count += counts.get(drop)!.count;
    kept.first = Math.min(kept.first, counts.get(drop)!.first);
    counts.delete(drop);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first)
    .slice(0, limit)
    .map(([word]) => word);
}

/** Tags as stored: lowercase, trimmed, inner whitespace as `-`, at most 64 characters, unique. */
export function normaliseTags(tags: readonly string[], limit = MAX_TAGS): string[] {
  const out: string[] = [];
  for (const tag of tags) {
    const clean = tag.normalize('NFKC').toLowerCase().trim().replace(/\s+/gu, '-').slice(0, MAX_TAG_LENGTH);
    if (clean && !out.includes(clean)) out.push(clean);
    if (out.length >= limit) break;
  }
  return out;
}

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 64;
