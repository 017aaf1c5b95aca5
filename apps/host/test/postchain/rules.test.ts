import type { PhaseRecord, Prior } from '@choir/contracts';
import { describe, expect, it } from 'vitest';
import { finalAnswer } from '../../src/postchain/final-answer.js';
import {
  idsMentioned,
  judgePriorsByRule,
  MAX_KEPT,
  RELATIVE_KEEP,
} from '../../src/postchain/judge-priors.js';
import { historyEvents, historyRequestId, interactionQuality } from '../../src/postchain/persist.js';

const prior = (id: string, score: number): Prior => ({ id, score, scores: {}, content: id });

describe('judgePriorsByRule', () => {
  it('keeps the best and those at least half as good, at most three', () => {
    expect(RELATIVE_KEEP).toBe(0.5);
    expect(MAX_KEPT).toBe(3);
    const judged = judgePriorsByRule([
      prior('c', 0.01),
      prior('a', 0.04),
      prior('b', 0.02),
      prior('d', 0.019),
    ]);
    expect(judged.kept).toEqual(['a', 'b']);
    expect(judged.pruned).toEqual(['d', 'c']);
    expect(judged.should_yield).toBe(true);
    expect(judged.reason).toBe('no model: kept priors scoring at least 0.5 × the best (0.04), at most 3');
  });

  it('stops at three even when more are strong', () => {
    const judged = judgePriorsByRule([prior('a', 0.9), prior('b', 0.85), prior('c', 0.8), prior('d', 0.79)]);
    expect(judged).toMatchObject({ kept: ['a', 'b', 'c'], pruned: ['d'] });
  });

  it('keeps only the first when no score is positive', () => {
    expect(judgePriorsByRule([prior('a', 0), prior('b', 0)])).toMatchObject({ kept: ['a'], pruned: ['b'] });
  });

  it('finds known ids in brackets, single or comma-separated, once each in order', () => {
    const priors = [prior('exp_1', 1), prior('exp_2', 1), prior('exp_3', 1)];
    expect(idsMentioned('see [exp_2, exp_1] and [exp_2] but not [exp_9] or exp_3', priors)).toEqual([
      'exp_2',
      'exp_1',
    ]);
  });
});

describe('finalAnswer', () => {
  const yieldOutput = {
    answer: 'final',
    citations: [{ prior_id: 'e1' }],
    dropped_citations: [],
    should_continue: false,
    next_phase: null,
    generated: true,
    model: 'm',
  };
  const action = {
    text: 'first',
    generated: true,
    context_messages: 0,
    context_source: 'none' as const,
    notes: [],
  };

  it('is Yield’s answer when Yield completed', () => {
    expect(finalAnswer({ yieldOutput, action })).toEqual({
      final: true,
      answer: 'final',
      citations: [{ prior_id: 'e1' }],
      source: 'yield',
      generated: true,
      model: 'm',
    });
  });

  it('is the Action answer, marked, when Yield failed', () => {
    expect(finalAnswer({ yieldError: { code: 'TIMEOUT', message: 'slow' }, action })).toMatchObject({
      source: 'action_fallback',
      answer: 'first',
      citations: [],
      reason: 'the Yield phase failed (TIMEOUT: slow); this is the first answer from the Action phase',
    });
  });

  it('is an honest message naming both failures when nothing answered', () => {
    const final = finalAnswer({
      yieldError: 'disabled',
      actionError: { code: 'SERVER_UNAVAILABLE', message: 'server action is not running' },
    });
    expect(final.source).toBe('none');
    expect(final.generated).toBe(false);
    expect(final.answer).toBe(
      'No answer could be produced: the Action phase failed (SERVER_UNAVAILABLE: server action is not running), and the Yield phase is switched off. See the phase errors above; `choir doctor` checks the servers.',
    );
  });
});

describe('after-turn records', () => {
  const record = (phase: PhaseRecord['phase'], status: PhaseRecord['status'], cycle = 1): PhaseRecord => ({
    phase,
    cycle,
    status,
    elapsed_ms: 5,
  });

  it('rates the interaction by the share of phases completed in the last cycle, halved for a fallback', () => {
    const records = [
      record('action', 'complete'),
      record('experience', 'error'),
      record('intention', 'complete'),
      record('observation', 'complete'),
      record('understanding', 'complete'),
      record('yield', 'complete'),
    ];
    expect(interactionQuality(records, 6, 'yield')).toBe(0.83);
    expect(interactionQuality(records, 6, 'action_fallback')).toBe(0.42);
    expect(
      interactionQuality([record('action', 'error', 1), record('action', 'complete', 2)], 6, 'yield'),
    ).toBe(0.17);
    expect(interactionQuality([], 0, 'yield')).toBe(0);
  });

  it('writes the user message, each phase output and the assistant message, in order', () => {
    const events = historyEvents({
      conversationId: 'c1',
      turn: {
        index: 3,
        user_text: 'q',
        started_at: '2025-06-01T12:00:00.000Z',
        finished_at: '2025-06-01T12:00:02.000Z',
        cycles: 1,
        phases: [
          {
            ...record('action', 'complete'),
            text: 'first',
            output: { text: 'first', persona_prompt: 'long' },
            generated: false,
          },
          { ...record('experience', 'error'), error: { code: 'TIMEOUT', message: 'slow' } },
        ],
        priors: [],
        citations: [],
      },
      final: { final: true, answer: 'a', citations: [{ prior_id: 'e1' }], source: 'yield', generated: true },
      persona: 'aria',
      usage: { input_tokens: 10, output_tokens: 5 },
      model: 'm',
      enabledPhases: 6,
    });
    expect(events.map((e) => e.type)).toEqual([
      'user_message',
      'phase_output',
      'phase_output',
      'assistant_message',
    ]);
    expect(events[1]).toMatchObject({
      content: 'first',
      extra: { phase: 'action', output: { text: 'first' } },
    });
    expect((events[1]!.extra as { output: object }).output).not.toHaveProperty('persona_prompt');
    expect(events[2]).toMatchObject({
      content: 'TIMEOUT: slow',
      extra: { status: 'error', error: { code: 'TIMEOUT' } },
    });
    expect(events[3]).toMatchObject({
      content: 'a',
      model: 'm',
      usage: { input_tokens: 10, output_tokens: 5 },
      extra: { turn: 3, source: 'yield', citations: [{ prior_id: 'e1' }] },
    });
    expect(historyRequestId('c1', 3)).toBe('c1:turn:3');
  });
});
