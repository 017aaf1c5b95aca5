/** Yield: the final answer, citing priors by id, and whether another cycle is needed. */
import { Citation, type Prior } from '@choir/contracts';
import { z } from 'zod';
import type {
  IntentionOutput,
  ObservationOutput,
  PhaseContext,
  PhaseResult,
  UnderstandingOutput,
  YieldOutput,
} from '../types.js';
import { PhaseFailure } from '../types.js';

export interface YieldInput {
  conversationId: string;
  message: string;
  firstAnswer?: string;
  priors: Prior[];
  intention?: IntentionOutput;
  observation?: ObservationOutput;
  understanding?: UnderstandingOutput;
  personaPrompt?: string;
  cycle: number;
  maxCycles: number;
}

const YieldResult = z.object({
  answer: z.string(),
  citations: z.array(Citation).default([]),
  dropped_citations: z.array(z.string()).default([]),
  should_continue: z.boolean().default(false),
  next_phase: z.enum(['action']).nullable().default(null),
  generated: z.boolean(),
  model: z.string().optional(),
});

/** The priors Yield sees: the ones Understanding kept, in its order; all of them without a judgement. */
export function priorsForYield(priors: Prior[], understanding?: UnderstandingOutput): Prior[] {
  if (!understanding) return priors;
  const byId = new Map(priors.map((p) => [p.id, p]));
  return understanding.kept.map((id) => byId.get(id)).filter((p): p is Prior => p !== undefined);
}

export async function runYield(input: YieldInput, ctx: PhaseContext): Promise<PhaseResult<YieldOutput>> {
  const understanding = input.understanding;
  const result = await ctx.call('action_yield', {
    message: input.message,
    conversation_id: input.conversationId,
    ...(input.firstAnswer ? { first_answer: input.firstAnswer } : {}),
    priors: priorsForYield(input.priors, understanding),
    // Only what a model wrote is passed on as a note: a no-model intent is just our own framing.
    ...(input.intention?.intent ? { intent: input.intention.intent } : {}),
    ...(input.observation
      ? { observations: { tags: input.observation.tags, links: input.observation.links } }
      : {}),
    ...(understanding
      ? {
          understanding: {
            kept: understanding.kept,
            pruned: understanding.pruned,
            ...(understanding.reason ? { reason: understanding.reason } : {}),
          },
        }
      : {}),
    ...(input.personaPrompt ? { persona_prompt: input.personaPrompt } : {}),
    cycle: input.cycle,
    max_cycles: input.maxCycles,
  });
  if (!result.ok) throw PhaseFailure.from(result.error, 'action_yield');
  const parsed = YieldResult.safeParse(result.data);
  if (!parsed.success) {
    throw new PhaseFailure(
      'BAD_OUTPUT',
      `action_yield returned an unexpected shape: ${parsed.error.message}`,
    );
  }
  const data = parsed.data;
  const output: YieldOutput = {
    answer: data.answer,
    citations: data.citations,
    dropped_citations: data.dropped_citations,
    // The bound is the host's too: never more cycles than configured, whatever the server says.
    should_continue: data.should_continue && input.cycle < input.maxCycles,
    next_phase: data.should_continue && input.cycle < input.maxCycles ? 'action' : null,
    generated: data.generated,
    ...(data.model ? { model: data.model } : {}),
  };
  return { output, text: output.answer, generated: output.generated };
}
