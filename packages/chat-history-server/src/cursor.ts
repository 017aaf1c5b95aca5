/** Opaque pagination cursors: base64url JSON a client passes back unchanged. */

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The cursor's value if it decodes and `accept` recognises it; otherwise null. */
export function decodeCursor<T>(cursor: string, accept: (value: unknown) => value is T): T | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return accept(value) ? value : null;
  } catch {
    return null;
  }
}
