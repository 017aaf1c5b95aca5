import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLangbaseModel } from '../src/langbase-model.js';
import { langbaseError, startFakeLangbase } from './fake-servers/langbase.js';
import type { Loopback } from './fake-servers/loopback.js';
import { providerContract, SECRET } from './provider-contract.js';

const make = (url: string, settings: { timeoutMs: number; maxRetries: number }) =>
  createLangbaseModel({
    ...settings,
    apiKey: SECRET,
    defaultPipe: 'choir-default',
    pipes: { linear: 'choir-linear', tree: 'choir-tree' },
    baseURL: url,
    retryBaseDelayMs: 5,
  });

providerContract({
  name: 'langbase',
  start: () => startFakeLangbase(),
  make,
  error: (status, message) => langbaseError(status, 'ERROR', message),
  malformed: { malformed: '{"completion": "Hel' },
  keyEnv: 'LANGBASE_API_KEY',
  expectedModel: 'openai:gpt-4o-mini',
});

describe('langbase request', () => {
  let server: Loopback;
  beforeAll(async () => {
    server = await startFakeLangbase();
  });
  afterAll(() => server.close());

  it('runs the default pipe with messages and variables', async () => {
    await make(server.url, { timeoutMs: 5000, maxRetries: 0 }).generateText({
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      variables: { topic: 'rivers', depth: '2' },
    });
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/v1/pipes/run');
    expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(request.body).toMatchObject({
      name: 'choir-default',
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      variables: [
        { name: 'topic', value: 'rivers' },
        { name: 'depth', value: '2' },
      ],
    });
  });

  it('picks the pipe by purpose, falling back to the default', async () => {
    const model = make(server.url, { timeoutMs: 5000, maxRetries: 0 });
    await model.generateText({ purpose: 'linear', messages: [{ role: 'user', content: 'a' }] });
    expect(server.requests.at(-1)!.body).toMatchObject({ name: 'choir-linear' });
    const stream = model.streamText({ purpose: 'TREE', messages: [{ role: 'user', content: 'b' }] });
    await stream.result;
    expect(server.requests.at(-1)!.body).toMatchObject({ name: 'choir-tree', stream: true });
    await model.generateText({ purpose: 'divergent', messages: [{ role: 'user', content: 'c' }] });
    expect(server.requests.at(-1)!.body).toMatchObject({ name: 'choir-default' });
  });

  it('names the missing pipe on a 404', async () => {
    server.script(langbaseError(404, 'NOT_FOUND', 'Pipe not found'));
    const model = make(server.url, { timeoutMs: 5000, maxRetries: 0 });
    await expect(
      model.generateText({ purpose: 'linear', messages: [{ role: 'user', content: 'a' }] }),
    ).rejects.toThrow(/choir-linear/);
  });
});
