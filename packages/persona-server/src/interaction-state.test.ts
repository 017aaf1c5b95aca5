import { describe, expect, it } from 'vitest';
import {
  applyInteraction,
  availability,
  energyCost,
  fatigueGain,
  hoursUntilAvailable,
  type InteractionState,
  initialState,
  moodLabel,
  projectState,
} from './interaction-state.js';
import { HOUR_MS } from './numbers.js';

const base: InteractionState = {
  socialEnergy: 40,
  interactionFatigue: 60,
  availableTime: 100,
  currentPriority: 'normal',
  mood: 0.8,
  lastInteraction: 0,
  asOf: 0,
};

describe('projectState (recovery when read)', () => {
  it('returns energy linearly, fades fatigue and mood by half-life, refills the daily budget', () => {
    expect(projectState(base, 3 * HOUR_MS)).toEqual({
      ...base,
      socialEnergy: 70,
      interactionFatigue: 21.213203, // 60 · 0.5^(3/2)
      availableTime: 130, // 100 + 240/24 · 3
      mood: 0.565685, // 0.8 · 0.5^(3/6)
      asOf: 3 * HOUR_MS,
    });
  });

  it('caps energy at 100 and the budget at 240 minutes', () => {
    const later = projectState(base, 20 * HOUR_MS);
    expect(later.socialEnergy).toBe(100);
    expect(later.availableTime).toBe(240);
    expect(later.interactionFatigue).toBe(0.058594); // 60 · 0.5^10
  });

  it('changes nothing when no time has passed or the clock went backwards', () => {
    expect(projectState(base, 0)).toEqual(base);
    expect(projectState({ ...base, asOf: 5000 }, 1000)).toEqual({ ...base, asOf: 5000 });
  });
});

describe('applyInteraction', () => {
  it('spends energy by quality and duration, adds fatigue, uses minutes and moves mood', () => {
    const now = 10 * HOUR_MS;
    expect(applyInteraction(initialState(now), { quality: 0.8, minutes: 10 }, now)).toEqual({
      socialEnergy: 94.4, // 100 − (3 + 0.5·10)·(1.5 − 0.8)
      interactionFatigue: 9, // 4 + 0.5·10
      availableTime: 230,
      currentPriority: 'normal',
      mood: 0.15, // 0 + 0.25·(0.6 − 0)
      lastInteraction: now,
      asOf: now,
    });
  });

  it('applies recovery up to the interaction first', () => {
    const after = applyInteraction(base, { quality: 0, minutes: 0 }, 2 * HOUR_MS);
    // energy 40 + 20 − 4.5; fatigue 60·0.5 + 4; mood 0.8·0.5^(1/3) = 0.634960, then 0.25 toward −1
    expect(after.socialEnergy).toBe(55.5);
    expect(after.interactionFatigue).toBe(34);
    expect(after.availableTime).toBe(120);
    expect(after.mood).toBe(0.22622);
  });

  it('never goes below zero energy or above 100 fatigue', () => {
    const tired = { ...base, socialEnergy: 2, interactionFatigue: 99 };
    const after = applyInteraction(tired, { quality: 0, minutes: 600 }, 0);
    expect(after.socialEnergy).toBe(0);
    expect(after.interactionFatigue).toBe(100);
    expect(after.availableTime).toBe(0);
  });

  it('costs are exact', () => {
    expect(energyCost(1, 0)).toBe(1.5);
    expect(energyCost(0.5, 4)).toBe(5);
    expect(fatigueGain(0)).toBe(4);
    expect(fatigueGain(30)).toBe(19);
  });
});

describe('availability', () => {
  const rested = initialState(0);
  it('needs energy by priority, fatigue below 80 and time left', () => {
    expect(availability(rested)).toEqual({ available: true, reason: null });
    expect(availability({ ...rested, socialEnergy: 19.9 }).available).toBe(false);
    expect(availability({ ...rested, socialEnergy: 20 }).available).toBe(true);
    expect(availability({ ...rested, socialEnergy: 15, currentPriority: 'high' }).available).toBe(true);
    expect(availability({ ...rested, socialEnergy: 39, currentPriority: 'low' })).toEqual({
      available: false,
      reason: 'social energy 39 is below 40 (priority low)',
    });
    expect(availability({ ...rested, interactionFatigue: 80 }).available).toBe(false);
    expect(availability({ ...rested, availableTime: 0.5 }).reason).toBe(
      'no conversation time left in the daily budget',
    );
  });

  it('knows how long until a persona is available again', () => {
    expect(hoursUntilAvailable(rested)).toBe(0);
    expect(hoursUntilAvailable({ ...rested, socialEnergy: 5 })).toBe(1.5);
    // fatigue 160 → below 80 after one half-life (2 h)
    expect(hoursUntilAvailable({ ...rested, interactionFatigue: 160 })).toBe(2.000001);
    const after = projectState({ ...rested, interactionFatigue: 160 }, 2.000001 * HOUR_MS);
    expect(availability(after).available).toBe(true);
  });

  it('labels mood', () => {
    expect([0.5, 0.2, 0, -0.2, -0.5].map(moodLabel)).toEqual([
      'elated',
      'content',
      'neutral',
      'subdued',
      'upset',
    ]);
  });
});
