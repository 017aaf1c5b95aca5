/**
 * Which embedder to use, from `CHOIR_EMBEDDING`: the built-in hash embedder by default, or a
 * provider's embedding model through the AI SDK.
 *
 * A provider's vector length is not in its API, so it comes from `CHOIR_EMBEDDING_DIM` when set
 * (and every answer is checked against it) or is learned from the first answer: until then
 * `dimension` is 0, and `await embedder.ready?.()` makes it known up front.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { type EmbeddingModel, embedMany } from 'ai';
import { createOllama } from 'ollama-ai-provider-v2';
import { deadline } from './deadline.js';
import { type Env, envInt, envString, normaliseHost } from './env.js';
import { aiSdkFacts, toLlmError } from './errors.js';
import { createHashEmbedder } from './hash-embedder.js';
import { displayUrl } from './redact.js';
import { quietSdkWarnings } from './sdk-warnings.js';
import { type Embedder, LlmError } from './types.js';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;

export interface ProviderEmbedderOptions {
  provider: 'openai-compatible' | 'ollama';
  model: string;
  /** For openai-compatible, the `/v1` root; for ollama, the host (`/api` is added). */
  baseURL: string;
  apiKey?: string;
  /** Known vector length; omit to learn it from the first answer. */
  dimension?: number;
  timeoutMs?: number;
  maxRetries?: number;
}

export function resolveEmbedder(env: Env = process.env): Embedder {
  const setting = envString(env, 'CHOIR_EMBEDDING') ?? 'builtin';
  const dimension = envString(env, 'CHOIR_EMBEDDING_DIM')
    ? envInt(env, 'CHOIR_EMBEDDING_DIM', 0, 2)
    : undefined;
  if (setting === 'builtin') return createHashEmbedder(dimension ? { dimension } : {});

  const colon = setting.indexOf(':');
  const provider = colon === -1 ? setting : setting.slice(0, colon);
  const model = colon === -1 ? '' : setting.slice(colon + 1).trim();
  const common = {
    model,
    timeoutMs: envInt(env, 'REQUEST_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 1),
    maxRetries: envInt(env, 'MAX_RETRIES', DEFAULT_MAX_RETRIES),
    ...(dimension ? { dimension } : {}),
  };
  if (provider === 'openai-compatible' || provider === 'openai') {
    requireModel(setting, model);
    const apiKey = envString(env, 'OPENAI_API_KEY');
    return createProviderEmbedder({
      ...common,
      provider: 'openai-compatible',
      baseURL: envString(env, 'OPENAI_BASE_URL') ?? DEFAULT_OPENAI_BASE_URL,
      ...(apiKey ? { apiKey } : {}),
    });
  }
  if (provider === 'ollama') {
    requireModel(setting, model);
    return createProviderEmbedder({
      ...common,
      provider: 'ollama',
      baseURL: normaliseHost(envString(env, 'OLLAMA_HOST') ?? DEFAULT_OLLAMA_HOST),
    });
  }
  throw new LlmError(
    'config',
    `CHOIR_EMBEDDING="${setting}" names an unknown embedder; use builtin, openai-compatible:<model> or ollama:<model>`,
  );
}

function requireModel(setting: string, model: string): void {
  if (!model) throw new LlmError('config', `CHOIR_EMBEDDING="${setting}" needs a model: <provider>:<model>`);
}

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
