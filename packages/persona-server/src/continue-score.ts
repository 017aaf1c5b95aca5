/**
 * How much a persona wants to keep talking after a reply: its energy and freshness, whether it
 * asked something back, whether it is repeating itself, and whether it said goodbye.
 */
import { round6 } from './numbers.js';
import { jaccard } from './words.js';

export const CONTINUE_RULES = {
  weights: { energy: 0.3, rest: 0.2, engagement: 0.25, novelty: 0.25 },
  /** Engagement of a reply that asks something (contains "?") and of one that does not. */
  questionEngagement: 1,
  statementEngagement: 0.4,
  /** A reply that says goodbye keeps this fraction of its score. */
  farewellFactor: 0.25,
  /** persona_converse stops once a reply scores below this. */
  stopBelow: 0.35,
} as const;

const FAREWELL =
  /\b(goodbye|good-bye|farewell|good night|until next time|see you|take care|talk (to you )?later)\b/i;

export interface ContinueInput {
  /** 0..100, after the reply. */
  socialEnergy: number;
  /** 0..100, after the reply. */
  interactionFatigue: number;
  reply: string;
  /** The same speaker's previous turn, if any: repeating it means the talk has run dry. */
  previousOwnTurn?: string | null;
}

export function continueScore(input: ContinueInput): number {
  const w = CONTINUE_RULES.weights;
  const energy = Math.min(1, Math.max(0, input.socialEnergy / 100));
  const rest = 1 - Math.min(1, Math.max(0, input.interactionFatigue / 100));
  const engagement = input.reply.includes('?')
    ? CONTINUE_RULES.questionEngagement
    : CONTINUE_RULES.statementEngagement;
  const novelty = input.previousOwnTurn ? 1 - jaccard(input.reply, input.previousOwnTurn) : 1;
  const base = w.energy * energy + w.rest * rest + w.engagement * engagement + w.novelty * novelty;
  const score = FAREWELL.test(input.reply) ? base * CONTINUE_RULES.farewellFactor : base;
  return round6(score);
}
