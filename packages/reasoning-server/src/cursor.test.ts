import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from './cursor.js';

describe('cursor', () => {
  it('round-trips an offset', () => {
    expect(decodeCursor(encodeCursor(150))).toBe(150);
    expect(decodeCursor(undefined)).toBe(0);
  });
  it('rejects what it did not make', () => {
    expect(decodeCursor('nonsense')).toBeNull();
    expect(decodeCursor(Buffer.from('o:-3').toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from('o:12345678901').toString('base64url'))).toBeNull();
  });
  it('pages with one extra row as the look-ahead', () => {
    expect(pageOf([1, 2, 3], 0, 2)).toEqual({ items: [1, 2], next_cursor: encodeCursor(2) });
    expect(pageOf([1, 2], 0, 2)).toEqual({ items: [1, 2], next_cursor: null });
  });
});
