import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('log cursors', () => {
  it('round-trips a row id', () => {
    expect(encodeCursor(42)).toBe('bG9nOjQy');
    expect(decodeCursor(encodeCursor(42))).toBe(42);
  });

  it('rejects anything else', () => {
    expect(decodeCursor('')).toBeNull();
    expect(decodeCursor('not a cursor!')).toBeNull();
    expect(decodeCursor(Buffer.from('log:0').toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from('log:-3').toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from('row:3').toString('base64url'))).toBeNull();
  });
});
