/**
 * Asking for text: MCP sampling when the client offers it, else the provider configured in
 * this server's environment, else MODEL_UNAVAILABLE so the tool can take its no-model path.
 * Never a silent fallback between them: the result says which one answered.
 */
import {
  generateStructured,
  type LanguageModel,
  LlmError,
  type TextRequest,
  type TextResult,
  type TokenUsage,
} from '@choir/llm';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode as RpcErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { ToolError } from './errors.js';
import type { Logger } from './logger.js';

export interface GenerateRequest<T = unknown> extends TextRequest {
  /** Validate the answer as JSON of this shape (one repair attempt, then an error). */
  schema?: z.ZodType<T>;
  /** Called with text as it arrives (provider streaming); sampling delivers it in one piece. */
  onDelta?: (text: string) => void;
}

export interface GenerateResult<T = unknown> {
  text: string;
  /** Present when a schema was given. */
  data: T;
  via: 'sampling' | 'provider';
  model: string;
  usage?: TokenUsage;
  latencyMs: number;
  /** True when the structured answer needed the repair attempt. */
  repaired: boolean;
}

export type Generate = <T = unknown>(request: GenerateRequest<T>) => Promise<GenerateResult<T>>;

export interface GeneratorOptions {
  /** The low-level MCP server, for sampling/createMessage. */
  server: Server;
  /** The provider from this server's environment, if any. */
  model: LanguageModel | null;
  logger: Logger;
  timeoutMs: number;
  maxRetries: number;
  /** Set false to ignore client sampling (e.g. CHOIR_SAMPLING=off). */
  useSampling?: boolean;
  /** Backoff base between sampling retries, ms. */
  retryBaseMs?: number;
}

export const NO_MODEL_HINT =
  'No model is available: the client does not offer MCP sampling and no provider is configured. ' +
  'Set CHOIR_MODEL=<provider>:<model> or ANTHROPIC_API_KEY / OPENAI_API_KEY / OLLAMA_HOST / LANGBASE_API_KEY.';

export function samplingAvailable(server: Server): boolean {
  return Boolean(server.getClientCapabilities()?.sampling);
}

export function createGenerator(options: GeneratorOptions): { generate: Generate; available(): boolean } {
  const useSampling = options.useSampling ?? true;
  const canSample = () => useSampling && samplingAvailable(options.server);

  async function textOnce(request: TextRequest, via: 'sampling' | 'provider'): Promise<TextResult> {
    if (via === 'sampling') return sampleWithRetries(options, request);
    return callProvider(options, request);
  }

  const generate: Generate = async <T>(request: GenerateRequest<T>): Promise<GenerateResult<T>> => {
    const via = canSample() ? 'sampling' : options.model ? 'provider' : null;
    if (!via)
      throw new ToolError('MODEL_UNAVAILABLE', 'no model is available to generate text', NO_MODEL_HINT);
    const started = performance.now();
    const request_: TextRequest = { ...request, timeoutMs: request.timeoutMs ?? options.timeoutMs };
    try {
      if (request.schema) {
        const { data, result, repaired } = await generateStructured(
          (r) => textOnce(r, via),
          request_,
          request.schema,
        );
        return { ...finish(result, via, started), data, repaired };
      }
      let result: TextResult;
      if (via === 'provider' && request.onDelta && options.model) {
        const stream = options.model.streamText(request_);
        for await (const delta of stream.textStream) request.onDelta(delta);
        result = await stream.result;
      } else {
        result = await textOnce(request_, via);
        if (request.onDelta && result.text) request.onDelta(result.text);
      }
      if (!result.text.trim()) {
        throw new ToolError('MODEL_UNAVAILABLE', `the model (${via}) returned an empty answer`);
      }
      return { ...finish(result, via, started), data: undefined as T, repaired: false };
    } catch (error) {
      // The SDK rejects a cancelled sampling request as a RequestTimeout: ask the signal first.
      if (request_.signal?.aborted) throw new ToolError('CANCELLED', 'the request was cancelled');
      throw toToolError(error, via, request_.timeoutMs ?? options.timeoutMs);
    }
  };
  return { generate, available: () => canSample() || options.model !== null };
}

function finish(result: TextResult, via: 'sampling' | 'provider', started: number) {
  return {
    text: result.text,
    via,
    model: result.model,
    usage: result.usage,
    latencyMs: Math.round(performance.now() - started),
  };
}

async function callProvider(options: GeneratorOptions, request: TextRequest): Promise<TextResult> {
  // The provider package applies REQUEST_TIMEOUT_MS and MAX_RETRIES itself.
  return options.model!.generateText(request);
}

async function sampleWithRetries(options: GeneratorOptions, request: TextRequest): Promise<TextResult> {
  const base = options.retryBaseMs ?? 250;
  for (let attempt = 0; ; attempt++) {
    try {
      return await sampleOnce(options.server, request);
    } catch (error) {
      const transient = error instanceof McpError && error.code === RpcErrorCode.InternalError;
      if (!transient || attempt >= options.maxRetries || request.signal?.aborted) throw error;
      const delay = base * 2 ** attempt * (0.5 + Math.random() / 2);
      options.logger.warn({ attempt, delay, err: (error as Error).message }, 'sampling failed; retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function sampleOnce(server: Server, request: TextRequest): Promise<TextResult> {
  const result = await server.createMessage(
    {
      messages: request.messages.map((m) => ({
        role: m.role,
        content: { type: 'text' as const, text: m.content },
      })),
      systemPrompt: request.system,
      maxTokens: request.maxTokens ?? 1024,
      temperature: request.temperature,
      includeContext: 'none',
      metadata: request.purpose ? { purpose: request.purpose } : undefined,
    },
    { signal: request.signal, timeout: request.timeoutMs },
  );
  const blocks = Array.isArray(result.content) ? result.content : [result.content];
  const text = blocks
    .filter((b): b is { type: 'text'; text: string } => (b as { type?: string }).type === 'text')
    .map((b) => b.text)
    .join('');
  return { text, model: result.model, finishReason: result.stopReason };
}

function toToolError(error: unknown, via: string, timeoutMs: number): Error {
  if (error instanceof ToolError) return error;
  if (error instanceof McpError) {
    if (error.code === RpcErrorCode.RequestTimeout) {
      return new ToolError('TIMEOUT', `the model (${via}) did not answer within ${timeoutMs} ms`);
    }
    return new ToolError('MODEL_UNAVAILABLE', `sampling failed: ${error.message}`);
  }
  if (error instanceof LlmError) {
    if (error.kind === 'timeout') {
      return new ToolError('TIMEOUT', `the model (${via}) did not answer within ${timeoutMs} ms`);
    }
    if (error.kind === 'cancelled') return new ToolError('CANCELLED', 'the request was cancelled');
    return new ToolError('MODEL_UNAVAILABLE', `${via}: ${error.message}`);
  }
  if ((error as Error)?.name === 'AbortError') return new ToolError('CANCELLED', 'the request was cancelled');
  return error as Error;
}
