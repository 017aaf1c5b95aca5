/**
 * reasoning_auto's routing without a model: a stated, deterministic rule over the content's
 * words, so a client without a model still gets a reproducible choice it can read and check.
 */

export const AUTO_MODES = ['linear', 'tree', 'divergent', 'reflection'] as const;
export type AutoMode = (typeof AUTO_MODES)[number];

interface RuleStep {
  mode: Exclude<AutoMode, 'linear'>;
  why: string;
  patterns: RegExp[];
}

/** Checked in this order; the first pattern that matches decides. */
export const AUTO_RULE: readonly RuleStep[] = [
  {
    mode: 'reflection',
    why: 'asks to review, critique or improve something',
    patterns: [
      /\b(review|critique|criticis[ei]|criticiz[ei]|improve|proofread|evaluate|assess|flaws?|mistakes?)\b/i,
    ],
  },
  {
    mode: 'divergent',
    why: 'asks for several ideas or perspectives',
    patterns: [/\b(brainstorm\w*|ideas|perspectives?|viewpoints?|creative(ly)?|imagine)\b/i, /\bwhat if\b/i],
  },
  {
    mode: 'tree',
    why: 'weighs options against each other',
    patterns: [
      /\b(compare|comparison|versus|vs\.?|options|alternatives|trade-?offs?|choose|choice|decide|decision)\b/i,
      /\bpros and cons\b/i,
      /\bwhich (one|is better|should)\b/i,
      /\bshould (i|we)\b/i,
    ],
  },
];

export const AUTO_RULE_TEXT =
  'reflection if the content asks to review, critique, improve, evaluate or assess (or mentions flaws/mistakes); ' +
  'else divergent if it asks to brainstorm, for ideas, perspectives or viewpoints, to be creative, imagine or "what if"; ' +
  'else tree if it compares, weighs options, alternatives or trade-offs, asks to choose or decide, ' +
  '"pros and cons", "which one/is better/should" or "should I/we"; else linear.';

export interface RuleChoice {
  mode: AutoMode;
  reason: string;
  /** The words that decided, as found in the content; empty for the linear default. */
  matched: string;
}

export function chooseModeByRule(content: string): RuleChoice {
  for (const step of AUTO_RULE) {
    for (const pattern of step.patterns) {
      const match = pattern.exec(content);
      if (match) {
        return { mode: step.mode, reason: `rule: "${match[0]}" ${step.why}`, matched: match[0] };
      }
    }
  }
  return {
    mode: 'linear',
    reason: 'rule: no review, idea or option words; step-by-step reasoning',
    matched: '',
  };
}
