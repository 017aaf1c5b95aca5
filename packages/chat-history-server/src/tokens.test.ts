import { countTokens, truncateToTokens } from '@choir/llm';
import { describe, expect, it } from 'vitest';
import { countTokensBounded, LONG_RUN, PIECE, pieces, truncateToTokensBounded } from './tokens.js';

describe('bounded token counting', () => {
  it('is exact for ordinary text', () => {
    const text = 'The PostChain runs six phases. '.repeat(500);
    expect(countTokensBounded(text)).toBe(countTokens(text));
    expect(truncateToTokensBounded(text, 10)).toBe(truncateToTokens(text, 10));
  });

  it('cuts only runs of at least LONG_RUN characters, into PIECE-sized pieces that rejoin to the text', () => {
    const text = `intro ${'x'.repeat(LONG_RUN + 500)} tail ${'y'.repeat(LONG_RUN - 1)}`;
    const parts = pieces(text);
    expect(parts.join('')).toBe(text);
    expect(parts.map((p) => p.length)).toEqual([6, PIECE, PIECE, 500, 6 + LONG_RUN - 1]);
  });

  // Exact counting takes ~5 s on this text; in pieces it takes milliseconds (not asserted: no timed tests).
  it('counts a pathological run piece by piece, erring slightly high', () => {
    const text = 'x'.repeat(90_000);
    const n = countTokensBounded(text);
    const truncated = truncateToTokensBounded(text, 1000);
    expect(n).toBe(90 * countTokens('x'.repeat(PIECE)));
    expect(text.startsWith(truncated)).toBe(true);
    expect(countTokensBounded(truncated)).toBeLessThanOrEqual(1000);
    expect(truncated.length).toBeGreaterThan(7000);
  });
});
