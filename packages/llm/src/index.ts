export type { AnthropicModelOptions } from './anthropic-model.js';
export {
  type CallSettings,
  callSettings,
  DEFAULT_ANTHROPIC_BASE_URL,
  DEFAULT_ANTHROPIC_MODEL,
  DEFAULT_LANGBASE_BASE_URL,
  DEFAULT_LANGBASE_PIPE,
  DEFAULT_OLLAMA_MODEL,
  DEFAULT_OPENAI_MODEL,
  KNOWN_PROVIDERS,
  type ModelConfig,
  pipesFrom,
  readModelConfig,
} from './config.js';
export {
  createLazyProviderEmbedder,
  DEFAULT_MAX_RETRIES,
  DEFAULT_OLLAMA_HOST,
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  type ProviderEmbedderOptions,
  resolveEmbedder,
} from './embedders.js';
export type { Env } from './env.js';
export { createHashEmbedder, HASH_EMBEDDER_NAME, type HashEmbedderOptions } from './hash-embedder.js';
export type { LangbaseModelOptions } from './langbase-model.js';
export type { OllamaModelOptions } from './ollama-model.js';
export type { OpenAICompatibleModelOptions } from './openai-compatible-model.js';
export { lazyEmbedder, lazyModel } from './lazy-model.js';
export { redact } from './redact.js';
export {
  buildModel,
  describeConfig,
  describeModel,
  NO_MODEL_DESCRIPTION,
  resolveModel,
} from './resolve-model.js';
export {
  extractJson,
  generateStructured,
  jsonInstruction,
  type ParseOutcome,
  parseStructured,
  type StructuredResult,
} from './structured.js';
export { countChatTokens, countTokens, truncateToTokens } from './tokens.js';
export {
  type ChatMessage,
  type Embedder,
  type LanguageModel,
  LlmError,
  type LlmErrorKind,
  type ModelChoice,
  type ProviderName,
  type TextRequest,
  type TextResult,
  type TextStream,
  type TokenUsage,
} from './types.js';
