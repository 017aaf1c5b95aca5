/** The one small interface every model provider and embedder in Choir speaks. */

export type ProviderName = 'openai-compatible' | 'anthropic' | 'ollama' | 'langbase';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface TextRequest {
  system?: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /**
   * What the text is for (e.g. a reasoning mode such as `linear` or `tree`). Langbase picks
   * the pipe by it (`PIPE_LINEAR`, …); other providers ignore it.
   */
  purpose?: string;
  /** Named variables for providers that template prompts server-side (Langbase pipes). */
  variables?: Record<string, string>;
  signal?: AbortSignal;
  /** Overrides the provider's default timeout (REQUEST_TIMEOUT_MS). */
  timeoutMs?: number;
}

export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
}

export interface TextResult {
  text: string;
  /** The model that answered, as the provider reports it. */
  model: string;
  usage?: TokenUsage;
  finishReason?: string;
}

export interface TextStream {
  /** Text deltas as they arrive. */
  textStream: AsyncIterable<string>;
  /** Settles when the stream ends, with the full text. */
  result: Promise<TextResult>;
}

export interface LanguageModel {
  readonly provider: ProviderName;
  readonly model: string;
  generateText(request: TextRequest): Promise<TextResult>;
  streamText(request: TextRequest): TextStream;
}

export interface Embedder {
  /** Stable identity of the embedding space, e.g. `choir-hash-v1` or `openai-compatible:text-embedding-3-small`. */
  readonly name: string;
  /**
   * Length of every vector. A provider embedder without `CHOIR_EMBEDDING_DIM` reports 0 until it
   * has seen one answer (its first `embed` or `ready()`); after that the value never changes.
   */
  readonly dimension: number;
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /**
   * Settles once `dimension` is known, asking the provider for one embedding if it must. Absent
   * on embedders that always know their dimension (the built-in one).
   */
  ready?(signal?: AbortSignal): Promise<void>;
}

/** Why a model call failed, in terms a caller can act on. Never carries an API key. */
export type LlmErrorKind =
  | 'auth' // 401/403: the key is missing, wrong or lacks access
  | 'rate_limited' // 429 after retries
  | 'server' // 5xx after retries
  | 'timeout'
  | 'cancelled'
  | 'bad_response' // malformed body, or output that failed validation after the repair attempt
  | 'unavailable' // connection refused, DNS, nothing listening
  | 'config'; // misconfiguration (unknown provider, missing model name)

export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** What `resolveModel` chose and why, for logs, `choir doctor` and the host's one-time notice. */
export interface ModelChoice {
  model: LanguageModel | null;
  /** e.g. `anthropic:claude-sonnet-4-5 (from ANTHROPIC_API_KEY)` or `none: no provider configured`. */
  description: string;
}
