/**
 * Retries with jittered exponential backoff, for SDKs that do not retry on their own (the
 * Langbase SDK). A server's Retry-After wins over our schedule when it is reasonable.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  maxRetries: number;
  signal?: AbortSignal;
  /** First delay; later ones double. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  isRetryable(error: unknown): boolean;
  /** What the server asked for, if it did. */
  retryAfterMs?(error: unknown): number | undefined;
}

/** Thrown when the attempts run out; `lastError` is what the final attempt threw. */
export class RetriesExhausted extends Error {
  override readonly name = 'RetriesExhausted';
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
  ) {
    super(`gave up after ${attempts} attempts`);
  }
}

/** Longest server-requested wait we honour; beyond this we would rather fail and say why. */
const MAX_RETRY_AFTER_MS = 60_000;

export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 8_000;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (options.signal?.aborted || !options.isRetryable(error)) throw error;
      if (n >= options.maxRetries) throw new RetriesExhausted(error, n + 1);
      const asked = options.retryAfterMs?.(error);
      // Full jitter on the upper half: clients that failed together do not retry together.
      const backoff = Math.min(max, base * 2 ** n) * (0.5 + Math.random() * 0.5);
      const wait = asked !== undefined && asked >= 0 && asked <= MAX_RETRY_AFTER_MS ? asked : backoff;
      await sleep(wait, undefined, options.signal ? { signal: options.signal } : {});
    }
  }
}

/** `retry-after-ms` (OpenAI-style) or `retry-after` in seconds or as an HTTP date. */
export function retryAfterFromHeaders(get: (name: string) => string | null | undefined): number | undefined {
  const ms = Number.parseFloat(get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return ms;
  const raw = get('retry-after');
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
