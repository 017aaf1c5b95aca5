/** Opaque pagination cursors: base64url JSON, checked on the way back in. */
import { ToolError } from '@choir/server-kit';

export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string,
  check: (value: Record<string, unknown>) => value is T,
): T {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (value && typeof value === 'object' && check(value as Record<string, unknown>)) return value as T;
  } catch {
    // fall through to the error below
  }
  throw new ToolError(
    'INVALID_INPUT',
    'cursor is not one this server issued',
    'pass next_cursor exactly as returned',
  );
}
