/**
 * The behaviour every LanguageModel must show against its provider's wire format: answers,
 * ordered stream deltas, retries on 429/5xx, and errors mapped to the right kind without
 * leaking the key. Each provider's test file runs this against its own fake server.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LanguageModel, LlmError, type LlmErrorKind } from '../src/index.js';
import type { Loopback, Scripted } from './fake-servers/loopback.js';

export const SECRET = 'sk-test-SECRET-0123456789abcdefXYZ';

export interface ContractOptions {
  name: string;
  start(): Promise<Loopback>;
  make(baseUrl: string, settings: { timeoutMs: number; maxRetries: number }): LanguageModel;
  /** The provider's error body for a status, as its servers send it. */
  error(status: number, message: string): Extract<Scripted, { status: number }>;
  /** A 200 body the provider's client cannot make sense of. */
  malformed: Extract<Scripted, { malformed: string }>;
  /** Env var an auth error should point at (undefined for keyless providers). */
  keyEnv?: string;
  expectedModel: string;
}

export async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const delta of stream) out.push(delta);
  return out;
}

export async function caught(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(LlmError);
    return error as LlmError;
  }
  throw new Error('expected the call to fail');
}

/** Everything about an error a person or a log could see. */
function everythingIn(error: LlmError): string {
  return [error.message, error.stack, JSON.stringify(error), String(error.cause ?? '')].join('\n');
}

/** A port with nothing listening (bound, read, closed). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function providerContract(options: ContractOptions): void {
  describe(`${options.name} against its wire format`, () => {
    let server: Loopback;
    const fast = { timeoutMs: 5_000, maxRetries: 2 };
    const patient = { timeoutMs: 15_000, maxRetries: 0 };
    const model = (settings = fast) => options.make(server.url, settings);
    const expectKind = async (promise: Promise<unknown>, kind: LlmErrorKind) => {
      const error = await caught(promise);
      expect({ kind: error.kind, message: error.message }).toMatchObject({ kind });
      return error;
    };

    beforeAll(async () => {
      server = await options.start();
    });
    afterAll(async () => {
      await server.close();
    });
    beforeEach(() => {
      server.reset();
    });

    it('answers a request', async () => {
      const result = await model().generateText({
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Say hello' }],
        maxTokens: 50,
        temperature: 0.2,
      });
      expect(result.text).toBe('Hello, world!');
      expect(result.model).toBe(options.expectedModel);
      expect(result.finishReason).toBe('stop');
      expect(result.usage?.outputTokens).toBe(4);
      expect(result.usage?.inputTokens).toBeGreaterThan(0);
    });

    it('streams deltas in order and settles with the whole text', async () => {
      const stream = model().streamText({ messages: [{ role: 'user', content: 'Say hello' }] });
      expect(await collect(stream.textStream)).toEqual(['Hello', ', ', 'world', '!']);
      const result = await stream.result;
      expect(result.text).toBe('Hello, world!');
      expect(result.model).toBe(options.expectedModel);
      expect(result.finishReason).toBe('stop');
    });

    it('settles `result` even when nobody reads the deltas', async () => {
      const stream = model().streamText({ messages: [{ role: 'user', content: 'Say hello' }] });
      expect((await stream.result).text).toBe('Hello, world!');
    });

    it('retries a 429 and then succeeds', async () => {
      const before = server.requests.length;
      server.script(options.error(429, 'slow down'));
      const result = await model().generateText({ messages: [{ role: 'user', content: 'hi' }] });
      expect(result.text).toBe('Hello, world!');
      expect(server.requests.length - before).toBe(2);
    });

    it('retries a 503 and then succeeds, streaming too', async () => {
      const before = server.requests.length;
      server.script(options.error(503, 'overloaded'));
      const stream = model().streamText({ messages: [{ role: 'user', content: 'hi' }] });
      expect((await collect(stream.textStream)).join('')).toBe('Hello, world!');
      expect(server.requests.length - before).toBe(2);
    });

    it('reports rate_limited once retries are spent', async () => {
      const before = server.requests.length;
      server.script(options.error(429, 'slow'), options.error(429, 'slow'), options.error(429, 'slow'));
      const error = await expectKind(
        model().generateText({ messages: [{ role: 'user', content: 'hi' }] }),
        'rate_limited',
      );
      expect(error.status).toBe(429);
      expect(server.requests.length - before).toBe(3);
    });

    it('reports server after repeated 5xx', async () => {
      server.script(options.error(500, 'boom'), options.error(502, 'boom'), options.error(503, 'boom'));
      const error = await expectKind(
        model().generateText({ messages: [{ role: 'user', content: 'hi' }] }),
        'server',
      );
      expect(error.status).toBe(503);
    });

    it('reports a 401 as auth, naming what to check and never the key', async () => {
      // Real providers echo part or all of the key back; none of it may get through.
      server.script(options.error(401, `Incorrect API key provided: ${SECRET}`));
      const error = await expectKind(
        model().generateText({ messages: [{ role: 'user', content: 'hi' }] }),
        'auth',
      );
      expect(error.status).toBe(401);
      if (options.keyEnv) expect(error.message).toContain(options.keyEnv);
      expect(everythingIn(error)).not.toContain(SECRET);
      expect(everythingIn(error)).not.toContain('0123456789abcdef');
    });

    it('reports a 401 on a stream as auth, from the deltas and from the result', async () => {
      server.script(options.error(401, `bad key ${SECRET}`));
      const stream = model().streamText({ messages: [{ role: 'user', content: 'hi' }] });
      const fromDeltas = await expectKind(collect(stream.textStream), 'auth');
      const fromResult = await expectKind(stream.result, 'auth');
      expect(fromResult).toBe(fromDeltas);
      expect(everythingIn(fromDeltas)).not.toContain(SECRET);
    });

    it('reports a 403 as auth', async () => {
      server.script(options.error(403, 'no access to this model'));
      await expectKind(model().generateText({ messages: [{ role: 'user', content: 'hi' }] }), 'auth');
    });

    it('honours the timeout when the server never answers', async () => {
      server.script('hang');
      const started = Date.now();
      const error = await expectKind(
        model({ timeoutMs: 10_000, maxRetries: 0 }).generateText({
          messages: [{ role: 'user', content: 'hi' }],
          timeoutMs: 250,
        }),
        'timeout',
      );
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(error.message).toContain('250');
    });

    it('honours REQUEST_TIMEOUT_MS (the model default) on streams', async () => {
      server.script('hang');
      const stream = model({ timeoutMs: 250, maxRetries: 0 }).streamText({
        messages: [{ role: 'user', content: 'hi' }],
      });
      await expectKind(stream.result, 'timeout');
    });

    it('reports a caller abort as cancelled', async () => {
      server.script('hang');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await expectKind(
        model().generateText({ messages: [{ role: 'user', content: 'hi' }], signal: controller.signal }),
        'cancelled',
      );
    });

    it('reports a caller abort of a stream as cancelled', async () => {
      server.script('hang');
      const controller = new AbortController();
      const stream = model().streamText({
        messages: [{ role: 'user', content: 'hi' }],
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 100);
      await expectKind(collect(stream.textStream), 'cancelled');
    });

    it('reports a malformed body as bad_response', async () => {
      server.script(options.malformed);
      // No retries and a generous deadline: this asserts the classification, not timing.
      await expectKind(
        model(patient).generateText({ messages: [{ role: 'user', content: 'hi' }] }),
        'bad_response',
      );
    });

    it('reports a 404 (unknown model or pipe) as config', async () => {
      server.script(options.error(404, 'model not found'));
      await expectKind(
        model(patient).generateText({ messages: [{ role: 'user', content: 'hi' }] }),
        'config',
      );
    });

    it('reports nothing listening as unavailable', async () => {
      const port = await closedPort();
      const dead = options.make(`http://127.0.0.1:${port}`, { timeoutMs: 5_000, maxRetries: 0 });
      await expectKind(dead.generateText({ messages: [{ role: 'user', content: 'hi' }] }), 'unavailable');
      await expectKind(
        dead.streamText({ messages: [{ role: 'user', content: 'hi' }] }).result,
        'unavailable',
      );
    });
  });
}
