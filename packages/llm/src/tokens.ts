/**
 * Token counting with the o200k_base BPE (GPT-4o family). Other vendors tokenize differently,
 * so counts for Claude or Llama are estimates — close enough for budgeting context, not billing.
 */
import { createRequire } from 'node:module';
import type * as O200k from 'gpt-tokenizer/encoding/o200k_base';

// The o200k tables cost ~70 MB and half a second to load: load them on the first count, not at
// start-up (a server that never counts tokens never pays). require() keeps counting synchronous.
let tokenizer: typeof O200k | undefined;
function bpe(): typeof O200k {
  tokenizer ??= createRequire(import.meta.url)('gpt-tokenizer/cjs/encoding/o200k_base') as typeof O200k;
  return tokenizer;
}
const encode: typeof O200k.encode = (text, options) => bpe().encode(text, options);
const decode: typeof O200k.decode = (tokens) => bpe().decode(tokens);
import type { ChatMessage } from './types.js';

// User text may contain `<|endoftext|>` and friends; count them as the plain text they are
// instead of letting the tokenizer throw on "disallowed special tokens".
const PLAIN_TEXT = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

/** Short texts recur (titles, tags, repeated prompts), long ones rarely do and would bloat the cache. */
const CACHEABLE_CHARS = 8 * 1024;
const CACHE_ENTRIES = 2048;
const cache = new Map<string, number>();

/**
 * Per-message framing the chat formats add around content (role marker, separators), following
 * OpenAI's published accounting: about 3 tokens per message plus 3 priming the reply.
 */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_REPLY_PRIMING = 3;

function countExact(text: string): number {
  if (text.length === 0) return 0;
  if (text.length >= CACHEABLE_CHARS) return encode(text, PLAIN_TEXT).length;
  const hit = cache.get(text);
  if (hit !== undefined) {
    // Re-insert so Map order tracks recency: the first key is always the least recently used.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const count = encode(text, PLAIN_TEXT).length;
  cache.set(text, count);
  if (cache.size > CACHE_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return count;
}

function truncateExact(text: string, maxTokens: number): string {
  if (maxTokens <= 0 || text.length === 0) return '';
  // Each token covers at least one byte, so a text with no more UTF-8 bytes than the budget fits.
  if (Buffer.byteLength(text, 'utf8') <= maxTokens) return text;
  const tokens = encode(text, PLAIN_TEXT);
  if (tokens.length <= maxTokens) return text;
  const prefix = decode(tokens.slice(0, maxTokens));
  if (text.startsWith(prefix)) return prefix;
  // The cut fell inside a multi-byte character and the decoder substituted U+FFFD. Step back
  // through the original text from about the same length until a clean prefix fits.
  let end = Math.min(prefix.length, text.length);
  while (end > 0) {
    const code = text.charCodeAt(end - 1);
    const splitsPair = code >= 0xd800 && code <= 0xdbff;
    if (!splitsPair && encode(text.slice(0, end), PLAIN_TEXT).length <= maxTokens) break;
    end--;
  }
  return text.slice(0, end);
}

/*
 * The BPE is quadratic in the length of one pre-token: 90,000 identical letters take ~5 s, enough
 * to stall a server for one append. Texts with an unbroken run of LONG_RUN+ characters are
 * therefore handled in pieces, the run cut every PIECE characters; each cut adds at most a token
 * or so, so counts err slightly high — the safe side for a budget. Other texts are exact.
 */
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

/** Tokens in `text` (o200k); linear time even for pathological input. */
export function countTokens(text: string): number {
  if (!LONG_RUN_PATTERN.test(text)) return countExact(text);
  return pieces(text).reduce((n, piece) => n + countExact(piece), 0);
}

/** The longest prefix of `text` that fits in `maxTokens` tokens. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (!LONG_RUN_PATTERN.test(text)) return truncateExact(text, maxTokens);
  let kept = '';
  let used = 0;
  for (const piece of pieces(text)) {
    const n = countExact(piece);
    if (used + n > maxTokens) return kept + truncateExact(piece, maxTokens - used);
    kept += piece;
    used += n;
  }
  return kept;
}

/** Tokens a chat request will use, content plus the per-message framing. */
export function countChatTokens(messages: readonly ChatMessage[], system?: string): number {
  let total = TOKENS_REPLY_PRIMING;
  if (system) total += TOKENS_PER_MESSAGE + countTokens(system);
  for (const message of messages) total += TOKENS_PER_MESSAGE + countTokens(message.content);
  return total;
}
