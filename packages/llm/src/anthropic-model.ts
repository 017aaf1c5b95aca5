/** Anthropic's Messages API. */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createAiSdkModel } from './ai-sdk-model.js';
import { type CallSettings, DEFAULT_ANTHROPIC_BASE_URL } from './config.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './embedders.js';
import { displayUrl } from './redact.js';
import type { LanguageModel } from './types.js';

export interface AnthropicModelOptions extends Partial<CallSettings> {
  model: string;
  apiKey: string;
  /** The `/v1` root; defaults to Anthropic's. */
  baseURL?: string;
}

export function createAnthropicModel(options: AnthropicModelOptions): LanguageModel {
  const baseURL = options.baseURL ?? DEFAULT_ANTHROPIC_BASE_URL;
  // Explicit baseURL and apiKey, so the SDK never falls back to process.env behind our back.
  const provider = createAnthropic({ baseURL, apiKey: options.apiKey });
  return createAiSdkModel({
    provider: 'anthropic',
    model: options.model,
    sdkModel: provider.messages(options.model),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    errors: {
      provider: 'anthropic',
      keyEnv: 'ANTHROPIC_API_KEY',
      urlEnv: 'ANTHROPIC_BASE_URL',
      baseURL: displayUrl(baseURL),
      secrets: [options.apiKey],
    },
  });
}
