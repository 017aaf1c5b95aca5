/**
 * Understanding: which priors matter. With a model, reasoning_reflect improves a draft
 * judgement and the ids it names are kept. When the server answers MODEL_UNAVAILABLE, the
 * host's documented rule (judge-priors.ts) decides and the output says `method: "rule"`,
 * `generated: false`. Any other failure fails the phase: Yield then sees every prior.
 */
import type { Prior } from '@choir/contracts';
import { idsMentioned, judgementDraft, judgePriorsByRule } from '../judge-priors.js';
import type { PhaseContext, PhaseResult, UnderstandingOutput } from '../types.js';
import { PhaseFailure } from '../types.js';

export interface UnderstandingInput {
  message: string;
  priors: Prior[];
  sessionId?: string;
}

/** Reflection quality at or above which the judgement is taken as settled. */
export const QUALITY_THRESHOLD = 0.6;

interface Reflect {
  session_id?: string;
  critique?: string;
  improved?: string;
  quality?: number;
  generated?: boolean;
}

export async function runUnderstanding(
  input: UnderstandingInput,
  ctx: PhaseContext,
): Promise<PhaseResult<UnderstandingOutput>> {
  const rule = judgePriorsByRule(input.priors);
  if (input.priors.length === 0) {
    const output: UnderstandingOutput = { ...rule, generated: false, method: 'no_priors' };
    return { output, text: 'no priors to judge', generated: false };
  }
  const result = await ctx.call<Reflect>('reasoning_reflect', {
    content: judgementDraft(input.message, input.priors, rule),
    ...(input.sessionId ? { session_id: input.sessionId } : {}),
    max_iterations: 1,
    quality_threshold: QUALITY_THRESHOLD,
  });
  if (!result.ok) {
    if (result.error.code !== 'MODEL_UNAVAILABLE') throw PhaseFailure.from(result.error, 'reasoning_reflect');
    const output: UnderstandingOutput = { ...rule, generated: false, method: 'rule' };
    return { output, text: summary(output), generated: false };
  }
  const improved = result.data.improved ?? '';
  const kept = idsMentioned(improved, input.priors);
  const quality = typeof result.data.quality === 'number' ? result.data.quality : 0;
  const output: UnderstandingOutput = {
    kept,
    pruned: input.priors.map((p) => p.id).filter((id) => !kept.includes(id)),
    should_yield: quality >= QUALITY_THRESHOLD,
    reason: firstSentence(improved) || 'the model named no passage',
    generated: result.data.generated !== false,
    method: 'model',
    quality,
    ...(result.data.critique ? { critique: result.data.critique } : {}),
    ...(result.data.session_id ? { session_id: result.data.session_id } : {}),
  };
  return { output, text: summary(output), generated: output.generated };
}

function summary(output: UnderstandingOutput): string {
  const how = output.method === 'rule' ? ' (no-model rule)' : '';
  return `kept ${output.kept.length}, pruned ${output.pruned.length}${how}`;
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  return (end === -1 ? flat : flat.slice(0, end + 1)).slice(0, 300);
}
