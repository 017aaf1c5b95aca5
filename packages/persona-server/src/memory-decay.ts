/**
 * Memory importance fades with a half-life toward a floor; very important memories are
 * protected and never fade. Exponential decay composes (decaying for a then b equals decaying
 * for a + b), so applying it at any cadence gives the same result.
 */
import { DAY_MS, halfLifeFactor, round6 } from './numbers.js';

export const DECAY_RULES = {
  halfLifeDays: 30,
  /** Importance never decays below this (a memory already below it stays where it is). */
  floor: 0.1,
  /** Memories at or above this importance do not decay. */
  protectedAt: 0.9,
} as const;

export type DecayRules = { halfLifeDays: number; floor: number; protectedAt: number };

export function decayedImportance(
  importance: number,
  elapsedMs: number,
  rules: DecayRules = DECAY_RULES,
): number {
  if (importance >= rules.protectedAt || importance <= rules.floor || elapsedMs <= 0) return importance;
  const factor = halfLifeFactor(elapsedMs / DAY_MS, rules.halfLifeDays);
  return round6(rules.floor + (importance - rules.floor) * factor);
}
