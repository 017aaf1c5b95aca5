/** The configured model, built, with a one-line account of what was chosen and why. */
import { type ModelConfig, readModelConfig } from './config.js';
import type { Env } from './env.js';
import { lazyModel } from './lazy-model.js';
import { displayUrl } from './redact.js';
import { type LanguageModel, LlmError, type ModelChoice } from './types.js';

export const NO_MODEL_DESCRIPTION = 'none: no model configured — set CHOIR_MODEL or an API key';

/**
 * Reads CHOIR_MODEL (or detects a provider from API keys and hosts) and builds the model.
 * `model` is null when nothing is configured; a configuration that cannot work throws
 * LlmError('config') rather than quietly choosing something else.
 */
export function resolveModel(env: Env = process.env): ModelChoice {
  const config = readModelConfig(env);
  if (!config) {
    const disabled = env['CHOIR_MODEL']?.trim();
    return {
      model: null,
      description: disabled ? `none: disabled by CHOIR_MODEL=${disabled}` : NO_MODEL_DESCRIPTION,
    };
  }
  return { model: buildModel(config), description: describeConfig(config) };
}

/** The description alone, without building anything; never throws. */
export function describeModel(env: Env = process.env): string {
  try {
    const config = readModelConfig(env);
    if (config) return describeConfig(config);
    const disabled = env['CHOIR_MODEL']?.trim();
    return disabled ? `none: disabled by CHOIR_MODEL=${disabled}` : NO_MODEL_DESCRIPTION;
  } catch (error) {
    if (error instanceof LlmError) return `invalid: ${error.message}`;
    throw error;
  }
}

export function buildModel(config: ModelConfig): LanguageModel {
  const settings = { timeoutMs: config.timeoutMs, maxRetries: config.maxRetries };
  switch (config.provider) {
    case 'openai-compatible':
      return lazyModel('openai-compatible', config.model, async () =>
        (await import('./openai-compatible-model.js')).createOpenAICompatibleModel({
          ...settings,
          model: config.model,
          baseURL: config.baseURL,
          ...(config.apiKey ? { apiKey: config.apiKey } : {}),
          ...(config.alias ? { label: config.alias } : {}),
          ...(config.keyEnv ? { keyEnv: config.keyEnv } : {}),
          ...(config.urlEnv ? { urlEnv: config.urlEnv } : {}),
        }),
      );
    case 'anthropic': {
      if (!config.apiKey) throw new LlmError('config', 'anthropic needs ANTHROPIC_API_KEY');
      const anthropicKey: string = config.apiKey;
      return lazyModel('anthropic', config.model, async () =>
        (await import('./anthropic-model.js')).createAnthropicModel({
          ...settings,
          model: config.model,
          apiKey: anthropicKey,
          baseURL: config.baseURL,
        }),
      );
    }
    case 'ollama':
      return lazyModel('ollama', config.model, async () =>
        (await import('./ollama-model.js')).createOllamaModel({
          ...settings,
          model: config.model,
          host: config.baseURL,
        }),
      );
    case 'langbase': {
      if (!config.apiKey) throw new LlmError('config', 'langbase needs LANGBASE_API_KEY');
      const langbaseKey: string = config.apiKey;
      return lazyModel('langbase', config.model, async () =>
        (await import('./langbase-model.js')).createLangbaseModel({
          ...settings,
          apiKey: langbaseKey,
          defaultPipe: config.model,
          pipes: config.pipes ?? {},
          baseURL: config.baseURL,
        }),
      );
    }
  }
}

/** e.g. `openai-compatible:llama-3.3-70b via groq (from CHOIR_MODEL)`, `ollama:llama3.2 at http://gpu:11434 (from OLLAMA_HOST)`. */
export function describeConfig(config: ModelConfig): string {
  const via = config.alias ? ` via ${config.alias}` : '';
  // Default endpoints go without saying; an override is worth seeing in `choir doctor`.
  const at = config.baseURLFrom ? ` at ${displayUrl(config.baseURL)}` : '';
  const pipes =
    config.pipes && Object.keys(config.pipes).length > 0
      ? ` (+${Object.keys(config.pipes).length} PIPE_* overrides)`
      : '';
  const what =
    config.provider === 'langbase'
      ? `langbase:${config.model}${pipes}`
      : `${config.provider}:${config.model}`;
  return `${what}${via}${at} (from ${config.source})`;
}
