/**
 * What each mode asks the model for: a system prompt and the zod schema of the answer. The
 * schema's JSON Schema is appended to the system prompt by generateStructured, and a reply that
 * does not match gets one repair round, then a MODEL_UNAVAILABLE error — never a made-up default.
 */
import { z } from 'zod';
import { AUTO_MODES } from './auto-rule.js';
import { CROSS_REF_TYPES } from './store/tables.js';

const unit = z.number().min(0).max(1);
const text = z.string().trim().min(1);

export const LinearAnswer = z.object({
  thought: text.describe('the next reasoning step, building on the history'),
  confidence: unit.describe('0..1: how sure you are of this step'),
  next_thought_needed: z.boolean().describe('false when the reasoning has reached its conclusion'),
});
export type LinearAnswer = z.infer<typeof LinearAnswer>;

export const LINEAR_SYSTEM =
  'You are a careful step-by-step reasoner. Given a problem and the reasoning so far, write the single next ' +
  'step: one clear thought that moves toward the answer. Do not repeat earlier steps.';

export function treeAnswer(branches: number) {
  return z
    .object({
      branches: z
        .array(
          z.object({
            content: text.describe(
              'this branch: a distinct line of reasoning or option, developed in a few sentences',
            ),
            confidence: unit,
            rationale: z.string().describe('why this branch is worth exploring'),
          }),
        )
        .length(branches),
      cross_refs: z
        .array(
          z.object({
            from: z
              .number()
              .int()
              .min(0)
              .max(branches - 1)
              .describe('index of a branch above'),
            to: z
              .number()
              .int()
              .min(0)
              .max(branches - 1),
            type: z.enum(CROSS_REF_TYPES),
            reason: z.string(),
            strength: unit,
          }),
        )
        .describe('relations between the branches; may be empty'),
      recommended: z
        .number()
        .int()
        .min(0)
        .max(branches - 1)
        .describe('index of the most promising branch'),
    })
    .refine((answer) => answer.cross_refs.every((ref) => ref.from !== ref.to), {
      message: 'a cross-reference must join two different branches',
      path: ['cross_refs'],
    });
}
export type TreeAnswer = z.infer<ReturnType<typeof treeAnswer>>;

export const TREE_SYSTEM =
  'You explore a problem as a tree. From the given thought, propose distinct branches (options, hypotheses or ' +
  'approaches) that do not overlap, rate each, note how branches relate (supports, contradicts, extends, ' +
  'alternative, depends) and say which is most promising.';

export function divergentAnswer(perspectives: number) {
  return z.object({
    perspectives: z
      .array(
        z.object({
          label: text.describe('a short name for the perspective'),
          content: text.describe('the problem seen from this perspective'),
          confidence: unit,
        }),
      )
      .length(perspectives),
    challenged_assumptions: z
      .array(z.string())
      .describe('assumptions questioned; empty unless asked to challenge'),
    synthesis: text.describe('what the perspectives together suggest'),
  });
}
export type DivergentAnswer = z.infer<ReturnType<typeof divergentAnswer>>;

export function divergentSystem(challenge: boolean): string {
  return (
    'You think divergently: look at the problem from genuinely different perspectives (disciplines, ' +
    'stakeholders, scales, time horizons), then synthesise.' +
    (challenge ? ' First name the assumptions the problem takes for granted and challenge them.' : '')
  );
}

export const ReflectAnswer = z.object({
  critique: text.describe('the weaknesses: errors, gaps, unclear or unsupported claims'),
  improved: text.describe('the text rewritten to fix them'),
  quality: unit.describe('0..1: the quality of the improved text'),
});
export type ReflectAnswer = z.infer<typeof ReflectAnswer>;

export function reflectSystem(focus: string | undefined): string {
  return (
    'You are a rigorous critic. Critique the text, then rewrite it to fix what you found, and rate the ' +
    'rewritten text from 0 (poor) to 1 (excellent).' +
    (focus ? ` Focus the critique on: ${focus}.` : '')
  );
}

export const RouteAnswer = z.object({
  mode: z.enum(AUTO_MODES),
  reason: text,
  confidence: unit,
});
export type RouteAnswer = z.infer<typeof RouteAnswer>;

export const AUTO_SYSTEM =
  'You route a problem to the reasoning mode that suits it: linear (step by step toward one answer), tree ' +
  '(weigh distinct options or hypotheses), divergent (many perspectives or ideas at once), reflection ' +
  '(critique and improve a given text). Answer with the mode, why, and your confidence.';

export function gotGenerateAnswer(k: number) {
  return z.object({
    thoughts: z.array(z.object({ content: text, confidence: unit })).length(k),
  });
}
export type GotGenerateAnswer = z.infer<ReturnType<typeof gotGenerateAnswer>>;

export const GOT_GENERATE_SYSTEM =
  'You expand a graph of thoughts. From the given thought, write distinct successor thoughts that each take ' +
  'it one step further in a different direction.';

export const GotScoreAnswer = z.object({ score: unit, rationale: text });
export type GotScoreAnswer = z.infer<typeof GotScoreAnswer>;

export function gotScoreSystem(criteria: string | undefined): string {
  return (
    'You evaluate one thought in a graph of thoughts toward solving the problem. Score it from 0 (useless or ' +
    `wrong) to 1 (correct and decisive) and explain briefly.${criteria ? ` Criteria: ${criteria}.` : ''}`
  );
}

export const GotAggregateAnswer = z.object({ content: text, confidence: unit });
export type GotAggregateAnswer = z.infer<typeof GotAggregateAnswer>;

export function gotAggregateSystem(strategy: string | undefined): string {
  return (
    'You merge several thoughts of a graph of thoughts into one that keeps the strengths of each and resolves ' +
    `their conflicts.${strategy ? ` Strategy: ${strategy}.` : ''}`
  );
}

export const GotRefineAnswer = z.object({ content: text, improvement: text });
export type GotRefineAnswer = z.infer<typeof GotRefineAnswer>;

export const GOT_REFINE_SYSTEM =
  'You refine one thought of a graph of thoughts: make it more correct, precise and complete, and say what you improved.';

/** A numbered history for prompts, oldest first. */
export function numbered(lines: readonly string[]): string {
  return lines.map((line, i) => `${i + 1}. ${line}`).join('\n');
}
