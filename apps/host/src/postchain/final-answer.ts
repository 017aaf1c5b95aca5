/**
 * The answer a turn ends with, whatever happened: Yield's answer when Yield completed; else the
 * Action answer, marked as a fallback; else an honest message that names what failed.
 */
import type { ActionOutput, FinalAnswer, YieldOutput } from './types.js';

export interface PhaseFailureInfo {
  code: string;
  message: string;
}

export function finalAnswer(options: {
  yieldOutput?: YieldOutput;
  yieldError?: PhaseFailureInfo | 'disabled';
  action?: ActionOutput;
  actionError?: PhaseFailureInfo | 'disabled';
  cancelled?: boolean;
}): FinalAnswer {
  const { yieldOutput, action } = options;
  if (options.cancelled) {
    return {
      final: true,
      answer: 'The turn was cancelled before it finished; nothing was saved.',
      citations: [],
      source: 'none',
      generated: false,
      reason: 'cancelled',
    };
  }
  if (yieldOutput) {
    return {
      final: true,
      answer: yieldOutput.answer,
      citations: yieldOutput.citations,
      source: 'yield',
      generated: yieldOutput.generated,
      ...(yieldOutput.model ? { model: yieldOutput.model } : {}),
    };
  }
  const why = describe('Yield', options.yieldError);
  if (action) {
    return {
      final: true,
      answer: action.text,
      citations: [],
      source: 'action_fallback',
      generated: action.generated,
      ...(action.model ? { model: action.model } : {}),
      reason: `${why}; this is the first answer from the Action phase`,
    };
  }
  return {
    final: true,
    answer: `No answer could be produced: ${describe('Action', options.actionError)}, and ${why}. See the phase errors above; \`choir doctor\` checks the servers.`,
    citations: [],
    source: 'none',
    generated: false,
    reason: `${describe('Action', options.actionError)}; ${why}`,
  };
}

function describe(phase: string, error: PhaseFailureInfo | 'disabled' | undefined): string {
  if (error === 'disabled') return `the ${phase} phase is switched off`;
  if (!error) return `the ${phase} phase did not run`;
  return `the ${phase} phase failed (${error.code}: ${error.message})`;
}
