/**
 * One signal for an outgoing call, made of the caller's cancel and our timeout, which can be
 * told apart afterwards (`cancelled` and `timeout` call for different reactions). A stream
 * calls `refresh()` on every chunk, so its timeout bounds silence rather than total length.
 */

export interface Deadline {
  /** Pass this to the SDK. */
  signal: AbortSignal;
  callerSignal?: AbortSignal;
  timeoutSignal: AbortSignal;
  timeoutMs: number;
  /** Restart the clock (progress was made). */
  refresh(): void;
  /** Stop the clock; call when the work is over. */
  dispose(): void;
}

export function deadline(timeoutMs: number, callerSignal?: AbortSignal): Deadline {
  const timeout = new AbortController();
  const fire = () => timeout.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
  let timer = setTimeout(fire, timeoutMs);
  // A pending deadline alone must not keep a process alive.
  timer.unref();
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
  return {
    signal,
    timeoutSignal: timeout.signal,
    timeoutMs,
    ...(callerSignal ? { callerSignal } : {}),
    refresh() {
      if (signal.aborted) return;
      clearTimeout(timer);
      timer = setTimeout(fire, timeoutMs);
      timer.unref();
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

/**
 * Settles like `promise` unless `signal` fires first. For SDKs that take no AbortSignal (the
 * Langbase SDK): we stop waiting, the request itself runs on until its socket closes.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
