/**
 * Token counting that stays linear in the text's length. @choir/llm's countTokens is exact but its
 * BPE is quadratic in the length of one pre-token: 90,000 identical letters take ~5 s, enough for one
 * append to stall the server. Texts with a very long unbroken run are therefore counted in pieces,
 * the run cut every PIECE characters; each cut adds at most a token or so, so the sum is a slight
 * overestimate — the safe side for a budget. Every other text is counted exactly.
 */
import { countTokens, truncateToTokens } from '@choir/llm';
import type { Tokenizer } from './context-packing.js';

/** Runs up to this long tokenize in a few milliseconds. */
export const LONG_RUN = 2000;
export const PIECE = 1000;
const LONG_RUN_PATTERN = new RegExp(`\\S{${LONG_RUN},}`);

/** The text cut into pieces no longer than PIECE inside long runs; joined, they give the text back. */
export function pieces(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    let end = i;
    while (end < text.length && !/\s/.test(text[end]!)) end++;
    if (end - i >= LONG_RUN) {
      if (i > start) out.push(text.slice(start, i));
      for (let p = i; p < end; p += PIECE) out.push(text.slice(p, Math.min(end, p + PIECE)));
      start = end;
    }
    i = end;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

export function countTokensBounded(text: string): number {
  if (!LONG_RUN_PATTERN.test(text)) return countTokens(text);
  return pieces(text).reduce((n, piece) => n + countTokens(piece), 0);
}

export function truncateToTokensBounded(text: string, maxTokens: number): string {
  if (!LONG_RUN_PATTERN.test(text)) return truncateToTokens(text, maxTokens);
  let kept = '';
  let used = 0;
  for (const piece of pieces(text)) {
    const n = countTokens(piece);
    if (used + n > maxTokens) return kept + truncateToTokens(piece, maxTokens - used);
    kept += piece;
    used += n;
  }
  return kept;
}

export const boundedTokenizer: Tokenizer = { count: countTokensBounded, truncate: truncateToTokensBounded };
