/**
 * The host's answer to a server's sampling/createMessage: its own model, streamed, with the
 * deltas shown to the user as they arrive. The provider layer already retried transient
 * failures, so a failure goes back as a non-retryable error carrying the provider's reason.
 */
import type { LanguageModel, LlmError } from '@choir/llm';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { DeltaRouter, UsageMeter } from '../postchain/driver.js';
import type { Logger } from '../logging/logger.js';
import type { SamplingHandler } from './managed-server.js';

/** JSON-RPC code for "the host's model failed": in the implementation range, and not InternalError,
 * which server-kit would retry on top of the provider's own retries. */
export const MODEL_FAILED_CODE = -32050;

type Block = { type: string; text?: string };

function textOf(content: Block | Block[]): string {
  const blocks = Array.isArray(content) ? content : [content];
  return blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text ?? '')
    .join('');
}

export function createSamplingHandler(
  model: LanguageModel,
  options: { deltas?: DeltaRouter; usage?: UsageMeter; logger: Logger },
): SamplingHandler {
  return async (params, { server, signal }) => {
    const started = performance.now();
    const rawPurpose = (params.metadata as { purpose?: unknown } | undefined)?.purpose;
    const purpose = typeof rawPurpose === 'string' ? rawPurpose : undefined;
    try {
      const stream = model.streamText({
        ...(params.systemPrompt ? { system: params.systemPrompt } : {}),
        messages: params.messages.map((m) => ({
          role: m.role,
          content: textOf(m.content as Block | Block[]),
        })),
        maxTokens: params.maxTokens,
        ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
        ...(purpose ? { purpose } : {}),
        signal,
      });
      for await (const delta of stream.textStream) options.deltas?.push(delta);
      const result = await stream.result;
      options.usage?.add(result.usage, result.model);
      options.logger.info(
        {
          server,
          purpose,
          model: result.model,
          ms: Math.round(performance.now() - started),
          usage: result.usage,
        },
        'sampling answered',
      );
      return {
        role: 'assistant',
        model: result.model,
        content: { type: 'text', text: result.text },
        stopReason: result.finishReason === 'length' ? 'maxTokens' : 'endTurn',
      };
    } catch (error) {
      const message = (error as Error).message;
      options.logger.warn({ server, purpose, err: message }, 'sampling failed');
      // By name, not instanceof: this module does not load @choir/llm itself.
      if ((error as LlmError).name === 'LlmError' && (error as LlmError).kind === 'timeout') {
        throw new McpError(ErrorCode.RequestTimeout, `the host's model did not answer: ${message}`);
      }
      throw new McpError(MODEL_FAILED_CODE, `the host's model failed: ${message}`);
    }
  };
}
