import { describe, expect, it } from 'vitest';
import { generationCacheKey, stableStringify } from './cache-key.js';

describe('stableStringify', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(stableStringify({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"x":0,"y":1}]},"b":1}',
    );
  });
});

describe('generationCacheKey', () => {
  it('depends on the mode and the input, not on key order', () => {
    const a = generationCacheKey('linear', { prompt: 'p', history: ['x'] });
    expect(a).toBe(generationCacheKey('linear', { history: ['x'], prompt: 'p' }));
    expect(a).not.toBe(generationCacheKey('tree', { prompt: 'p', history: ['x'] }));
    expect(a).not.toBe(generationCacheKey('linear', { prompt: 'p', history: ['y'] }));
    expect(a).toMatch(/^gen:linear:[0-9a-f]{64}$/);
  });
});
