import { describe, expect, it } from 'vitest';
import { decideNextCycle, readContinueLine } from './decision.js';

describe('readContinueLine', () => {
  it('reads and removes a final CONTINUE: no', () => {
    expect(readContinueLine('The answer [exp_1].\n\nCONTINUE: no')).toEqual({
      text: 'The answer [exp_1].',
      requested: false,
    });
  });

  it('reads yes with its reason, in the usual decorations', () => {
    expect(readContinueLine('Partial answer.\n**CONTINUE:** yes — need the 2024 figures')).toEqual({
      text: 'Partial answer.',
      requested: true,
      reason: 'need the 2024 figures',
    });
    expect(readContinueLine('x\ncontinue = TRUE: missing data')).toEqual({
      text: 'x',
      requested: true,
      reason: 'missing data',
    });
  });

  it('takes the last line when there are several and removes them all', () => {
    expect(readContinueLine('CONTINUE: yes\nBody.\nCONTINUE: no')).toEqual({
      text: 'Body.',
      requested: false,
    });
  });

  it('reports null when the model wrote no such line, leaving prose that mentions it', () => {
    expect(readContinueLine('We should continue: yesterday was fine.')).toEqual({
      text: 'We should continue: yesterday was fine.',
      requested: null,
    });
  });
});

describe('decideNextCycle', () => {
  it('continues only when asked and cycles remain', () => {
    expect(decideNextCycle(true, 1, 3)).toEqual({ should_continue: true, next_phase: 'action' });
    expect(decideNextCycle(false, 1, 3)).toEqual({ should_continue: false, next_phase: null });
    expect(decideNextCycle(null, 1, 3)).toEqual({ should_continue: false, next_phase: null });
  });

  it('never continues at or past the last cycle, and says why', () => {
    expect(decideNextCycle(true, 3, 3)).toEqual({
      should_continue: false,
      next_phase: null,
      overruled: 'the model asked for another cycle, but cycle 3 of 3 is the last',
    });
  });
});
