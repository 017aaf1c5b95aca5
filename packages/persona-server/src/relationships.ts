/**
 * How one party regards another — affinity, trust, respect, intimacy — how an interaction moves
 * those, and the relationship type they add up to.
 */
import { clamp, round6 } from './numbers.js';

export interface RelationshipValues {
  /** -1..1: liking. */
  affinity: number;
  /** 0..1: slow to build, quick to lose. */
  trust: number;
  /** 0..1 */
  respect: number;
  /** 0..1: grows with time spent together. */
  intimacy: number;
  interactionCount: number;
}

export const NEW_RELATIONSHIP: RelationshipValues = {
  affinity: 0,
  trust: 0.5,
  respect: 0.5,
  intimacy: 0,
  interactionCount: 0,
};

export const RELATIONSHIP_RULES = {
  /** Affinity moves this fraction of the way toward 2·quality − 1. */
  affinityRate: 0.2,
  /** A good interaction (quality ≥ 0.5) adds gainRate·(2q − 1)·(1 − trust). */
  trustGainRate: 0.1,
  /** A bad one (quality < 0.5) removes lossRate·(1 − 2q)·trust. */
  trustLossRate: 0.3,
  /** Respect moves this fraction of the way toward quality. */
  respectRate: 0.1,
  /** Intimacy closes min(1, rate·quality·(1 + minutes/minutesScale)) of its gap to 1. */
  intimacyRate: 0.02,
  intimacyMinutesScale: 10,
} as const;

export function updateRelationship(
  current: RelationshipValues,
  interaction: { quality: number; minutes: number },
): RelationshipValues {
  const r = RELATIONSHIP_RULES;
  const q = clamp(interaction.quality, 0, 1);
  const trust =
    q >= 0.5
      ? current.trust + r.trustGainRate * (2 * q - 1) * (1 - current.trust)
      : current.trust - r.trustLossRate * (1 - 2 * q) * current.trust;
  const intimacyGain = Math.min(
    1,
    r.intimacyRate * q * (1 + Math.max(0, interaction.minutes) / r.intimacyMinutesScale),
  );
  return {
    affinity: round6(clamp(current.affinity + r.affinityRate * (2 * q - 1 - current.affinity), -1, 1)),
    trust: round6(clamp(trust, 0, 1)),
    respect: round6(clamp(current.respect + r.respectRate * (q - current.respect), 0, 1)),
    intimacy: round6(clamp(current.intimacy + intimacyGain * (1 - current.intimacy), 0, 1)),
    interactionCount: current.interactionCount + 1,
  };
}

export const RELATIONSHIP_TYPES = [
  'stranger',
  'adversary',
  'rival',
  'strained',
  'close_friend',
  'friend',
  'respected_colleague',
  'acquaintance',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

/** The first rule that matches wins; the thresholds are documented in the README. */
export function relationshipType(values: RelationshipValues): RelationshipType {
  const { affinity, trust, respect, intimacy, interactionCount } = values;
  if (interactionCount === 0) return 'stranger';
  if (affinity <= -0.5) return respect >= 0.6 ? 'rival' : 'adversary';
  if (affinity < -0.1) return 'strained';
  if (affinity >= 0.6 && trust >= 0.7 && intimacy >= 0.5) return 'close_friend';
  if (affinity >= 0.3 && trust >= 0.55) return 'friend';
  if (respect >= 0.7) return 'respected_colleague';
  return 'acquaintance';
}
