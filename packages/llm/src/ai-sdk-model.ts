/**
 * The LanguageModel interface over any AI SDK provider model: the SDK does the HTTP, the wire
 * format, SSE parsing and retries with backoff (honouring Retry-After); this adds the timeout,
 * the error mapping and the TextStream shape. Used by the openai-compatible, anthropic and
 * ollama providers.
 */
import { generateText, type LanguageModel as SdkLanguageModel, type ModelMessage, streamText } from 'ai';
import type { CallSettings } from './config.js';
import { type Deadline, deadline } from './deadline.js';
import { aiSdkFacts, type ErrorContext, toLlmError } from './errors.js';
import { quietSdkWarnings } from './sdk-warnings.js';
import { createTextStream } from './text-stream.js';
import type {
  LanguageModel,
  ProviderName,
  TextRequest,
  TextResult,
  TextStream,
  TokenUsage,
} from './types.js';

export interface AiSdkModelOptions extends CallSettings {
  provider: ProviderName;
  model: string;
  sdkModel: SdkLanguageModel;
  /** How errors name the provider and where to look (no signals: those are per call). */
  errors: Omit<ErrorContext, 'callerSignal' | 'timeoutSignal' | 'timeoutMs' | 'maxRetries'>;
}

export function createAiSdkModel(options: AiSdkModelOptions): LanguageModel {
  const { provider, model, sdkModel, maxRetries } = options;
  quietSdkWarnings();

  const mapError = (error: unknown, limit: Deadline) =>
    toLlmError(error, { ...options.errors, ...limit, maxRetries }, aiSdkFacts(error));

  return {
    provider,
    model,

    async generateText(request: TextRequest): Promise<TextResult> {
      const limit = deadline(request.timeoutMs ?? options.timeoutMs, request.signal);
      try {
        const result = await generateText({
          model: sdkModel,
          ...callArguments(request),
          maxRetries,
          abortSignal: limit.signal,
        });
        return {
          text: result.text,
          model: result.response.modelId || model,
          usage: usageOf(result.usage),
          finishReason: result.finishReason,
        };
      } catch (error) {
        throw mapError(error, limit);
      } finally {
        limit.dispose();
      }
    },

    streamText(request: TextRequest): TextStream {
      const limit = deadline(request.timeoutMs ?? options.timeoutMs, request.signal);
      return createTextStream(
        async (emit) => {
          try {
            const stream = streamText({
              model: sdkModel,
              ...callArguments(request),
              maxRetries,
              abortSignal: limit.signal,
              // Errors arrive as stream parts and are rethrown below; without this the SDK
              // would also print them with console.error.
              onError: () => {},
            });
            let modelId = model;
            let usage: TokenUsage | undefined;
            let finishReason: string | undefined;
            for await (const part of stream.fullStream) {
              limit.refresh();
              switch (part.type) {
                case 'text-delta':
                  emit(part.text);
                  break;
                case 'finish-step':
                  if (part.response.modelId) modelId = part.response.modelId;
                  break;
                case 'finish':
                  usage = usageOf(part.totalUsage);
                  finishReason = part.finishReason;
                  break;
                case 'error':
                  throw part.error;
                case 'abort':
                  throw limit.signal.reason ?? new DOMException('aborted', 'AbortError');
              }
            }
            // Some SDK paths end the stream quietly on abort; an ended stream is not a finished one.
            if (limit.signal.aborted) throw limit.signal.reason;
            return { model: modelId, ...(usage ? { usage } : {}), ...(finishReason ? { finishReason } : {}) };
          } finally {
            limit.dispose();
          }
        },
        (error) => mapError(error, limit),
      );
    },
  };
}

function callArguments(request: TextRequest) {
  const messages: ModelMessage[] = request.messages.map((m) => ({ role: m.role, content: m.content }));
  return {
    messages,
    ...(request.system ? { system: request.system } : {}),
    ...(request.maxTokens !== undefined ? { maxOutputTokens: request.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
}

function usageOf(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined }): TokenUsage {
  return {
    ...(usage.inputTokens !== undefined ? { inputTokens: usage.inputTokens } : {}),
    ...(usage.outputTokens !== undefined ? { outputTokens: usage.outputTokens } : {}),
  };
}
