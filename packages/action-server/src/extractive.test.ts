import type { Prior } from '@choir/contracts';
import { describe, expect, it } from 'vitest';
import {
  bestPriors,
  degradedYieldHeader,
  extractiveAnswer,
  NO_MODEL_RESPOND_HEADER,
  noModelFirstAnswer,
  quotePrior,
} from './extractive.js';

const prior = (id: string, score: number, content: string): Prior => ({ id, score, content, scores: {} });

describe('bestPriors', () => {
  it('ranks by score, keeps input order on ties, skips blank content, takes three', () => {
    const priors = [
      prior('a', 0.2, 'A'),
      prior('b', 0.9, 'B'),
      prior('c', 0.5, 'C'),
      prior('blank', 1, '   '),
      prior('d', 0.5, 'D'),
      prior('e', 0.1, 'E'),
    ];
    expect(bestPriors(priors).map((p) => p.id)).toEqual(['b', 'c', 'd']);
  });
});

describe('quotePrior', () => {
  it('flattens whitespace and keeps short content whole', () => {
    expect(quotePrior('one\n\n two\tthree')).toBe('one two three');
  });

  it('cuts at a sentence end in the second half', () => {
    expect(quotePrior('Alpha beta gamma. Delta epsilon zeta eta', 30)).toBe('Alpha beta gamma. …');
  });

  it('cuts at a word boundary otherwise', () => {
    expect(quotePrior('Alphabet soup is a very long phrase indeed', 20)).toBe('Alphabet soup is a…');
  });
});

describe('extractiveAnswer', () => {
  it('quotes the best priors with their ids and cites them in that order', () => {
    const answer = extractiveAnswer('HEADER', [prior('x1', 0.3, 'Low.'), prior('x2', 0.8, 'High.')], 'none');
    expect(answer.text).toBe('HEADER\n\n1. "High." [x2]\n2. "Low." [x1]');
    expect(answer.citations).toEqual([
      { prior_id: 'x2', quote: 'High.' },
      { prior_id: 'x1', quote: 'Low.' },
    ]);
  });

  it('says so when there is nothing to quote', () => {
    expect(extractiveAnswer('HEADER', [], 'Nothing.')).toEqual({ text: 'HEADER\n\nNothing.', citations: [] });
  });

  it('names the failure in the degraded header', () => {
    expect(degradedYieldHeader('TIMEOUT: slow')).toMatch(
      /^The model failed \(TIMEOUT: slow\), so this answer/,
    );
  });
});

describe('noModelFirstAnswer', () => {
  it('says no model is configured and lists what was found', () => {
    expect(noModelFirstAnswer([prior('p', 1, 'Found it.')])).toEqual({
      text: `${NO_MODEL_RESPOND_HEADER} What the system found:\n\n1. "Found it." [p]`,
      citations: [{ prior_id: 'p', quote: 'Found it.' }],
    });
  });

  it('says nothing was found when there are no priors', () => {
    expect(noModelFirstAnswer([prior('blank', 1, ' ')])).toEqual({
      text: `${NO_MODEL_RESPOND_HEADER}\n\nNo stored passages were given to this step.`,
      citations: [],
    });
  });
});
