/** A provider's embedding model through the AI SDK (loaded only when CHOIR_EMBEDDING names one). */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { type EmbeddingModel, embedMany } from 'ai';
import { createOllama } from 'ollama-ai-provider-v2';
import { deadline } from './deadline.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './defaults.js';
import type { ProviderEmbedderOptions } from './embedders.js';
import { aiSdkFacts, toLlmError } from './errors.js';
import { displayUrl } from './redact.js';
import { quietSdkWarnings } from './sdk-warnings.js';
import { type Embedder, LlmError } from './types.js';

export function createProviderEmbedder(options: ProviderEmbedderOptions): Embedder {
  const { provider, model: modelId, apiKey } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  let known = options.dimension ?? 0;
  quietSdkWarnings();

  const model: EmbeddingModel =
    provider === 'ollama'
      ? createOllama({ baseURL: `${options.baseURL.replace(/\/+$/, '')}/api` }).embedding(modelId)
      : createOpenAICompatible({
          name: 'openai-compatible',
          baseURL: options.baseURL,
          ...(apiKey ? { apiKey } : {}),
        }).embeddingModel(modelId);

  const context = {
    provider: `${provider} embeddings`,
    keyEnv: provider === 'ollama' ? undefined : 'OPENAI_API_KEY',
    urlEnv: provider === 'ollama' ? 'OLLAMA_HOST' : 'OPENAI_BASE_URL',
    baseURL: displayUrl(options.baseURL),
    secrets: [apiKey],
  };

  async function embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const limit = deadline(timeoutMs, signal);
    let embeddings: number[][];
    try {
      ({ embeddings } = await embedMany({ model, values: texts, maxRetries, abortSignal: limit.signal }));
    } catch (error) {
      throw toLlmError(error, { ...context, ...limit }, aiSdkFacts(error));
    }
    if (embeddings.length !== texts.length) {
      throw new LlmError(
        'bad_response',
        `${provider} returned ${embeddings.length} embeddings for ${texts.length} texts`,
      );
    }
    const vectors = embeddings.map((values) => Float32Array.from(values));
    for (const vector of vectors) {
      if (known === 0 && vector.length > 0) known = vector.length;
      if (vector.length !== known) {
        throw new LlmError(
          'bad_response',
          `${provider}:${modelId} returned a ${vector.length}-dimensional vector, expected ${known}` +
            (options.dimension ? ' (CHOIR_EMBEDDING_DIM)' : ''),
        );
      }
    }
    return vectors;
  }

  return {
    name: `${provider}:${modelId}`,
    get dimension() {
      return known;
    },
    embed,
    async ready(signal?: AbortSignal) {
      if (known === 0) await embed(['dimension probe'], signal);
    },
  };
}
