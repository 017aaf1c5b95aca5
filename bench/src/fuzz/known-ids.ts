/** Ids harvested from successful results, so later fuzz calls can also hit things that exist. */
import { isIdField } from './schema-arbitrary.js';

const MAX_PER_KIND = 50;

/** `prior_ids` → `prior_id`, `next_cursor` → `cursor`: the field an id can be passed back in. */
export function idKind(key: string): string {
  if (key === 'next_cursor') return 'cursor';
  return key.endsWith('_ids') ? `${key.slice(0, -4)}_id` : key;
}

/** Ids by kind, as seen in results; a field gets ids of its own kind, else any id but cursors. */
export class IdPool {
  private readonly byKind = new Map<string, Set<string>>();

  add(key: string, value: string): void {
    const kind = idKind(key);
    const set = this.byKind.get(kind) ?? new Set<string>();
    this.byKind.set(kind, set);
    if (set.size < MAX_PER_KIND) set.add(value);
  }

  forField(field: string): string[] {
    const kind = idKind(field);
    const own = [...(this.byKind.get(kind) ?? [])];
    if (field === 'persona' || field === 'with') own.push(...(this.byKind.get('persona_id') ?? []));
    if (own.length > 0 || kind === 'cursor') return own;
    return [...this.byKind.entries()].filter(([k]) => k !== 'cursor').flatMap(([, ids]) => [...ids]);
  }

  get size(): number {
    let n = 0;
    for (const set of this.byKind.values()) n += set.size;
    return n;
  }
}

/** Adds every string under an id-like key (or in an id-like array) of `value` to the pool. */
export function collectIds(value: unknown, pool: IdPool, key = ''): void {
  if (typeof value === 'string') {
    if (key && (isIdField(key) || key === 'next_cursor') && value.length > 0 && value.length < 500)
      pool.add(key, value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectIds(item, pool, key);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collectIds(v, pool, k);
  }
}
