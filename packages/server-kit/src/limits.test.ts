import { describe, expect, it } from 'vitest';
import { ToolError } from './errors.js';
import { checkInputLimits } from './limits.js';

const limits = { maxStringLength: 10, maxArrayLength: 3, maxDepth: 2 };

function refusal(value: unknown, within = limits): string {
  try {
    checkInputLimits(value, within);
  } catch (error) {
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).code).toBe('INVALID_INPUT');
    return (error as Error).message;
  }
  return 'accepted';
}

describe('checkInputLimits', () => {
  it('accepts values within every limit', () => {
    expect(refusal({ a: 'x'.repeat(10), b: [1, 2, 3], c: { d: 1 } })).toBe('accepted');
  });

  it('names the path of an oversized string', () => {
    expect(refusal({ outer: { content: 'x'.repeat(11) } })).toBe(
      'outer.content: string of 11 characters exceeds the limit of 10',
    );
  });

  it('names the path of an oversized array, inside arrays too', () => {
    expect(refusal({ events: [1, 2, 3, 4] })).toBe('events: array of 4 items exceeds the limit of 3');
    expect(refusal({ events: [{ tags: ['a', 'b', 'c', 'd'] }] }, { ...limits, maxDepth: 5 })).toBe(
      'events[0].tags: array of 4 items exceeds the limit of 3',
    );
  });

  it('refuses nesting deeper than the limit', () => {
    expect(refusal({ a: { b: { c: { d: 1 } } } })).toBe('a.b.c: nested deeper than 2 levels');
  });

  it('refuses text that could not be stored as sent: NUL and lone surrogates', () => {
    expect(refusal({ content: 'a\u0000b' })).toBe(
      'content: contains a NUL character (U+0000), which cannot be stored',
    );
    expect(refusal({ content: 'x\uD800y' })).toBe(
      'content: contains a lone surrogate (not valid Unicode text)',
    );
    expect(refusal({ content: 'x\uDC00' })).toBe(
      'content: contains a lone surrogate (not valid Unicode text)',
    );
    expect(refusal({ content: 'ok 😀 é' })).toBe('accepted');
  });
});
