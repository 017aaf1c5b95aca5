/**
 * Values harvested from successful results, so later fuzz calls also hit things that exist:
 * ids, cursors, and any value under a key that some tool takes as input (an export's document
 * feeds the import, a session id feeds every session tool).
 */
import { isIdField } from './schema-arbitrary.js';

const MAX_PER_KIND = 30;
/** Values bigger than this (as JSON) are not worth replaying. */
const MAX_VALUE_CHARS = 200_000;

/** `prior_ids` → `prior_id`, `next_cursor` → `cursor`: the field a value can be passed back in. */
export function valueKind(key: string): string {
  if (key === 'next_cursor') return 'cursor';
  return key.endsWith('_ids') ? `${key.slice(0, -4)}_id` : key;
}

export class ValuePool {
  private readonly byKind = new Map<string, unknown[]>();
  private readonly seen = new Set<string>();

  add(key: string, value: unknown): void {
    const kind = valueKind(key);
    const json = JSON.stringify(value);
    if (json === undefined || json.length > MAX_VALUE_CHARS || this.seen.has(`${kind}\u0000${json}`)) return;
    const values = this.byKind.get(kind) ?? [];
    if (values.length >= MAX_PER_KIND) return;
    this.seen.add(`${kind}\u0000${json}`);
    values.push(value);
    this.byKind.set(kind, values);
  }

  /** Values for an input field: its own kind; an id field with none of its own gets any id. */
  forField(field: string): unknown[] {
    const kind = valueKind(field);
    const own = [...(this.byKind.get(kind) ?? [])];
    if (field === 'persona' || field === 'with') own.push(...(this.byKind.get('persona_id') ?? []));
    if (own.length > 0 || kind === 'cursor' || !isIdField(field)) return own;
    return [...this.byKind.entries()]
      .filter(([k]) => k !== 'cursor' && isIdField(k))
      .flatMap(([, values]) => values.filter((v) => typeof v === 'string'));
  }

  get size(): number {
    let n = 0;
    for (const values of this.byKind.values()) n += values.length;
    return n;
  }
}

/**
 * Walks a result and keeps the values worth feeding back: strings under id-like keys (elements
 * of id arrays one by one), cursors, and whole values under the keys in `inputFields`.
 */
export function collectValues(
  value: unknown,
  pool: ValuePool,
  inputFields: ReadonlySet<string>,
  key = '',
): void {
  if (key && inputFields.has(key) && !(Array.isArray(value) && isIdField(key))) pool.add(key, value);
  if (typeof value === 'string') {
    if (key && (isIdField(key) || key === 'next_cursor') && value.length > 0 && value.length < 500) {
      pool.add(key, value);
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectValues(item, pool, inputFields, key);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectValues(v, pool, inputFields, k);
  }
}
