import { describe, expect, it } from 'vitest';
import { parseCitations, sentenceBefore, stripCitations } from './citations.js';

const PRIORS = ['exp_12', 'exp_3', 'exp_7'];

describe('parseCitations', () => {
  it('keeps known ids in order of first appearance with the sentence that cites them', () => {
    const parsed = parseCitations(
      'Paris is the capital [exp_12]. It is on the Seine [exp_3, exp_12].',
      PRIORS,
    );
    expect(parsed.text).toBe('Paris is the capital [exp_12]. It is on the Seine [exp_3, exp_12].');
    expect(parsed.citations).toEqual([
      { prior_id: 'exp_12', quote: 'Paris is the capital' },
      { prior_id: 'exp_3', quote: 'It is on the Seine' },
    ]);
    expect(parsed.dropped).toEqual([]);
  });

  it('drops unknown ids, reports each once, and removes them from the text', () => {
    const parsed = parseCitations(
      'Fact one [exp_99]. Fact two [exp_3, exp_42]. Fact three [exp_99][exp_7].',
      PRIORS,
    );
    expect(parsed.text).toBe('Fact one. Fact two [exp_3]. Fact three [exp_7].');
    expect(parsed.dropped).toEqual(['exp_99', 'exp_42']);
    expect(parsed.citations.map((c) => c.prior_id)).toEqual(['exp_3', 'exp_7']);
  });

  it('accepts semicolons and spaces inside a group and folds repeated ids', () => {
    const parsed = parseCitations('Both agree [ exp_3 ;exp_7,exp_3 ].', PRIORS);
    expect(parsed.text).toBe('Both agree [exp_3, exp_7].');
    expect(parsed.citations).toEqual([
      { prior_id: 'exp_3', quote: 'Both agree' },
      { prior_id: 'exp_7', quote: 'Both agree' },
    ]);
  });

  it('quotes the sentence when the marker follows the full stop', () => {
    const parsed = parseCitations('Intro. The sky is blue. [exp_7]\n- A list item [exp_3]', PRIORS);
    expect(parsed.citations).toEqual([
      { prior_id: 'exp_7', quote: 'The sky is blue.' },
      { prior_id: 'exp_3', quote: 'A list item' },
    ]);
  });

  it('leaves prose brackets, Markdown links and code alone', () => {
    const text =
      'He said [sic] and [see above]; read [the docs](https://x.y/1) and `arr[i1]`, or x[2].\n```\nv = a[exp_99]\n```';
    const parsed = parseCitations(text, PRIORS);
    expect(parsed.text).toBe(text);
    expect(parsed.dropped).toEqual([]);
    expect(parsed.citations).toEqual([]);
  });

  it('treats a made-up numeric reference as a dropped citation', () => {
    const parsed = parseCitations('As shown before [1], it holds.', PRIORS);
    expect(parsed.text).toBe('As shown before, it holds.');
    expect(parsed.dropped).toEqual(['1']);
  });

  it('recognises a known id even without digits or right after a word', () => {
    const parsed = parseCitations('Known[alpha] fact.', ['alpha']);
    expect(parsed.citations).toEqual([{ prior_id: 'alpha', quote: 'Known' }]);
  });

  it('gives no quote to a marker that opens the answer', () => {
    expect(parseCitations('[exp_3] opens it.', PRIORS).citations).toEqual([{ prior_id: 'exp_3' }]);
  });

  it('trims the text left when a whole answer was unknown citations', () => {
    expect(parseCitations('  [exp_1000]  ', PRIORS)).toEqual({
      text: '',
      citations: [],
      dropped: ['exp_1000'],
    });
  });
});

describe('sentenceBefore', () => {
  it('takes the text after the last sentence end, without list markers', () => {
    expect(sentenceBefore('First. Second one ')).toBe('Second one');
    expect(sentenceBefore('line one\n2. numbered')).toBe('numbered');
    expect(sentenceBefore('')).toBe('');
  });

  it('caps a long sentence at 300 characters, keeping its end', () => {
    const quote = sentenceBefore(`${'a'.repeat(400)} end`);
    expect(quote).toHaveLength(300);
    expect(quote.startsWith('…')).toBe(true);
    expect(quote.endsWith('a end')).toBe(true);
  });
});

describe('stripCitations', () => {
  it('removes groups of known ids only', () => {
    expect(stripCitations('A [exp_3] b [exp_3, zzz_1] c [sic].', PRIORS)).toBe('A b [exp_3, zzz_1] c [sic].');
  });
});
