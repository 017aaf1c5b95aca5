import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmError, resolveEmbedder } from '../src/index.js';
import { createProviderEmbedder } from '../src/provider-embedder.js';
import type { Loopback } from './fake-servers/loopback.js';
import { startFakeOllama } from './fake-servers/ollama.js';
import { fakeVector, openAIError, startFakeOpenAI } from './fake-servers/openai.js';
import { closedPort, SECRET } from './provider-contract.js';

describe('resolveEmbedder', () => {
  it('uses the built-in hash embedder by default and for "builtin"', () => {
    for (const env of [{}, { CHOIR_EMBEDDING: 'builtin' }, { CHOIR_EMBEDDING: '  ' }]) {
      const embedder = resolveEmbedder(env);
      expect(embedder.name).toBe('choir-hash-v1');
      expect(embedder.dimension).toBe(384);
      expect(embedder.ready).toBeUndefined();
    }
    expect(resolveEmbedder({ CHOIR_EMBEDDING_DIM: '128' }).dimension).toBe(128);
  });

  it('names provider embedders <provider>:<model>', () => {
    expect(resolveEmbedder({ CHOIR_EMBEDDING: 'openai-compatible:text-embedding-3-small' }).name).toBe(
      'openai-compatible:text-embedding-3-small',
    );
    expect(resolveEmbedder({ CHOIR_EMBEDDING: 'openai:text-embedding-3-small' }).name).toBe(
      'openai-compatible:text-embedding-3-small',
    );
    expect(resolveEmbedder({ CHOIR_EMBEDDING: 'ollama:nomic-embed-text:v1.5' }).name).toBe(
      'ollama:nomic-embed-text:v1.5',
    );
  });

  it('refuses unknown providers, missing models and bad dimensions', () => {
    expect(() => resolveEmbedder({ CHOIR_EMBEDDING: 'cohere:embed-v3' })).toThrow(LlmError);
    expect(() => resolveEmbedder({ CHOIR_EMBEDDING: 'ollama' })).toThrow(/needs a model/);
    expect(() => resolveEmbedder({ CHOIR_EMBEDDING: 'ollama:x', CHOIR_EMBEDDING_DIM: 'big' })).toThrow(
      /CHOIR_EMBEDDING_DIM/,
    );
  });
});

describe('openai-compatible embeddings over /v1/embeddings', () => {
  let server: Loopback;
  beforeAll(async () => {
    server = await startFakeOpenAI({ dimension: 8 });
  });
  afterAll(() => server.close());

  it('embeds a batch and learns the dimension from the answer', async () => {
    const embedder = resolveEmbedder({
      CHOIR_EMBEDDING: 'openai-compatible:fake-embed',
      OPENAI_BASE_URL: `${server.url}/v1`,
      OPENAI_API_KEY: SECRET,
    });
    expect(embedder.dimension).toBe(0);
    const vectors = await embedder.embed(['alpha', 'beta gamma']);
    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toBeInstanceOf(Float32Array);
    expect(Array.from(vectors[1]!)).toEqual(fakeVector('beta gamma', 8).map(Math.fround));
    expect(embedder.dimension).toBe(8);
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/v1/embeddings');
    expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(request.body).toMatchObject({ model: 'fake-embed', input: ['alpha', 'beta gamma'] });
  });

  it('makes the dimension known with ready()', async () => {
    const embedder = resolveEmbedder({
      CHOIR_EMBEDDING: 'openai-compatible:fake-embed',
      OPENAI_BASE_URL: `${server.url}/v1`,
    });
    await embedder.ready?.();
    expect(embedder.dimension).toBe(8);
  });

  it('checks answers against CHOIR_EMBEDDING_DIM', async () => {
    const embedder = resolveEmbedder({
      CHOIR_EMBEDDING: 'openai-compatible:fake-embed',
      CHOIR_EMBEDDING_DIM: '1536',
      OPENAI_BASE_URL: `${server.url}/v1`,
    });
    expect(embedder.dimension).toBe(1536);
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ kind: 'bad_response' });
  });

  it('does not call the server for an empty batch', async () => {
    const before = server.requests.length;
    const embedder = createProviderEmbedder({
      provider: 'openai-compatible',
      model: 'm',
      baseURL: `${server.url}/v1`,
    });
    expect(await embedder.embed([])).toEqual([]);
    expect(server.requests.length).toBe(before);
  });

  it('retries 429, reports 401 as auth without the key', async () => {
    const embedder = createProviderEmbedder({
      provider: 'openai-compatible',
      model: 'fake-embed',
      baseURL: `${server.url}/v1`,
      apiKey: SECRET,
      maxRetries: 2,
    });
    server.script(openAIError(429, 'slow down'));
    expect(await embedder.embed(['x'])).toHaveLength(1);
    server.script(openAIError(401, `Incorrect API key provided: ${SECRET}`));
    const error = await embedder.embed(['x']).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect((error as Error).message).toContain('OPENAI_API_KEY');
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('reports a malformed body and a hang', async () => {
    const embedder = createProviderEmbedder({
      provider: 'openai-compatible',
      model: 'fake-embed',
      baseURL: `${server.url}/v1`,
      timeoutMs: 200,
      maxRetries: 0,
    });
    server.script({ malformed: '{"data": [{"embedding": "nope"}]}' });
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ kind: 'bad_response' });
    server.script('hang');
    await expect(embedder.embed(['x'])).rejects.toMatchObject({ kind: 'timeout' });
  });
});

describe('ollama embeddings over /api/embed', () => {
  let server: Loopback;
  beforeAll(async () => {
    server = await startFakeOllama({ dimension: 6 });
  });
  afterAll(() => server.close());

  it('embeds through the native endpoint at OLLAMA_HOST', async () => {
    const embedder = resolveEmbedder({ CHOIR_EMBEDDING: 'ollama:nomic-embed-text', OLLAMA_HOST: server.url });
    const vectors = await embedder.embed(['one', 'two three']);
    expect(vectors.map((v) => v.length)).toEqual([6, 6]);
    expect(Array.from(vectors[0]!)).toEqual(fakeVector('one', 6).map(Math.fround));
    expect(embedder.dimension).toBe(6);
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/api/embed');
    expect(request.body).toMatchObject({ model: 'nomic-embed-text', input: ['one', 'two three'] });
  });

  it('accepts a host without a scheme', async () => {
    const embedder = resolveEmbedder({
      CHOIR_EMBEDDING: 'ollama:nomic-embed-text',
      OLLAMA_HOST: server.url.replace('http://', ''),
    });
    expect(await embedder.embed(['x'])).toHaveLength(1);
  });

  it('reports nothing listening as unavailable, naming OLLAMA_HOST', async () => {
    const port = await closedPort();
    const embedder = resolveEmbedder({
      CHOIR_EMBEDDING: 'ollama:nomic-embed-text',
      OLLAMA_HOST: `127.0.0.1:${port}`,
      MAX_RETRIES: '0',
    });
    const error = await embedder.embed(['x']).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect((error as Error).message).toContain('OLLAMA_HOST');
  });
});
