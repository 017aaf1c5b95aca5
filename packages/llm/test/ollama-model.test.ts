import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOllamaModel } from '../src/ollama-model.js';
import type { Loopback } from './fake-servers/loopback.js';
import { ollamaError, startFakeOllama } from './fake-servers/ollama.js';
import { providerContract } from './provider-contract.js';

const make = (url: string, settings: { timeoutMs: number; maxRetries: number }) =>
  createOllamaModel({ ...settings, model: 'llama3.2', host: url });

providerContract({
  name: 'ollama',
  start: () => startFakeOllama(),
  make,
  error: (status, message) => ollamaError(status, message),
  malformed: { malformed: '{"model":"llama3.2","message":{"role":' },
  expectedModel: 'llama3.2',
});

describe('ollama request', () => {
  let server: Loopback;
  beforeAll(async () => {
    server = await startFakeOllama();
  });
  afterAll(() => server.close());

  it('talks to the native /api/chat endpoint', async () => {
    await make(server.url, { timeoutMs: 5000, maxRetries: 0 }).generateText({
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.1,
    });
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/api/chat');
    expect(request.body).toMatchObject({
      model: 'llama3.2',
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
  });
});
