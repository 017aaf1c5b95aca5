/**
 * Langbase Pipes through the `langbase` SDK. A pipe holds its own prompt, model and settings, so
 * `maxTokens` and `temperature` are the pipe's business and are not sent; the request's
 * `purpose` picks the pipe (`PIPE_<PURPOSE>`), its `variables` fill the pipe's template.
 *
 * The SDK (1.2.x) neither retries nor takes an AbortSignal: retries are ours (withRetries), and
 * on timeout or cancel we stop waiting and cancel the body we are reading.
 */
import {
  Langbase,
  type LangbaseOptions,
  type Message,
  type RunResponse,
  type RunResponseStream,
} from 'langbase';
import type { CallSettings } from './config.js';
import { type Deadline, deadline, raceAbort } from './deadline.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS } from './embedders.js';
import { type ErrorContext, type ErrorFacts, genericFacts, toLlmError } from './errors.js';
import { displayUrl } from './redact.js';
import { RetriesExhausted, retryAfterFromHeaders, withRetries } from './retry.js';
import { createTextStream } from './text-stream.js';
import { type LanguageModel, LlmError, type TextRequest, type TextResult, type TextStream } from './types.js';

export interface LangbaseModelOptions extends Partial<CallSettings> {
  apiKey: string;
  /** The pipe used when the request's purpose has none of its own. */
  defaultPipe: string;
  /** Pipe per purpose, keys lowercase (`{ linear: 'my-linear-pipe' }`); see pipesFrom. */
  pipes?: Record<string, string>;
  baseURL?: string;
  /** First retry delay (doubles, jittered). */
  retryBaseDelayMs?: number;
}

export function createLangbaseModel(options: LangbaseModelOptions): LanguageModel {
  const baseURL = options.baseURL ?? 'https://api.langbase.com';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  // The SDK's type lists only Langbase's two regions, but any base URL works at runtime; other
  // values are for proxies and for tests.
  const langbase = new Langbase({ apiKey: options.apiKey, baseUrl: baseURL as LangbaseOptions['baseUrl'] });
  const errors: ErrorContext = {
    provider: 'langbase',
    keyEnv: 'LANGBASE_API_KEY',
    urlEnv: 'LANGBASE_BASE_URL',
    baseURL: displayUrl(baseURL),
    secrets: [options.apiKey],
  };

  const pipeFor = (purpose: string | undefined): string => {
    const key = purpose?.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    return (key && options.pipes?.[key]) || options.defaultPipe;
  };

  const mapError = (error: unknown, limit: Deadline, pipe: string) => {
    const mapped = toLlmError(error, { ...errors, ...limit, maxRetries }, langbaseFacts(error));
    // A missing pipe is the usual 404: say which one and how to point elsewhere.
    if (mapped.status === 404) {
      return new LlmError(
        'config',
        `langbase has no pipe "${pipe}" (HTTP 404); create it or set LANGBASE_PIPE / PIPE_<PURPOSE>`,
        404,
      );
    }
    return mapped;
  };

  /** One call to pipes.run with retries on 429/5xx, bounded by the deadline. */
  const run = <T>(limit: Deadline, call: () => Promise<T>): Promise<T> =>
    withRetries(() => raceAbort(call(), limit.signal), {
      maxRetries,
      signal: limit.signal,
      ...(options.retryBaseDelayMs !== undefined ? { baseDelayMs: options.retryBaseDelayMs } : {}),
      isRetryable: (error) => {
        const status = statusOf(error);
        return status === 408 || status === 429 || (status !== undefined && status >= 500);
      },
      retryAfterMs: (error) => {
        const headers = (error as { headers?: unknown }).headers;
        return headers instanceof Headers ? retryAfterFromHeaders((name) => headers.get(name)) : undefined;
      },
    });

  return {
    provider: 'langbase',
    model: options.defaultPipe,

    async generateText(request: TextRequest): Promise<TextResult> {
      const pipe = pipeFor(request.purpose);
      const limit = deadline(request.timeoutMs ?? timeoutMs, request.signal);
      try {
        const response: RunResponse = await run(limit, () =>
          langbase.pipes.run({ name: pipe, stream: false, ...runArguments(request) }),
        );
        if (typeof response?.completion !== 'string') {
          throw new LlmError('bad_response', `langbase pipe "${pipe}" answered without a completion`);
        }
        const choice = response.choices?.[0];
        return {
          text: response.completion,
          model: response.model || pipe,
          ...(response.usage ? { usage: usageOf(response.usage) } : {}),
          ...(choice?.finish_reason ? { finishReason: choice.finish_reason } : {}),
        };
      } catch (error) {
        throw mapError(error, limit, pipe);
      } finally {
        limit.dispose();
      }
    },

    streamText(request: TextRequest): TextStream {
      const pipe = pipeFor(request.purpose);
      const limit = deadline(request.timeoutMs ?? timeoutMs, request.signal);
      return createTextStream(
        async (emit) => {
          try {
            const { stream }: RunResponseStream = await run(limit, () =>
              langbase.pipes.run({ name: pipe, stream: true, ...runArguments(request) }),
            );
            limit.refresh();
            let model = pipe;
            let finishReason: string | undefined;
            let usage: TextResult['usage'];
            for await (const chunk of readJsonLines(stream, limit)) {
              const choice = chunk.choices?.[0];
              if (typeof choice?.delta?.content === 'string') emit(choice.delta.content);
              if (choice?.finish_reason) finishReason = choice.finish_reason;
              if (chunk.model) model = chunk.model;
              if (chunk.usage) usage = usageOf(chunk.usage);
            }
            return { model, ...(usage ? { usage } : {}), ...(finishReason ? { finishReason } : {}) };
          } finally {
            limit.dispose();
          }
        },
        (error) => mapError(error, limit, pipe),
      );
    },
  };
}

function runArguments(request: TextRequest): {
  messages: Message[];
  variables?: { name: string; value: string }[];
} {
  const messages: Message[] = request.messages.map((m) => ({ role: m.role, content: m.content }));
  // The pipe's own system prompt stays; ours is added as a system message ahead of the chat.
  if (request.system) messages.unshift({ role: 'system', content: request.system });
  const variables = Object.entries(request.variables ?? {}).map(([name, value]) => ({ name, value }));
  return { messages, ...(variables.length > 0 ? { variables } : {}) };
}

/** The fields we read from a streamed chunk (OpenAI chat-completion-chunk shape). */
interface StreamChunk {
  model?: string;
  choices?: { delta?: { content?: unknown }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/**
 * The SDK hands back its parsed SSE events re-serialised one JSON value per line. Reads them,
 * refreshing the deadline on every chunk and cancelling the body when it fires.
 */
async function* readJsonLines(
  stream: ReadableStream<Uint8Array>,
  limit: Deadline,
): AsyncGenerator<StreamChunk> {
  const reader = stream.getReader();
  const cancel = () => {
    reader.cancel(limit.signal.reason).catch(() => {});
  };
  limit.signal.addEventListener('abort', cancel, { once: true });
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await raceAbort(reader.read(), limit.signal);
      if (done) break;
      limit.refresh();
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield JSON.parse(line) as StreamChunk;
        newline = buffer.indexOf('\n');
      }
    }
    const rest = (buffer + decoder.decode()).trim();
    if (rest) yield JSON.parse(rest) as StreamChunk;
  } finally {
    limit.signal.removeEventListener('abort', cancel);
    reader.releaseLock();
  }
}

function usageOf(usage: { prompt_tokens?: number; completion_tokens?: number }): TextResult['usage'] {
  return {
    ...(typeof usage.prompt_tokens === 'number' ? { inputTokens: usage.prompt_tokens } : {}),
    ...(typeof usage.completion_tokens === 'number' ? { outputTokens: usage.completion_tokens } : {}),
  };
}

/**
 * The SDK's APIError subclasses are not exported, and its constructor overwrites `status` with
 * the body's `status` field (undefined for 5xx without one); its message always starts with
 * the HTTP status, so fall back to that.
 */
function statusOf(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number') return status;
  if (error.constructor.name.endsWith('Error') && 'headers' in error) {
    const match = /^(\d{3}) /.exec(error.message);
    if (match) return Number(match[1]);
  }
  return undefined;
}

function langbaseFacts(error: unknown): ErrorFacts {
  let attempts: number | undefined;
  let current = error;
  if (current instanceof RetriesExhausted) {
    attempts = current.attempts;
    current = current.lastError;
  }
  const facts: ErrorFacts = { ...genericFacts(current), ...(attempts ? { attempts } : {}) };
  const status = statusOf(current);
  if (status !== undefined) facts.status = status;
  return facts;
}
