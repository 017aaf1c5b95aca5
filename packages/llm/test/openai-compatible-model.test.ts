import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAICompatibleModel } from '../src/openai-compatible-model.js';
import type { Loopback } from './fake-servers/loopback.js';
import { openAIError, startFakeOpenAI } from './fake-servers/openai.js';
import { providerContract, SECRET } from './provider-contract.js';

const make = (url: string, settings: { timeoutMs: number; maxRetries: number }) =>
  createOpenAICompatibleModel({ ...settings, model: 'fake-gpt', baseURL: `${url}/v1`, apiKey: SECRET });

providerContract({
  name: 'openai-compatible',
  start: () => startFakeOpenAI(),
  make,
  error: (status, message) => openAIError(status, message),
  malformed: { malformed: '{"id":"chatcmpl-fake","choices":[{"index":0,"message":' },
  keyEnv: 'OPENAI_API_KEY',
  expectedModel: 'fake-gpt',
});

describe('openai-compatible request', () => {
  let server: Loopback;
  beforeAll(async () => {
    server = await startFakeOpenAI();
  });
  afterAll(() => server.close());

  it('sends the chat in OpenAI form with the bearer key', async () => {
    await make(server.url, { timeoutMs: 5000, maxRetries: 0 }).generateText({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'Again' },
      ],
      maxTokens: 64,
      temperature: 0.5,
    });
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(request.body).toMatchObject({
      model: 'fake-gpt',
      max_tokens: 64,
      temperature: 0.5,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'Again' },
      ],
    });
  });

  it('reports usage from the final stream chunk', async () => {
    const stream = make(server.url, { timeoutMs: 5000, maxRetries: 0 }).streamText({
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const result = await stream.result;
    expect(result.usage).toEqual({ inputTokens: 11, outputTokens: 4 });
    expect(server.requests.at(-1)!.body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});
