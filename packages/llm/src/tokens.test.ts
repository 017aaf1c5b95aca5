import { describe, expect, it } from 'vitest';
import { countChatTokens, countTokens, LONG_RUN, PIECE, pieces, truncateToTokens } from './tokens.js';

describe('countTokens', () => {
  it('counts o200k tokens and nothing for empty text', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello')).toBe(1);
    expect(countTokens('hello world')).toBe(2);
  });

  it('gives the same answer from the cache as from the tokenizer', () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    const first = countTokens(text);
    expect(countTokens(text)).toBe(first);
    expect(first).toBeGreaterThan(5);
  });

  it('counts long texts (past the cache limit) too', () => {
    const long = 'word '.repeat(4000);
    expect(countTokens(long)).toBeGreaterThanOrEqual(3000);
  });

  it('treats special-token text as plain text instead of throwing', () => {
    expect(countTokens('before <|endoftext|> after')).toBeGreaterThan(3);
  });
});

describe('truncateToTokens', () => {
  it('keeps the beginning and respects the budget', () => {
    const text = 'one two three four five six seven eight nine ten';
    const cut = truncateToTokens(text, 4);
    expect(text.startsWith(cut)).toBe(true);
    expect(countTokens(cut)).toBeLessThanOrEqual(4);
    expect(cut.length).toBeGreaterThan(0);
  });

  it('returns short text unchanged and nothing for a zero budget', () => {
    expect(truncateToTokens('hello world', 10)).toBe('hello world');
    expect(truncateToTokens('hello world', 0)).toBe('');
  });

  it('never leaves half a character behind', () => {
    const text = '日本語のテキストを切り詰めるテスト🙂🙂🙂'.repeat(5);
    for (let n = 1; n < 30; n++) {
      const cut = truncateToTokens(text, n);
      expect(cut.includes('\uFFFD')).toBe(false);
      expect(text.startsWith(cut)).toBe(true);
      expect(countTokens(cut)).toBeLessThanOrEqual(n);
    }
  });
});

describe('countChatTokens', () => {
  it('adds per-message framing to the content tokens', () => {
    const messages = [
      { role: 'user' as const, content: 'hello' },
      { role: 'assistant' as const, content: 'hello world' },
    ];
    expect(countChatTokens(messages)).toBe(3 + (4 + 1) + (4 + 2));
    expect(countChatTokens(messages, 'hello')).toBe(3 + (4 + 1) + (4 + 1) + (4 + 2));
    expect(countChatTokens([])).toBe(3);
  });
});

describe('pathological input stays linear', () => {
  it('cuts only runs of at least LONG_RUN characters, into PIECE-sized pieces that rejoin to the text', () => {
    const text = `intro ${'x'.repeat(LONG_RUN + 500)} tail ${'y'.repeat(LONG_RUN - 1)}`;
    const parts = pieces(text);
    expect(parts.join('')).toBe(text);
    expect(parts.map((p) => p.length)).toEqual([6, PIECE, PIECE, 500, 6 + LONG_RUN - 1]);
  });

  // Exact counting takes ~5 s on this text; in pieces it takes milliseconds (not asserted: no timed tests).
  it('counts a long run piece by piece, erring slightly high, and truncates within budget', () => {
    const text = 'x'.repeat(90_000);
    expect(countTokens(text)).toBe(90 * countTokens('x'.repeat(PIECE)));
    const truncated = truncateToTokens(text, 1000);
    expect(text.startsWith(truncated)).toBe(true);
    expect(countTokens(truncated)).toBeLessThanOrEqual(1000);
    expect(truncated.length).toBeGreaterThan(7000);
  });
});
