/** Asking the model while keeping its failures as values, so a tool can decide what they mean. */
import { type GenerateRequest, type GenerateResult, type ToolContext, ToolError } from '@choir/server-kit';

export interface ModelFailure {
  code: 'TIMEOUT' | 'MODEL_UNAVAILABLE';
  message: string;
}

export type ModelAttempt = { ok: true; result: GenerateResult } | { ok: false; failure: ModelFailure };

/**
 * A timeout or a failed / empty answer comes back as a failure; cancellation (server-kit's
 * generate reports it as CANCELLED) and anything unexpected still throw.
 */
export async function tryGenerate(ctx: ToolContext, request: GenerateRequest): Promise<ModelAttempt> {
  try {
    return { ok: true, result: await ctx.generate(request) };
  } catch (error) {
    if (error instanceof ToolError && (error.code === 'TIMEOUT' || error.code === 'MODEL_UNAVAILABLE')) {
      return { ok: false, failure: { code: error.code, message: error.message } };
    }
    throw error;
  }
}

export function describeFailure(failure: ModelFailure): string {
  return `${failure.code}: ${failure.message}`;
}

/** Usage in the snake_case the tool results use. */
export function usageOf(
  result: GenerateResult,
): { input_tokens?: number; output_tokens?: number } | undefined {
  if (!result.usage) return undefined;
  const usage: { input_tokens?: number; output_tokens?: number } = {};
  if (result.usage.inputTokens !== undefined) usage.input_tokens = result.usage.inputTokens;
  if (result.usage.outputTokens !== undefined) usage.output_tokens = result.usage.outputTokens;
  return usage;
}
