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
