import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../src/anthropic-model.js';
import { anthropicError, startFakeAnthropic } from './fake-servers/anthropic.js';
import type { Loopback } from './fake-servers/loopback.js';
import { providerContract, SECRET } from './provider-contract.js';

const make = (url: string, settings: { timeoutMs: number; maxRetries: number }) =>
  createAnthropicModel({ ...settings, model: 'claude-fake', baseURL: `${url}/v1`, apiKey: SECRET });

const ERROR_TYPES: Record<number, string> = {
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

providerContract({
  name: 'anthropic',
  start: () => startFakeAnthropic(),
  make,
  error: (status, message) => anthropicError(status, ERROR_TYPES[status] ?? 'api_error', message),
  malformed: { malformed: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' },
  keyEnv: 'ANTHROPIC_API_KEY',
  expectedModel: 'claude-fake',
});

describe('anthropic request', () => {
  let server: Loopback;
  beforeAll(async () => {
    server = await startFakeAnthropic();
  });
  afterAll(() => server.close());

  it('sends a Messages API request with x-api-key and a top-level system', async () => {
    await make(server.url, { timeoutMs: 5000, maxRetries: 0 }).generateText({
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      maxTokens: 64,
    });
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(SECRET);
    expect(request.headers['anthropic-version']).toBeDefined();
    expect(request.body).toMatchObject({
      model: 'claude-fake',
      max_tokens: 64,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it('retries Anthropic overload (529)', async () => {
    const before = server.requests.length;
    server.script(anthropicError(529, 'overloaded_error', 'Overloaded'));
    const result = await make(server.url, { timeoutMs: 5000, maxRetries: 2 }).generateText({
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(result.text).toBe('Hello, world!');
    expect(server.requests.length - before).toBe(2);
  });
});
