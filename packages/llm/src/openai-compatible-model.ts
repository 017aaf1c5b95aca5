/** OpenAI's chat completions API and everything that speaks it (Groq, OpenRouter, vLLM, …). */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createAiSdkModel } from './ai-sdk-model.js';
import type { CallSettings } from './config.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './embedders.js';
import { displayUrl } from './redact.js';
import type { LanguageModel } from './types.js';

export interface OpenAICompatibleModelOptions extends Partial<CallSettings> {
  model: string;
  /** The `/v1` root, e.g. `https://api.groq.com/openai/v1`. */
  baseURL: string;
  apiKey?: string;
  /** Shown in errors, e.g. `groq`. */
  label?: string;
  keyEnv?: string;
  urlEnv?: string;
}

export function createOpenAICompatibleModel(options: OpenAICompatibleModelOptions): LanguageModel {
  const provider = createOpenAICompatible({
    name: options.label ?? 'openai-compatible',
    baseURL: options.baseURL,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    // Ask for usage in the final stream chunk; servers that do not know the option ignore it.
    includeUsage: true,
  });
  return createAiSdkModel({
    provider: 'openai-compatible',
    model: options.model,
    sdkModel: provider.chatModel(options.model),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    errors: {
      provider: options.label && options.label !== 'openai-compatible' ? options.label : 'openai-compatible',
      keyEnv: options.keyEnv ?? 'OPENAI_API_KEY',
      urlEnv: options.urlEnv ?? 'OPENAI_BASE_URL',
      baseURL: displayUrl(options.baseURL),
      secrets: [options.apiKey],
    },
  });
}
