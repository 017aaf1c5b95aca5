export {
  createProviderEmbedder,
  DEFAULT_MAX_RETRIES,
  DEFAULT_OLLAMA_HOST,
  DEFAULT_OPENAI_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  type ProviderEmbedderOptions,
  resolveEmbedder,
} from './embedders.js';
export type { Env } from './env.js';
export { createHashEmbedder, HASH_EMBEDDER_NAME, type HashEmbedderOptions } from './hash-embedder.js';
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
