/**
 * Which embedder to use, from `CHOIR_EMBEDDING`: the built-in hash embedder by default, or a
 * provider's embedding model through the AI SDK.
 *
 * A provider's vector length is not in its API, so it comes from `CHOIR_EMBEDDING_DIM` when set
 * (and every answer is checked against it) or is learned from the first answer: until then
 * `dimension` is 0, and `await embedder.ready?.()` makes it known up front.
 */
import {
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_OLLAMA_HOST,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
} from './defaults.js';
import { type Env, envInt, envString, normaliseHost } from './env.js';
import { createHashEmbedder } from './hash-embedder.js';
import { lazyEmbedder } from './lazy-model.js';
import { type Embedder, LlmError } from './types.js';

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
    return createLazyProviderEmbedder({
      ...common,
      provider: 'openai-compatible',
      baseURL: envString(env, 'OPENAI_BASE_URL') ?? DEFAULT_OPENAI_BASE_URL,
      ...(apiKey ? { apiKey } : {}),
    });
  }
  if (provider === 'ollama') {
    requireModel(setting, model);
    return createLazyProviderEmbedder({
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

export { DEFAULT_OPENAI_BASE_URL, DEFAULT_OLLAMA_HOST, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_RETRIES };

/** The provider embedder, its SDK loaded on first use. */
export function createLazyProviderEmbedder(options: ProviderEmbedderOptions): Embedder {
  return lazyEmbedder(`${options.provider}:${options.model}`, options.dimension ?? 0, async () =>
    (await import('./provider-embedder.js')).createProviderEmbedder(options),
  );
}
