/** Ids are strings with a short prefix that says what they name (ses_, th_, br_, xr_, cp_, gn_, ge_). */
import { randomUUID } from 'node:crypto';

export type IdPrefix = 'ses' | 'th' | 'br' | 'xr' | 'cp' | 'gn' | 'ge';

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** JSON for a metadata column; undefined or an empty object stores NULL. */
export function metadataJson(value: Record<string, unknown> | undefined): string | null {
  if (!value) return null;
  const defined = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
  return Object.keys(defined).length ? JSON.stringify(defined) : null;
}

export function parseMetadata(text: string | null): Record<string, unknown> {
  if (!text) return {};
  return JSON.parse(text) as Record<string, unknown>;
}
