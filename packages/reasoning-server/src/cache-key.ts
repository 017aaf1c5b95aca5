/** Cache keys for generated results: the mode plus everything the answer depends on, hashed. */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so {a,b} and {b,a} give the same key. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export function generationCacheKey(mode: string, input: unknown): string {
  const digest = createHash('sha256').update(stableStringify(input)).digest('hex');
  return `gen:${mode}:${digest}`;
}
