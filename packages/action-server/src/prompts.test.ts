import type { Prior } from '@choir/contracts';
import { describe, expect, it } from 'vitest';
import {
  candidatesQuestion,
  conversationTurns,
  DEFAULT_PERSONA,
  renderNote,
  renderPriors,
  respondPrompt,
  yieldPrompt,
} from './prompts.js';

const prior = (id: string, score: number, content: string): Prior => ({ id, score, content, scores: {} });

describe('conversationTurns', () => {
  it('joins same-role neighbours, skips blanks and moves a leading assistant turn out', () => {
    expect(
      conversationTurns([
        { role: 'assistant', content: 'Welcome.' },
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: '  ' },
        { role: 'assistant', content: 'c' },
      ]),
    ).toEqual({
      opening: 'Welcome.',
      turns: [
        { role: 'user', content: 'a\n\nb' },
        { role: 'assistant', content: 'c' },
      ],
    });
  });

  it('keeps only the last messages', () => {
    const context = Array.from({ length: 5 }, (_, i) => ({
      role: i % 2 ? ('assistant' as const) : ('user' as const),
      content: String(i),
    }));
    expect(conversationTurns(context, 2)).toEqual({ opening: '3', turns: [{ role: 'user', content: '4' }] });
  });
});

describe('respondPrompt', () => {
  it('uses the persona, the context and the message, joining a trailing user turn', () => {
    const prompt = respondPrompt({
      message: ' And now? ',
      persona_prompt: 'You are Aria.',
      context: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'Question one' },
      ],
    });
    expect(prompt.system.startsWith('You are Aria.\n\nGive a short first answer')).toBe(true);
    expect(prompt.system).not.toContain('Passages');
    expect(prompt.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'Question one\n\nAnd now?' },
    ]);
  });

  it('falls back to the default persona and lists the best priors', () => {
    const prompt = respondPrompt({
      message: 'q',
      persona_prompt: '  ',
      priors: [prior('p1', 0.1, 'one'), prior('p2', 0.9, 'two')],
    });
    expect(prompt.system.startsWith(DEFAULT_PERSONA)).toBe(true);
    expect(prompt.system.endsWith('(they may also be irrelevant):\n[p2] two\n[p1] one')).toBe(true);
  });
});

describe('yieldPrompt', () => {
  const base = {
    message: 'What is X?',
    priors: [prior('exp_1', 0.5, 'X is a letter.')],
    cycle: 1,
    max_cycles: 2,
  };

  it('puts every section in one user message, priors with their ids', () => {
    const prompt = yieldPrompt({
      ...base,
      first_answer: 'A letter.',
      intent: 'define X',
      observations: { tags: ['alphabet'] },
      understanding: ['keep exp_1'],
    });
    expect(prompt.messages).toEqual([
      {
        role: 'user',
        content:
          'User message:\nWhat is X?\n\nFirst answer:\nA letter.\n\nIntent:\ndefine X\n\n' +
          'Observations:\n{"tags":["alphabet"]}\n\nUnderstanding:\n["keep exp_1"]\n\nPassages:\n[exp_1] X is a letter.',
      },
    ]);
    expect(prompt.system).toContain('This is pass 1 of 2.');
    expect(prompt.system).toContain('CONTINUE: no');
  });

  it('says when the pass is the last and when there are no passages', () => {
    const prompt = yieldPrompt({ ...base, priors: [], cycle: 2 });
    expect(prompt.system).toContain('This is pass 2 of 2, the last: end with CONTINUE: no.');
    expect(prompt.messages[0]!.content.endsWith('Passages:\n(none)')).toBe(true);
  });
});

describe('small renderers', () => {
  it('caps notes and priors', () => {
    expect(renderNote('abcdef', 4)).toBe('abc…');
    expect(renderNote({ a: 1 })).toBe('{"a":1}');
    expect(renderPriors([prior('a', 1, 'x'), prior('b', 0.5, 'y'), prior('c', 0.2, 'z')], 2, 10)).toBe(
      '[a] x\n[b] y',
    );
  });

  it('spells a question from candidates', () => {
    expect(candidatesQuestion(['the city ', 'the myth'])).toBe(
      'Which did you mean: (1) the city, (2) the myth?',
    );
  });
});
