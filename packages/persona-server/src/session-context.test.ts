import { describe, expect, it } from 'vitest';
import { HOUR_MS } from './numbers.js';
import {
  EXTRACTIVE_HEADER,
  extractiveSummary,
  firstSentence,
  isExpired,
  turnsToFold,
} from './session-context.js';

describe('session windows', () => {
  it('expires after exactly 24 hours of inactivity', () => {
    expect(isExpired(0, 24 * HOUR_MS - 1)).toBe(false);
    expect(isExpired(0, 24 * HOUR_MS)).toBe(true);
  });

  it('folds all but the 20 most recent turns once more than 50 are unsummarised', () => {
    expect(turnsToFold(20)).toBe(0);
    expect(turnsToFold(50)).toBe(0);
    expect(turnsToFold(51)).toBe(31);
    expect(turnsToFold(52)).toBe(32);
  });
});

describe('extractiveSummary', () => {
  it('keeps the first sentence of each turn, marked as excerpts', () => {
    const summary = extractiveSummary(null, [
      { speaker: 'user', content: 'My name is Sam. I like boats.' },
      { speaker: 'Aria', content: 'A sailor!   Tell me\nabout the sea' },
    ]);
    expect(summary).toBe(`${EXTRACTIVE_HEADER}\n- user: My name is Sam.…\n- Aria: A sailor!…`);
  });

  it('appends to an earlier summary and drops the oldest lines past 600 tokens', () => {
    const first = extractiveSummary(null, [{ speaker: 'user', content: 'First thing.' }]);
    const second = extractiveSummary(first, [{ speaker: 'Aria', content: 'Second thing.' }]);
    expect(second).toBe(`${EXTRACTIVE_HEADER}\n- user: First thing.\n- Aria: Second thing.`);
    const many = Array.from({ length: 200 }, (_, i) => ({
      speaker: 'user',
      content: `Line number ${i} here.`,
    }));
    const capped = extractiveSummary(second, many);
    expect(capped.startsWith(EXTRACTIVE_HEADER)).toBe(true);
    expect(capped).not.toContain('First thing.');
    expect(capped.endsWith('- user: Line number 199 here.')).toBe(true);
  });

  it('cuts long sentences at 40 tokens', () => {
    const long = `${'word '.repeat(100).trim()}.`;
    const cut = firstSentence(long);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.split(' ').length).toBe(40);
  });
});
