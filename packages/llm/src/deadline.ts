/** One signal for an outgoing call: the caller's cancel and our timeout, told apart afterwards. */

export interface Deadline {
  /** Pass this to the SDK. */
  signal: AbortSignal;
  callerSignal?: AbortSignal;
  timeoutSignal: AbortSignal;
  timeoutMs: number;
}

export function deadline(timeoutMs: number, callerSignal?: AbortSignal): Deadline {
  const timeoutSignal = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeoutSignal]) : timeoutSignal;
  return { signal, timeoutSignal, timeoutMs, ...(callerSignal ? { callerSignal } : {}) };
}
