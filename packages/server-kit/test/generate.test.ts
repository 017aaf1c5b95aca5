import { fileURLToPath } from 'node:url';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { createGenerator, createLogger } from '../src/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callTool, connectInMemory, openTestStore, samplingText, testDeps } from '../src/testing.js';
import { createKitServer, type KitDB, scriptedModel } from './kit-server.js';

const migrationsDir = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));

describe('generate(): sampling, then provider, then MODEL_UNAVAILABLE', () => {
  let store: Awaited<ReturnType<typeof openTestStore<KitDB>>>;
  beforeEach(async () => {
    store = await openTestStore<KitDB>('kit', migrationsDir);
  });
  afterEach(async () => {
    await store.close();
  });

  it('asks the client through sampling when the client offers it, even with a provider configured', async () => {
    const model = scriptedModel(['from provider']);
    const prompts: string[] = [];
    const client = await connectInMemory(createKitServer(testDeps(store, { model })), {
      sampling: async (params) => {
        const first = params.messages[0]?.content;
        prompts.push(first && 'text' in first ? String(first.text) : '');
        return samplingText('from sampling');
      },
    });
    const result = await callTool(client, 'kit_generate', { prompt: 'hello' });
    expect(result.data).toMatchObject({ text: 'from sampling', via: 'sampling' });
    expect(prompts).toEqual(['hello']);
    expect(model.requests).toHaveLength(0);
  });

  it('uses the provider when the client offers no sampling', async () => {
    const model = scriptedModel(['from provider']);
    const client = await connectInMemory(createKitServer(testDeps(store, { model })));
    const result = await callTool(client, 'kit_generate', { prompt: 'hello' });
    expect(result.data).toMatchObject({ text: 'from provider', via: 'provider' });
    expect(model.requests[0]?.purpose).toBe('test');
  });

  it('fails with MODEL_UNAVAILABLE and a hint when there is neither', async () => {
    const client = await connectInMemory(createKitServer(testDeps(store)));
    const result = await callTool(client, 'kit_generate', { prompt: 'hello' });
    expect(result).toMatchObject({ isError: true, code: 'MODEL_UNAVAILABLE' });
    expect(result.text).toContain('CHOIR_MODEL');
  });

  it('ignores client sampling when CHOIR_SAMPLING=off', async () => {
    const model = scriptedModel(['from provider']);
    const deps = testDeps(store, { model, env: { CHOIR_SAMPLING: 'off' } });
    const client = await connectInMemory(createKitServer(deps), { sampling: async () => samplingText('no') });
    expect((await callTool(client, 'kit_generate', { prompt: 'x' })).data).toMatchObject({ via: 'provider' });
  });

  it('validates structured output and makes exactly one repair attempt', async () => {
    const answers = ['the answer is forty-two', '{"answer": 42}'];
    let asked = 0;
    const client = await connectInMemory(createKitServer(testDeps(store)), {
      sampling: async () => {
        asked++;
        return samplingText(answers.shift() ?? '');
      },
    });
    const repaired = await callTool(client, 'kit_generate', { prompt: 'q', structured: true });
    expect(repaired.data).toMatchObject({ data: { answer: 42 }, repaired: true });
    expect(asked).toBe(2);

    answers.push('nope', '{"answer": "forty-two"}');
    asked = 0;
    const failed = await callTool(client, 'kit_generate', { prompt: 'q', structured: true });
    expect(failed).toMatchObject({ isError: true, code: 'MODEL_UNAVAILABLE' });
    expect(asked).toBe(2);
  });

  it('reports an empty answer instead of passing it on', async () => {
    const client = await connectInMemory(createKitServer(testDeps(store)), {
      sampling: async () => samplingText('  '),
    });
    const result = await callTool(client, 'kit_generate', { prompt: 'q' });
    expect(result).toMatchObject({ isError: true, code: 'MODEL_UNAVAILABLE' });
    expect(result.text).toContain('empty answer');
  });

  it('times out a sampling request after REQUEST_TIMEOUT_MS', async () => {
    const deps = testDeps(store, { env: { REQUEST_TIMEOUT_MS: '150' } });
    const client = await connectInMemory(createKitServer(deps), {
      sampling: () => new Promise(() => {}),
    });
    const result = await callTool(client, 'kit_generate', { prompt: 'q' });
    expect(result).toMatchObject({ isError: true, code: 'TIMEOUT' });
    expect(result.text).toContain('150 ms');
  });

  it('retries a transient sampling failure up to MAX_RETRIES', async () => {
    let attempts = 0;
    const deps = testDeps(store, { env: { MAX_RETRIES: '2' } });
    const client = await connectInMemory(createKitServer(deps), {
      sampling: async () => {
        attempts++;
        if (attempts < 3) throw new McpError(-32603, 'host model hiccup');
        return samplingText('third time lucky');
      },
    });
    const result = await callTool(client, 'kit_generate', { prompt: 'q' });
    expect(result.data).toMatchObject({ text: 'third time lucky' });
    expect(attempts).toBe(3);
  });
});

describe('generate() cancellation', () => {
  it('reports a cancelled sampling call as CANCELLED even though the SDK rejects it as a timeout', async () => {
    const controller = new AbortController();
    const fakeServer = {
      getClientCapabilities: () => ({ sampling: {} }),
      createMessage: async () => {
        controller.abort();
        throw new McpError(-32001, 'Request timed out');
      },
    } as unknown as Server;
    const { generate } = createGenerator({
      server: fakeServer,
      model: null,
      logger: createLogger('test', { LOG_LEVEL: 'silent' }),
      timeoutMs: 1000,
      maxRetries: 0,
    });
    await expect(
      generate({ messages: [{ role: 'user', content: 'q' }], signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
