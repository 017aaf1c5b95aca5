/** When to restart a server that died: bounded exponential backoff, and when to give up. */

export interface BackoffPolicy {
  /** Delay before the first restart, ms. */
  baseMs: number;
  /** Each further restart waits this many times longer… */
  factor: number;
  /** …up to this, ms. */
  maxMs: number;
  /** Restarts allowed before the server is marked failed for the rest of the session. */
  maxRestarts: number;
  /** A server that stayed up this long has its restart count reset (it was a one-off crash). */
  stableAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 200,
  factor: 2,
  maxMs: 5_000,
  maxRestarts: 5,
  stableAfterMs: 60_000,
};

/**
 * Delay before restart number `attempt` (0-based), or null when the server should be given up.
 * No jitter: there is one host per server, so there is no thundering herd to spread out.
 */
export function restartDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number | null {
  if (attempt >= policy.maxRestarts) return null;
  return Math.min(policy.maxMs, Math.round(policy.baseMs * policy.factor ** attempt));
}

/** The restart count to use after a crash, given how long the server had been up. */
export function nextAttempt(
  previous: number,
  upForMs: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  return upForMs >= policy.stableAfterMs ? 0 : previous;
}
