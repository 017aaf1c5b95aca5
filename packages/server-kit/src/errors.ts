/** One error model for every Choir tool: a stable code, a clear message, an optional hint. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'MODEL_UNAVAILABLE',
  'STORAGE',
  'TIMEOUT',
  'CANCELLED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const invalidInput = (message: string, hint?: string) => new ToolError('INVALID_INPUT', message, hint);
export const notFound = (message: string, hint?: string) => new ToolError('NOT_FOUND', message, hint);
export const conflict = (message: string, hint?: string) => new ToolError('CONFLICT', message, hint);
export const modelUnavailable = (message: string, hint?: string) =>
  new ToolError('MODEL_UNAVAILABLE', message, hint);

/** The `_meta` key under which an error result carries its code, for programs. */
export const ERROR_META_KEY = 'choir/error';

export interface ToolErrorInfo {
  code: ErrorCode;
  message: string;
  hint?: string;
}

export function errorResult(info: ToolErrorInfo): CallToolResult {
  const text = `${info.code}: ${info.message}${info.hint ? `\nHint: ${info.hint}` : ''}`;
  // No structuredContent: a client validates it against the tool's outputSchema.
  return { isError: true, content: [{ type: 'text', text }], _meta: { [ERROR_META_KEY]: info } };
}

const STORAGE_CODES = /^(SQLITE_|LIBSQL_|TRANSACTION_|SERVER_ERROR|HRANA_)/;

/** Maps anything thrown by a tool to a known code. Unknown exceptions become INTERNAL. */
export function classifyError(error: unknown): ToolErrorInfo & { unexpected: boolean } {
  if (error instanceof ToolError) {
    return { code: error.code, message: error.message, hint: error.hint, unexpected: false };
  }
  const e = error as { name?: string; code?: unknown; message?: string } | undefined;
  if (e?.name === 'AbortError')
    return { code: 'CANCELLED', message: 'the request was cancelled', unexpected: false };
  if (typeof e?.code === 'string' && STORAGE_CODES.test(e.code)) {
    return {
      code: 'STORAGE',
      message: `storage error (${e.code}): ${firstLine(e.message)}`,
      unexpected: true,
    };
  }
  if (e?.name === 'LlmError') {
    const kind = (error as { kind?: string }).kind;
    const code: ErrorCode =
      kind === 'timeout' ? 'TIMEOUT' : kind === 'cancelled' ? 'CANCELLED' : 'MODEL_UNAVAILABLE';
    return { code, message: firstLine(e.message), unexpected: false };
  }
  return { code: 'INTERNAL', message: 'internal error; the server log has the details', unexpected: true };
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.slice(0, 300);
}
