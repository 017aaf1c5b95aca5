/** Opaque pagination cursors: an offset into a stable ordering, encoded so clients do not build them. */

const PREFIX = 'o:';

export function encodeCursor(offset: number): string {
  return Buffer.from(`${PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** The offset a cursor names; undefined cursor is the first page; anything malformed is null. */
export function decodeCursor(cursor: string | undefined): number | null {
  if (cursor === undefined) return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return null;
  const digits = text.slice(PREFIX.length);
  if (!/^\d{1,9}$/.test(digits)) return null;
  return Number(digits);
}

/**
 * Splits a fetched page: callers fetch limit + 1 rows so they know whether another page exists
 * without counting the whole table.
 */
export function pageOf<T>(
  rows: T[],
  offset: number,
  limit: number,
): { items: T[]; next_cursor: string | null } {
  const more = rows.length > limit;
  return {
    items: more ? rows.slice(0, limit) : rows,
    next_cursor: more ? encodeCursor(offset + limit) : null,
  };
}
