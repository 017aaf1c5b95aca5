/** resolveModel's output, driven end to end from env vars against the loopback fakes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateStructured, resolveModel } from '../src/index.js';
import { anthropicError, startFakeAnthropic } from './fake-servers/anthropic.js';
import { langbaseError, startFakeLangbase } from './fake-servers/langbase.js';
import type { Loopback } from './fake-servers/loopback.js';
import { startFakeOllama } from './fake-servers/ollama.js';
import { openAIError, startFakeOpenAI } from './fake-servers/openai.js';
import { caught, SECRET } from './provider-contract.js';

describe('models built by resolveModel from the environment', () => {
  let openai: Loopback;
  let anthropic: Loopback;
  let ollama: Loopback;
  let langbase: Loopback;
  beforeAll(async () => {
    [openai, anthropic, ollama, langbase] = await Promise.all([
      startFakeOpenAI({ deltas: ['{"ok":', ' true}'] }),
      startFakeAnthropic(),
      startFakeOllama(),
      startFakeLangbase(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([openai.close(), anthropic.close(), ollama.close(), langbase.close()]);
  });

  it('openai-compatible from OPENAI_API_KEY + OPENAI_BASE_URL, usable for structured output', async () => {
    const { model, description } = resolveModel({
      OPENAI_API_KEY: SECRET,
      OPENAI_BASE_URL: `${openai.url}/v1`,
      OPENAI_MODEL: 'fake-gpt',
    });
    expect(description).toContain('openai-compatible:fake-gpt');
    const out = await generateStructured(
      (r) => model!.generateText(r),
      { messages: [{ role: 'user', content: 'ok?' }] },
      z.object({ ok: z.boolean() }),
    );
    expect(out.data).toEqual({ ok: true });
  });

  it('anthropic from ANTHROPIC_API_KEY + ANTHROPIC_BASE_URL (host without /v1)', async () => {
    const env = {
      ANTHROPIC_API_KEY: SECRET,
      ANTHROPIC_BASE_URL: anthropic.url,
      ANTHROPIC_MODEL: 'claude-fake',
    };
    const { model } = resolveModel(env);
    expect((await model!.generateText({ messages: [{ role: 'user', content: 'hi' }] })).text).toBe(
      'Hello, world!',
    );
    anthropic.script(anthropicError(401, 'authentication_error', `invalid x-api-key ${SECRET}`));
    const error = await caught(model!.generateText({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(error).toMatchObject({ kind: 'auth' });
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expect(error.message).not.toContain(SECRET);
  });

  it('ollama from CHOIR_MODEL + OLLAMA_HOST', async () => {
    const { model } = resolveModel({ CHOIR_MODEL: 'ollama:llama3.2', OLLAMA_HOST: ollama.url });
    const stream = model!.streamText({ messages: [{ role: 'user', content: 'hi' }] });
    expect((await stream.result).text).toBe('Hello, world!');
  });

  it('langbase from LANGBASE_API_KEY with PIPE_* and MAX_RETRIES', async () => {
    const { model } = resolveModel({
      LANGBASE_API_KEY: SECRET,
      LANGBASE_BASE_URL: langbase.url,
      LANGBASE_PIPE: 'default-pipe',
      PIPE_REFLECTION: 'reflect-pipe',
      MAX_RETRIES: '0',
    });
    await model!.generateText({ purpose: 'reflection', messages: [{ role: 'user', content: 'hi' }] });
    expect(langbase.requests.at(-1)!.body).toMatchObject({ name: 'reflect-pipe' });
    langbase.script(langbaseError(503, 'UNAVAILABLE', 'down'));
    await expect(model!.generateText({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      kind: 'server',
    });
  });

  it('REQUEST_TIMEOUT_MS applies to built models', async () => {
    const { model } = resolveModel({
      OPENAI_BASE_URL: `${openai.url}/v1`,
      REQUEST_TIMEOUT_MS: '200',
      MAX_RETRIES: '0',
    });
    openai.script('hang');
    await expect(model!.generateText({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      kind: 'timeout',
    });
    openai.script(openAIError(503, 'x'));
    await expect(model!.generateText({ messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      kind: 'server',
    });
  });
});
