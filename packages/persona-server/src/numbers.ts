/** Small numeric helpers shared by the state arithmetic. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Rounds to 6 decimals so stored values stay readable and repeated arithmetic stays exact in tests. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Fraction left after `elapsed` with the given half-life (both in the same unit). */
export function halfLifeFactor(elapsed: number, halfLife: number): number {
  if (elapsed <= 0) return 1;
  return 0.5 ** (elapsed / halfLife);
}
