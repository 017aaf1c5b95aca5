/** Ollama's native chat API (`/api/chat`, NDJSON streaming). */
import { createOllama } from 'ollama-ai-provider-v2';
import { createAiSdkModel } from './ai-sdk-model.js';
import type { CallSettings } from './config.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_OLLAMA_HOST, DEFAULT_TIMEOUT_MS } from './embedders.js';
import { displayUrl } from './redact.js';
import type { LanguageModel } from './types.js';

export interface OllamaModelOptions extends Partial<CallSettings> {
  model: string;
  /** The Ollama host, e.g. `http://127.0.0.1:11434` (without `/api`). */
  host?: string;
}

export function createOllamaModel(options: OllamaModelOptions): LanguageModel {
  const host = (options.host ?? DEFAULT_OLLAMA_HOST).replace(/\/+$/, '');
  const provider = createOllama({ baseURL: `${host}/api` });
  return createAiSdkModel({
    provider: 'ollama',
    model: options.model,
    sdkModel: provider.chat(options.model),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    errors: { provider: 'ollama', urlEnv: 'OLLAMA_HOST', baseURL: displayUrl(host), secrets: [] },
  });
}
