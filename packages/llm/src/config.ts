/**
 * Which provider and model the environment asks for, as plain data. Building the model from it
 * is resolve-model.ts's job; keeping the two apart lets the choice be tested and described
 * without any SDK in the way.
 */
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_OLLAMA_HOST,
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_TIMEOUT_MS,
} from './defaults.js';
import { type Env, envInt, envString, normaliseHost } from './env.js';
import { type ProviderName, LlmError } from './types.js';

export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-4-5';
export const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
export const DEFAULT_OLLAMA_MODEL = 'llama3.2';
export const DEFAULT_LANGBASE_PIPE = 'choir';
export const DEFAULT_ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';
export const DEFAULT_LANGBASE_BASE_URL = 'https://api.langbase.com';

/** Settings every provider takes. */
export interface CallSettings {
  timeoutMs: number;
  maxRetries: number;
}

export interface ModelConfig extends CallSettings {
  provider: ProviderName;
  /** For langbase, the default pipe. */
  model: string;
  /** The CHOIR_MODEL prefix when it was an alias (`groq`, `vllm`, …). */
  alias?: string;
  baseURL: string;
  /** The env var that overrode the provider's default base URL, if one did. */
  baseURLFrom?: string;
  apiKey?: string;
  /** Env vars to name in error messages. */
  keyEnv?: string;
  urlEnv?: string;
  /** What made us choose this: `CHOIR_MODEL` or the env var that was detected. */
  source: string;
  /** Langbase only: pipe per request purpose, from PIPE_<PURPOSE>. */
  pipes?: Record<string, string>;
}

interface OpenAICompatibleFlavour {
  baseURL: string;
  urlEnv: string;
  keyEnv: string;
  /** Hosted services refuse anonymous calls: fail at startup rather than on the first request. */
  keyRequired: boolean;
}

/**
 * OpenAI-compatible servers by their CHOIR_MODEL prefix. Each reads its own key variable: an
 * OpenAI key is never sent to Groq or OpenRouter because a CHOIR_MODEL prefix changed.
 */
const OPENAI_COMPATIBLE: Record<string, OpenAICompatibleFlavour> = {
  openai: {
    baseURL: DEFAULT_OPENAI_BASE_URL,
    urlEnv: 'OPENAI_BASE_URL',
    keyEnv: 'OPENAI_API_KEY',
    keyRequired: true,
  },
  'openai-compatible': {
    baseURL: DEFAULT_OPENAI_BASE_URL,
    urlEnv: 'OPENAI_BASE_URL',
    keyEnv: 'OPENAI_API_KEY',
    keyRequired: false,
  },
  groq: {
    baseURL: 'https://api.groq.com/openai/v1',
    urlEnv: 'GROQ_BASE_URL',
    keyEnv: 'GROQ_API_KEY',
    keyRequired: true,
  },
  openrouter: {
    baseURL: 'https://openrouter.ai/api/v1',
    urlEnv: 'OPENROUTER_BASE_URL',
    keyEnv: 'OPENROUTER_API_KEY',
    keyRequired: true,
  },
  lmstudio: {
    baseURL: 'http://127.0.0.1:1234/v1',
    urlEnv: 'LMSTUDIO_BASE_URL',
    keyEnv: 'LMSTUDIO_API_KEY',
    keyRequired: false,
  },
  vllm: {
    baseURL: 'http://127.0.0.1:8000/v1',
    urlEnv: 'VLLM_BASE_URL',
    keyEnv: 'VLLM_API_KEY',
    keyRequired: false,
  },
  llamacpp: {
    baseURL: 'http://127.0.0.1:8080/v1',
    urlEnv: 'LLAMACPP_BASE_URL',
    keyEnv: 'LLAMACPP_API_KEY',
    keyRequired: false,
  },
};

export const KNOWN_PROVIDERS = [...Object.keys(OPENAI_COMPATIBLE), 'anthropic', 'ollama', 'langbase'];

/** Values of CHOIR_MODEL that switch model use off, even with keys in the environment. */
const DISABLED = new Set(['none', 'off', 'disabled']);

export function callSettings(env: Env): CallSettings {
  return {
    timeoutMs: envInt(env, 'REQUEST_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 1),
    maxRetries: envInt(env, 'MAX_RETRIES', DEFAULT_MAX_RETRIES),
  };
}

/**
 * The model the environment asks for; null when none is configured or CHOIR_MODEL=none.
 * Throws LlmError('config') for a CHOIR_MODEL that cannot work (unknown provider, missing key).
 */
export function readModelConfig(env: Env = process.env): ModelConfig | null {
  const choice = envString(env, 'CHOIR_MODEL');
  if (choice !== undefined) {
    if (DISABLED.has(choice.toLowerCase())) return null;
    // Split at the first colon only: Ollama tags (`llama3.2:3b`) and OpenRouter ids carry colons.
    const colon = choice.indexOf(':');
    const prefix = (colon === -1 ? choice : choice.slice(0, colon)).trim().toLowerCase();
    const model = colon === -1 ? undefined : choice.slice(colon + 1).trim() || undefined;
    return configFor(prefix, model, env, 'CHOIR_MODEL');
  }
  if (envString(env, 'ANTHROPIC_API_KEY')) return configFor('anthropic', undefined, env, 'ANTHROPIC_API_KEY');
  if (envString(env, 'OPENAI_API_KEY'))
    return configFor('openai-compatible', undefined, env, 'OPENAI_API_KEY');
  // A local OpenAI-compatible server (vLLM, LM Studio, Ollama's /v1) often needs no key.
  if (envString(env, 'OPENAI_BASE_URL'))
    return configFor('openai-compatible', undefined, env, 'OPENAI_BASE_URL');
  if (envString(env, 'OLLAMA_HOST')) return configFor('ollama', undefined, env, 'OLLAMA_HOST');
  if (envString(env, 'LANGBASE_API_KEY')) return configFor('langbase', undefined, env, 'LANGBASE_API_KEY');
  return null;
}

function configFor(prefix: string, model: string | undefined, env: Env, source: string): ModelConfig {
  const settings = callSettings(env);
  const flavour = OPENAI_COMPATIBLE[prefix];
  if (flavour) {
    const generic = prefix === 'openai' || prefix === 'openai-compatible';
    if (!generic && !model)
      throw new LlmError('config', `CHOIR_MODEL=${prefix} needs a model: ${prefix}:<model>`);
    const apiKey = envString(env, flavour.keyEnv);
    const overridden = envString(env, flavour.urlEnv);
    const baseURL = overridden ?? flavour.baseURL;
    if (!apiKey && flavour.keyRequired && baseURL === flavour.baseURL) {
      throw new LlmError('config', `CHOIR_MODEL=${prefix}:… needs ${flavour.keyEnv}`);
    }
    return {
      ...settings,
      provider: 'openai-compatible',
      model: model ?? envString(env, 'OPENAI_MODEL') ?? DEFAULT_OPENAI_MODEL,
      ...(prefix === 'openai-compatible' ? {} : { alias: prefix }),
      baseURL: baseURL.replace(/\/+$/, ''),
      ...(overridden ? { baseURLFrom: flavour.urlEnv } : {}),
      ...(apiKey ? { apiKey } : {}),
      keyEnv: flavour.keyEnv,
      urlEnv: flavour.urlEnv,
      source,
    };
  }
  switch (prefix) {
    case 'anthropic': {
      const apiKey = envString(env, 'ANTHROPIC_API_KEY');
      if (!apiKey) throw new LlmError('config', 'CHOIR_MODEL=anthropic:… needs ANTHROPIC_API_KEY');
      return {
        ...settings,
        provider: 'anthropic',
        model: model ?? envString(env, 'ANTHROPIC_MODEL') ?? DEFAULT_ANTHROPIC_MODEL,
        baseURL: anthropicBaseURL(envString(env, 'ANTHROPIC_BASE_URL')),
        ...(envString(env, 'ANTHROPIC_BASE_URL') ? { baseURLFrom: 'ANTHROPIC_BASE_URL' } : {}),
        apiKey,
        keyEnv: 'ANTHROPIC_API_KEY',
        urlEnv: 'ANTHROPIC_BASE_URL',
        source,
      };
    }
    case 'ollama':
      return {
        ...settings,
        provider: 'ollama',
        model: model ?? envString(env, 'OLLAMA_MODEL') ?? DEFAULT_OLLAMA_MODEL,
        baseURL: normaliseHost(envString(env, 'OLLAMA_HOST') ?? DEFAULT_OLLAMA_HOST),
        ...(envString(env, 'OLLAMA_HOST') ? { baseURLFrom: 'OLLAMA_HOST' } : {}),
        urlEnv: 'OLLAMA_HOST',
        source,
      };
    case 'langbase': {
      const apiKey = envString(env, 'LANGBASE_API_KEY');
      if (!apiKey) throw new LlmError('config', 'CHOIR_MODEL=langbase:… needs LANGBASE_API_KEY');
      return {
        ...settings,
        provider: 'langbase',
        model: model ?? envString(env, 'LANGBASE_PIPE') ?? DEFAULT_LANGBASE_PIPE,
        baseURL: (envString(env, 'LANGBASE_BASE_URL') ?? DEFAULT_LANGBASE_BASE_URL).replace(/\/+$/, ''),
        ...(envString(env, 'LANGBASE_BASE_URL') ? { baseURLFrom: 'LANGBASE_BASE_URL' } : {}),
        apiKey,
        keyEnv: 'LANGBASE_API_KEY',
        urlEnv: 'LANGBASE_BASE_URL',
        source,
        pipes: pipesFrom(env),
      };
    }
    default:
      throw new LlmError(
        'config',
        `CHOIR_MODEL names an unknown provider "${prefix}"; use one of ${KNOWN_PROVIDERS.join(', ')}`,
      );
  }
}

/**
 * ANTHROPIC_BASE_URL follows Anthropic's own SDKs (the host, without `/v1`); the AI SDK wants
 * the `/v1` root, so add it unless it is already there.
 */
function anthropicBaseURL(raw: string | undefined): string {
  if (!raw) return DEFAULT_ANTHROPIC_BASE_URL;
  const trimmed = raw.replace(/\/+$/, '');
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

/** `PIPE_LINEAR=my-linear-pipe` → `{ linear: 'my-linear-pipe' }`. */
export function pipesFrom(env: Env): Record<string, string> {
  const pipes: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const pipe = value?.trim();
    if (name.startsWith('PIPE_') && name.length > 5 && pipe) pipes[name.slice(5).toLowerCase()] = pipe;
  }
  return pipes;
}
