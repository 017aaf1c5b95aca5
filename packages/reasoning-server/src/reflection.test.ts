import { describe, expect, it } from 'vitest';
import { type ReflectionStep, reflectUntil } from './reflection.js';

function scripted(steps: ReflectionStep[]) {
  const seen: string[] = [];
  const step = async (text: string) => {
    seen.push(text);
    const next = steps.shift();
    if (!next) throw new Error('no more scripted steps');
    return next;
  };
  return { step, seen };
}

describe('reflectUntil', () => {
  it('stops as soon as a round reaches the threshold, feeding each improvement to the next round', async () => {
    const { step, seen } = scripted([
      { critique: 'vague', improved: 'v2', quality: 0.5 },
      { critique: 'better', improved: 'v3', quality: 0.85 },
      { critique: 'unused', improved: 'v4', quality: 1 },
    ]);
    const outcome = await reflectUntil('v1', step, { maxIterations: 5, qualityThreshold: 0.8 });
    expect(seen).toEqual(['v1', 'v2']);
    expect(outcome.stop).toBe('threshold');
    expect(outcome.best).toEqual({ critique: 'better', improved: 'v3', quality: 0.85, iteration: 2 });
  });

  it('stops at the bound and returns the best round, not the last', async () => {
    const { step } = scripted([
      { critique: 'a', improved: 'v2', quality: 0.6 },
      { critique: 'b', improved: 'v3', quality: 0.4 },
    ]);
    const outcome = await reflectUntil('v1', step, { maxIterations: 2, qualityThreshold: 0.9 });
    expect(outcome.stop).toBe('max_iterations');
    expect(outcome.rounds).toHaveLength(2);
    expect(outcome.best.improved).toBe('v2');
  });

  it('stops when a round changes nothing', async () => {
    const { step } = scripted([{ critique: 'fine as is', improved: ' v1 ', quality: 0.7 }]);
    const outcome = await reflectUntil('v1', step, { maxIterations: 3, qualityThreshold: 0.9 });
    expect(outcome.stop).toBe('no_change');
    expect(outcome.rounds).toHaveLength(1);
  });
});
