/** Hybrid recall: reciprocal rank fusion of ranked id lists, and a safe FTS5 query from free text. */
import { wordsOf } from './words.js';

/** The usual constant from Cormack et al. (2009): damps the weight of the very top ranks. */
export const RRF_K = 60;

export interface FusedHit {
  id: string;
  score: number;
  /** 1-based rank in each input list, null where absent. */
  ranks: (number | null)[];
}

export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = RRF_K): FusedHit[] {
  const hits = new Map<string, FusedHit>();
  lists.forEach((list, listIndex) => {
    list.forEach((id, index) => {
      let hit = hits.get(id);
      if (!hit) {
        hit = { id, score: 0, ranks: lists.map(() => null) };
        hits.set(id, hit);
      }
      if (hit.ranks[listIndex] !== null) return; // a duplicate within one list counts once
      hit.ranks[listIndex] = index + 1;
      hit.score += 1 / (k + index + 1);
    });
  });
  const best = (h: FusedHit) => Math.min(...h.ranks.map((r) => r ?? Number.POSITIVE_INFINITY));
  return [...hits.values()].sort((a, b) => b.score - a.score || best(a) - best(b) || (a.id < b.id ? -1 : 1));
}

const MAX_QUERY_TERMS = 32;

/** Common English function words, left out of keyword queries (vectors still see them). */
export const STOPWORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have he her him his how i if in ' +
    'is it its me my no not of on or our she so than that the their them then there these they this to ' +
    'us was we were what when where which who why will with would you your'
  ).split(' '),
);

/**
 * An FTS5 MATCH expression that finds any of the text's words. Each word is quoted, so user
 * text can never be parsed as FTS5 syntax (AND, NEAR, column filters, stray quotes).
 * Null when the text has no words.
 */
export function ftsQuery(text: string): string | null {
  const words = [...new Set(wordsOf(text))];
  // Any shared "the" or "you" would make every memory a keyword match; keep them only when
  // the query has nothing else.
  const content = words.filter((w) => !STOPWORDS.has(w));
  const terms = (content.length > 0 ? content : words).slice(0, MAX_QUERY_TERMS);
  if (terms.length === 0) return null;
  return terms.map((t) => `"${t}"`).join(' OR ');
}
