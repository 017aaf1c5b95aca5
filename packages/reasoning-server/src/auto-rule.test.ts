import { describe, expect, it } from 'vitest';
import { chooseModeByRule } from './auto-rule.js';

describe('chooseModeByRule', () => {
  it.each([
    ['Please review this proof for mistakes', 'reflection', 'review'],
    ['Brainstorm names for a bakery', 'divergent', 'Brainstorm'],
    ['What if the moon had no tides?', 'divergent', 'What if'],
    ['Should we use Postgres or SQLite?', 'tree', 'Should we'],
    ['Compare quicksort and mergesort', 'tree', 'Compare'],
    ['List the pros and cons of remote work', 'tree', 'pros and cons'],
    ['What is 17 times 23?', 'linear', ''],
  ])('%s → %s', (content, mode, matched) => {
    const choice = chooseModeByRule(content);
    expect(choice.mode).toBe(mode);
    expect(choice.matched).toBe(matched);
  });

  it('takes the earlier rule when several match (reflection before tree)', () => {
    expect(chooseModeByRule('Evaluate the options we have').mode).toBe('reflection');
  });

  it('explains the choice', () => {
    expect(chooseModeByRule('Compare A and B').reason).toBe(
      'rule: "Compare" weighs options against each other',
    );
  });

  it('matches whole words only', () => {
    expect(chooseModeByRule('The reviewer approved it').mode).toBe('linear');
  });
});
