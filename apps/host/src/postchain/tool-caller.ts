/** How the PostChain calls a tool: one outcome shape, never a throw, so every phase degrades the same way. */

export interface ToolFailure {
  /** A tool's own code (INVALID_INPUT, NOT_FOUND, MODEL_UNAVAILABLE, …) or the host's
   * (TIMEOUT, CANCELLED, SERVER_EXITED, SERVER_UNAVAILABLE, TOOL_UNAVAILABLE, CALL_FAILED, BAD_OUTPUT). */
  code: string;
  message: string;
  hint?: string;
}

export type ToolOutcome<T = Record<string, unknown>> =
  | { ok: true; data: T; text: string }
  | { ok: false; error: ToolFailure; text: string };

export interface CallToolOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Text deltas a tool sends as progress notifications (action_respond streams this way). */
  onProgressText?: (text: string) => void;
}

export interface ToolCaller {
  call<T = Record<string, unknown>>(
    tool: string,
    args: Record<string, unknown>,
    options?: CallToolOptions,
  ): Promise<ToolOutcome<T>>;
}

/** Why a phase's signal fired: the reason object its AbortController was aborted with. */
export class AbortReason extends Error {
  override readonly name = 'AbortReason';
  constructor(
    readonly code: 'TIMEOUT' | 'CANCELLED',
    message: string,
  ) {
    super(message);
  }
}

export function failure<T>(code: string, message: string, hint?: string): ToolOutcome<T> {
  return { ok: false, error: { code, message, ...(hint ? { hint } : {}) }, text: `${code}: ${message}` };
}

/** The failure for a call whose signal fired. */
export function abortFailure<T>(signal: AbortSignal, tool: string): ToolOutcome<T> {
  const reason = signal.reason;
  if (reason instanceof AbortReason) return failure(reason.code, `${tool}: ${reason.message}`);
  return failure('CANCELLED', `${tool} was cancelled`);
}
