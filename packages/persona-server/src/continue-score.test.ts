import { describe, expect, it } from 'vitest';
import { continueScore } from './continue-score.js';

describe('continueScore', () => {
  it('is 1 for a rested persona asking something new', () => {
    expect(
      continueScore({ socialEnergy: 100, interactionFatigue: 0, reply: 'And what happened next?' }),
    ).toBe(1);
  });

  it('weights energy 0.3, rest 0.2, engagement 0.25 and novelty 0.25', () => {
    const repeat = 'The archive is closed today.';
    expect(
      continueScore({ socialEnergy: 50, interactionFatigue: 50, reply: repeat, previousOwnTurn: repeat }),
    ).toBe(0.35); // 0.15 + 0.1 + 0.25·0.4 + 0
    expect(
      continueScore({
        socialEnergy: 80,
        interactionFatigue: 20,
        reply: 'the tide turns',
        previousOwnTurn: 'the tide rises',
      }),
    ).toBe(0.625); // 0.24 + 0.16 + 0.1 + 0.25·(1 − 2/4)
  });

  it('drops to a quarter when the reply says goodbye', () => {
    expect(continueScore({ socialEnergy: 100, interactionFatigue: 0, reply: 'Farewell, friend.' })).toBe(
      0.2125,
    );
    expect(
      continueScore({ socialEnergy: 100, interactionFatigue: 0, reply: 'Take care. See you soon?' }),
    ).toBe(0.25);
  });
});
