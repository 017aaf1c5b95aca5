/** Input limits checked before any work, so an oversized argument cannot cost anything. */
import { ToolError } from './errors.js';

export interface InputLimits {
  /** Longest string, in characters. */
  maxStringLength: number;
  /** Longest array. */
  maxArrayLength: number;
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxStringLength: 100_000,
  maxArrayLength: 1_000,
  maxDepth: 16,
};

export function checkInputLimits(value: unknown, limits: InputLimits = DEFAULT_INPUT_LIMITS): void {
  walk(value, '', 0, limits);
}

function walk(value: unknown, path: string, depth: number, limits: InputLimits): void {
  const where = path || 'arguments';
  if (typeof value === 'string') {
    if (value.length > limits.maxStringLength) {
      throw new ToolError(
        'INVALID_INPUT',
        `${where}: string of ${value.length} characters exceeds the limit of ${limits.maxStringLength}`,
      );
    }
    // SQLite's text binding stops at U+0000 and UTF-8 cannot hold a lone surrogate: either would
    // be acknowledged and then read back different. Refuse them rather than store something else.
    if (value.includes('\u0000')) {
      throw new ToolError(
        'INVALID_INPUT',
        `${where}: contains a NUL character (U+0000), which cannot be stored`,
      );
    }
    if (!isWellFormed(value)) {
      throw new ToolError('INVALID_INPUT', `${where}: contains a lone surrogate (not valid Unicode text)`);
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth > limits.maxDepth) {
    throw new ToolError('INVALID_INPUT', `${where}: nested deeper than ${limits.maxDepth} levels`);
  }
  if (Array.isArray(value)) {
    if (value.length > limits.maxArrayLength) {
      throw new ToolError(
        'INVALID_INPUT',
        `${where}: array of ${value.length} items exceeds the limit of ${limits.maxArrayLength}`,
      );
    }
    value.forEach((item, i) => {
      walk(item, `${where}[${i}]`, depth + 1, limits);
    });
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    walk(item, path ? `${path}.${key}` : key, depth + 1, limits);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
