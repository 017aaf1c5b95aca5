/**
 * A persona's interaction state — social energy, fatigue, daily time budget, mood — and how it
 * changes: recovery over elapsed time is computed when the state is read (no timers), and an
 * interaction spends energy and time and adds fatigue. Every function takes `now` explicitly.
 */
import { clamp, HOUR_MS, halfLifeFactor, round6 } from './numbers.js';

export const PRIORITIES = ['low', 'normal', 'high'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface InteractionState {
  /** 0..100 */
  socialEnergy: number;
  /** 0..100 */
  interactionFatigue: number;
  /** Minutes of conversation left in the daily budget. */
  availableTime: number;
  /** How much the persona wants to talk right now; moves the energy needed to be available. */
  currentPriority: Priority;
  /** -1..1 */
  mood: number;
  /** ms since epoch, or null before the first interaction. */
  lastInteraction: number | null;
  /** The moment the values above describe (ms since epoch). */
  asOf: number;
}

export const STATE_RULES = {
  maxEnergy: 100,
  /** Energy returns linearly: empty to full in 10 hours. */
  energyRecoveryPerHour: 10,
  /** Fatigue fades exponentially. */
  fatigueHalfLifeHours: 2,
  maxFatigue: 100,
  /** The daily conversation budget, refilled evenly over 24 hours. */
  dailyMinutes: 240,
  /** Mood drifts back to neutral (0). */
  moodHalfLifeHours: 6,
  /** Energy an interaction costs: (base + perMinute × minutes) × (1.5 − quality). */
  energyCostBase: 3,
  energyCostPerMinute: 0.5,
  /** Fatigue an interaction adds: base + perMinute × minutes. */
  fatigueBase: 4,
  fatiguePerMinute: 0.5,
  /** How far one interaction moves mood toward its quality (2q − 1). */
  moodRate: 0.25,
  /** Energy needed to be available, by current priority. */
  minEnergy: { low: 40, normal: 20, high: 10 } satisfies Record<Priority, number>,
  /** At or above this fatigue a persona is unavailable. */
  unavailableFatigue: 80,
  /** Fewer minutes than this left in the daily budget: unavailable. */
  minMinutes: 1,
} as const;

export function initialState(now: number, priority: Priority = 'normal'): InteractionState {
  return {
    socialEnergy: STATE_RULES.maxEnergy,
    interactionFatigue: 0,
    availableTime: STATE_RULES.dailyMinutes,
    currentPriority: priority,
    mood: 0,
    lastInteraction: null,
    asOf: now,
  };
}

/** The state at `now`: energy and time recovered, fatigue and mood faded since `asOf`. */
export function projectState(state: InteractionState, now: number): InteractionState {
  const hours = Math.max(0, now - state.asOf) / HOUR_MS;
  if (hours === 0) return { ...state, asOf: Math.max(now, state.asOf) };
  const r = STATE_RULES;
  return {
    ...state,
    socialEnergy: round6(Math.min(r.maxEnergy, state.socialEnergy + r.energyRecoveryPerHour * hours)),
    interactionFatigue: round6(state.interactionFatigue * halfLifeFactor(hours, r.fatigueHalfLifeHours)),
    availableTime: round6(Math.min(r.dailyMinutes, state.availableTime + (r.dailyMinutes / 24) * hours)),
    mood: round6(state.mood * halfLifeFactor(hours, r.moodHalfLifeHours)),
    asOf: now,
  };
}

export function energyCost(quality: number, minutes: number): number {
  const r = STATE_RULES;
  return round6((r.energyCostBase + r.energyCostPerMinute * minutes) * (1.5 - quality));
}

export function fatigueGain(minutes: number): number {
  return round6(STATE_RULES.fatigueBase + STATE_RULES.fatiguePerMinute * minutes);
}

export interface Interaction {
  /** 0..1: how well it went. */
  quality: number;
  /** How long it took, in minutes. */
  minutes: number;
}

/** The state after an interaction that ended at `now` (recovery up to `now` applied first). */
export function applyInteraction(
  state: InteractionState,
  interaction: Interaction,
  now: number,
): InteractionState {
  const current = projectState(state, now);
  const r = STATE_RULES;
  const target = 2 * interaction.quality - 1;
  return {
    ...current,
    socialEnergy: round6(
      clamp(current.socialEnergy - energyCost(interaction.quality, interaction.minutes), 0, r.maxEnergy),
    ),
    interactionFatigue: round6(
      clamp(current.interactionFatigue + fatigueGain(interaction.minutes), 0, r.maxFatigue),
    ),
    availableTime: round6(Math.max(0, current.availableTime - interaction.minutes)),
    mood: round6(clamp(current.mood + r.moodRate * (target - current.mood), -1, 1)),
    lastInteraction: now,
    asOf: now,
  };
}

export interface Availability {
  available: boolean;
  /** Why not, in words; null when available. */
  reason: string | null;
}

/** Whether a persona (already projected to now) is up for an interaction. */
export function availability(state: InteractionState): Availability {
  const r = STATE_RULES;
  const needed = r.minEnergy[state.currentPriority];
  if (state.socialEnergy < needed) {
    return {
      available: false,
      reason: `social energy ${formatNumber(state.socialEnergy)} is below ${needed} (priority ${state.currentPriority})`,
    };
  }
  if (state.interactionFatigue >= r.unavailableFatigue) {
    return {
      available: false,
      reason: `interaction fatigue ${formatNumber(state.interactionFatigue)} is at or above ${r.unavailableFatigue}`,
    };
  }
  if (state.availableTime < r.minMinutes) {
    return { available: false, reason: 'no conversation time left in the daily budget' };
  }
  return { available: true, reason: null };
}

/** Hours until a persona that is unavailable now becomes available again without interactions. */
export function hoursUntilAvailable(state: InteractionState): number {
  if (availability(state).available) return 0;
  const r = STATE_RULES;
  const energyHours = Math.max(
    0,
    (r.minEnergy[state.currentPriority] - state.socialEnergy) / r.energyRecoveryPerHour,
  );
  const fatigueHours =
    state.interactionFatigue >= r.unavailableFatigue
      ? // Strictly below the threshold: solve f·0.5^(h/H) < limit, plus a hair.
        r.fatigueHalfLifeHours * Math.log2(state.interactionFatigue / r.unavailableFatigue) + 1e-6
      : 0;
  const timeHours = Math.max(0, (r.minMinutes - state.availableTime) / (r.dailyMinutes / 24));
  return round6(Math.max(energyHours, fatigueHours, timeHours));
}

export function moodLabel(mood: number): string {
  if (mood >= 0.5) return 'elated';
  if (mood >= 0.15) return 'content';
  if (mood > -0.15) return 'neutral';
  if (mood > -0.5) return 'subdued';
  return 'upset';
}

function formatNumber(value: number): string {
  return String(Math.round(value * 10) / 10);
}
