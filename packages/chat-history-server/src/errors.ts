/**
 * Refusals raised below the tool layer (store, formats), with the code the tool reports.
 * Kept free of MCP so the store and its tests need nothing but SQL.
 */
export type HistoryErrorCode = 'INVALID_INPUT' | 'NOT_FOUND' | 'CONFLICT';

export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  constructor(
    readonly code: HistoryErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
