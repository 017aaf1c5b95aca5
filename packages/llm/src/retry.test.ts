import { describe, expect, it } from 'vitest';
import { RetriesExhausted, retryAfterFromHeaders, withRetries } from './retry.js';

const retryable = (error: unknown) => (error as { status?: number }).status === 503;

describe('withRetries', () => {
  it('retries retryable failures and returns the first success', async () => {
    let calls = 0;
    const value = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('busy'), { status: 503 });
        return 'ok';
      },
      { maxRetries: 3, baseDelayMs: 1, isRetryable: retryable },
    );
    expect(value).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after maxRetries with the last error and the attempt count', async () => {
    let calls = 0;
    const error = await withRetries(
      async () => {
        calls++;
        throw Object.assign(new Error(`busy ${calls}`), { status: 503 });
      },
      { maxRetries: 2, baseDelayMs: 1, isRetryable: retryable },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect((error as RetriesExhausted).attempts).toBe(3);
    expect(((error as RetriesExhausted).lastError as Error).message).toBe('busy 3');
  });

  it('does not retry what is not retryable', async () => {
    let calls = 0;
    const failure = Object.assign(new Error('nope'), { status: 401 });
    await expect(
      withRetries(
        async () => {
          calls++;
          throw failure;
        },
        { maxRetries: 5, baseDelayMs: 1, isRetryable: retryable },
      ),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it('honours Retry-After and stops waiting when the signal fires', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    await expect(
      withRetries(
        async () => {
          throw Object.assign(new Error('busy'), { status: 503 });
        },
        { maxRetries: 3, signal: controller.signal, isRetryable: retryable, retryAfterMs: () => 10_000 },
      ),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('retryAfterFromHeaders', () => {
  const from = (headers: Record<string, string>) => retryAfterFromHeaders((name) => headers[name]);
  it('reads milliseconds, seconds and dates', () => {
    expect(from({ 'retry-after-ms': '250' })).toBe(250);
    expect(from({ 'retry-after': '2' })).toBe(2000);
    const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
    expect(from({ 'retry-after': inFiveSeconds })).toBeGreaterThan(3000);
    expect(from({})).toBeUndefined();
    expect(from({ 'retry-after': 'soon' })).toBeUndefined();
  });
});
