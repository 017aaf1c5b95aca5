/**
 * Intention: what the user wants, as one reasoning step. The phase meaning lives here, in the
 * framing; reasoning_linear stays a general tool. Without a model the server records the
 * framing as given (generated: false), so there is no intent to pass on: `intent` is null.
 */
import type { IntentionOutput, PhaseContext, PhaseResult } from '../types.js';
import { PhaseFailure } from '../types.js';

export interface IntentionInput {
  message: string;
  firstAnswer?: string;
  /** The conversation's reasoning session, so every turn's steps form one chain. */
  sessionId?: string;
}

interface Linear {
  session_id?: string;
  thought_id?: string;
  thought?: string;
  confidence?: number;
  generated?: boolean;
}

export function intentionFraming(message: string): string {
  return [
    "Intention: what does the user want from this message? State the user's goal in one or two " +
      'sentences, and what a good answer must contain.',
    `User message: ${message}`,
  ].join('\n\n');
}

export async function runIntention(
  input: IntentionInput,
  ctx: PhaseContext,
): Promise<PhaseResult<IntentionOutput>> {
  const result = await ctx.call<Linear>('reasoning_linear', {
    content: intentionFraming(input.message),
    ...(input.sessionId ? { session_id: input.sessionId } : {}),
  });
  if (!result.ok) throw PhaseFailure.from(result.error, 'reasoning_linear');
  const generated = result.data.generated === true;
  const thought = result.data.thought?.trim() ?? '';
  const output: IntentionOutput = {
    ...(result.data.session_id ? { session_id: result.data.session_id } : {}),
    ...(result.data.thought_id ? { thought_id: result.data.thought_id } : {}),
    intent: generated && thought ? thought : null,
    ...(typeof result.data.confidence === 'number' ? { confidence: result.data.confidence } : {}),
    generated,
  };
  return {
    output,
    text: output.intent ?? 'recorded the question as a reasoning step (no model to interpret it)',
    generated,
  };
}
