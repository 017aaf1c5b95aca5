/**
 * Novelty of a message against everything stored, and the reward it earns for being new.
 *
 * novelty = 1 - max_similarity. The reward is 0 above NOVELTY_SIMILARITY_CUTOFF (a paraphrase
 * of something already known earns nothing); below it the reward rises exponentially as
 * similarity falls, from NOVELTY_REWARD_MIN at the cutoff to NOVELTY_REWARD_MAX at similarity
 * 0, and never more: every REWARD_DECADE_SPAN of similarity lost multiplies the reward by 10.
 */

/** Above this max_similarity a message earns no novelty reward (the design brief's 0.95). */
export const NOVELTY_SIMILARITY_CUTOFF = 0.95;
/** The reward at exactly the cutoff. */
export const NOVELTY_REWARD_MIN = 0.01;
/** The cap: a message unlike anything stored (similarity ≤ 0). */
export const NOVELTY_REWARD_MAX = 100;
/** Similarity drop that multiplies the reward by 10: four decades from MIN to MAX over [0, cutoff]. */
export const REWARD_DECADE_SPAN =
  NOVELTY_SIMILARITY_CUTOFF / Math.log10(NOVELTY_REWARD_MAX / NOVELTY_REWARD_MIN);

/** Cosine similarities can be negative or a hair over 1 from float error; novelty lives in [0, 1]. */
export function clampSimilarity(similarity: number): number {
  if (!Number.isFinite(similarity)) return 0;
  return Math.min(1, Math.max(0, similarity));
}

export function noveltyOf(maxSimilarity: number): number {
  return 1 - clampSimilarity(maxSimilarity);
}

export function noveltyReward(maxSimilarity: number): number {
  const similarity = clampSimilarity(maxSimilarity);
  if (similarity > NOVELTY_SIMILARITY_CUTOFF) return 0;
  const decades = (NOVELTY_SIMILARITY_CUTOFF - similarity) / REWARD_DECADE_SPAN;
  return roundReward(Math.min(NOVELTY_REWARD_MAX, NOVELTY_REWARD_MIN * 10 ** decades));
}

/** Rewards are kept to six decimals so ledger totals add up the same everywhere. */
export function roundReward(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

/** A repeat is not stored twice: same normalised text in the same thread and this similar. */
export const DUPLICATE_MIN_SIMILARITY = 0.98;

/**
 * The text a repeat is recognised by: Unicode NFKC, lowercase, whitespace runs collapsed to
 * one space, trimmed. "Hello  World" and "hello world" are the same message; "hello world!"
 * is not (punctuation can change meaning).
 */
export function normaliseForDuplicate(content: string): string {
  return content.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

export function isNearDuplicate(sameNormalisedText: boolean, similarity: number): boolean {
  return sameNormalisedText && similarity >= DUPLICATE_MIN_SIMILARITY;
}
