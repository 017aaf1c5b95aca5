import { describe, expect, it } from 'vitest';
import {
  clampSimilarity,
  DUPLICATE_MIN_SIMILARITY,
  isNearDuplicate,
  NOVELTY_REWARD_MAX,
  NOVELTY_REWARD_MIN,
  NOVELTY_SIMILARITY_CUTOFF,
  normaliseForDuplicate,
  noveltyOf,
  noveltyReward,
  REWARD_DECADE_SPAN,
} from './novelty.js';

describe('novelty', () => {
  it('is one minus the max similarity, clamped to [0, 1]', () => {
    expect(noveltyOf(0)).toBe(1);
    expect(noveltyOf(0.25)).toBe(0.75);
    expect(noveltyOf(1)).toBe(0);
    expect(noveltyOf(-0.3)).toBe(1);
    expect(noveltyOf(1.0000002)).toBe(0);
    expect(noveltyOf(Number.NaN)).toBe(1);
    expect(clampSimilarity(0.5)).toBe(0.5);
  });
});

describe('novelty reward', () => {
  it('documents its constants', () => {
    expect(NOVELTY_SIMILARITY_CUTOFF).toBe(0.95);
    expect(NOVELTY_REWARD_MIN).toBe(0.01);
    expect(NOVELTY_REWARD_MAX).toBe(100);
    expect(REWARD_DECADE_SPAN).toBeCloseTo(0.2375, 12);
  });

  it('is zero above the cutoff', () => {
    expect(noveltyReward(0.9500001)).toBe(0);
    expect(noveltyReward(0.99)).toBe(0);
    expect(noveltyReward(1)).toBe(0);
  });

  it('rises tenfold for every 0.2375 of similarity lost, from 0.01 at the cutoff to 100 at 0', () => {
    expect(noveltyReward(0.95)).toBe(0.01);
    expect(noveltyReward(0.7125)).toBe(0.1);
    expect(noveltyReward(0.475)).toBe(1);
    expect(noveltyReward(0.2375)).toBe(10);
    expect(noveltyReward(0)).toBe(100);
    expect(noveltyReward(0.5)).toBe(0.78476);
    expect(noveltyReward(0.9)).toBe(0.016238);
  });

  it('is capped: negative similarity earns no more than similarity 0', () => {
    expect(noveltyReward(-0.5)).toBe(100);
  });

  it('never falls as similarity falls', () => {
    let previous = -1;
    for (let s = 0.95; s >= 0; s -= 0.01) {
      const reward = noveltyReward(s);
      expect(reward).toBeGreaterThanOrEqual(previous);
      previous = reward;
    }
  });
});

describe('near-duplicates', () => {
  it('normalises case, Unicode width and whitespace, but not punctuation', () => {
    expect(normaliseForDuplicate('  Hello\n\tWORLD  ')).toBe('hello world');
    expect(normaliseForDuplicate('Ｈｅｌｌｏ')).toBe('hello');
    expect(normaliseForDuplicate('hello world!')).toBe('hello world!');
  });

  it('needs both the same normalised text and similarity of at least 0.98', () => {
    expect(DUPLICATE_MIN_SIMILARITY).toBe(0.98);
    expect(isNearDuplicate(true, 0.98)).toBe(true);
    expect(isNearDuplicate(true, 0.979)).toBe(false);
    expect(isNearDuplicate(false, 1)).toBe(false);
  });
});
