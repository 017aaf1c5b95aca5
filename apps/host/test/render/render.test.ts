import type { PhaseEvent } from '@choir/contracts';
import { describe, expect, it } from 'vitest';
import { ContinueLineFilter, isContinueLine } from '../../src/render/continue-filter.js';
import { TerminalRenderer } from '../../src/render/terminal.js';

function feed(filter: ContinueLineFilter, chunks: string[]): string {
  return chunks.map((c) => filter.push(c)).join('') + filter.end();
}

describe('ContinueLineFilter', () => {
  it('passes ordinary text through as it arrives', () => {
    const filter = new ContinueLineFilter();
    expect(filter.push('Hello wor')).toBe('Hello wor');
    expect(filter.push('ld.\nNext')).toBe('ld.\nNext');
  });

  it('removes the CONTINUE line however it is split', () => {
    expect(feed(new ContinueLineFilter(), ['The answer [e1].\n\nCON', 'TINUE: n', 'o'])).toBe(
      'The answer [e1].\n\n',
    );
    expect(feed(new ContinueLineFilter(), ['A\n**Continue:** yes — need more\n'])).toBe('A\n');
  });

  it('holds a line only while it could still be the CONTINUE line', () => {
    const filter = new ContinueLineFilter();
    expect(filter.push('Cont')).toBe('');
    expect(filter.push('ext matters')).toBe('Context matters');
    expect(feed(new ContinueLineFilter(), ['Continue reading the docs.\n'])).toBe(
      'Continue reading the docs.\n',
    );
  });

  it('recognises the line forms the action server strips', () => {
    expect(['CONTINUE: no', '> continue = yes', '*CONTINUE*: yes — x'].map(isContinueLine)).toEqual([
      true,
      true,
      true,
    ]);
    expect(isContinueLine('continue with step 2')).toBe(false);
  });
});

describe('TerminalRenderer without a terminal', () => {
  const base = { conversation_id: 'c1', turn: 0, cycle: 1, at: 't' };
  const events: PhaseEvent[] = [
    { ...base, phase: 'action', status: 'running' },
    { ...base, phase: 'action', status: 'delta', text: 'Hi' },
    { ...base, phase: 'action', status: 'complete', elapsed_ms: 1234, text: 'Hi there', generated: false },
    {
      ...base,
      phase: 'experience',
      status: 'complete',
      elapsed_ms: 40,
      text: '1 prior',
      output: { priors: [{ id: 'e1', score: 1, scores: {}, content: 'the cache uses LRU' }] },
    },
    {
      ...base,
      phase: 'intention',
      status: 'error',
      elapsed_ms: 30000,
      error: { code: 'TIMEOUT', message: 'too slow' },
    },
    {
      ...base,
      phase: 'yield',
      status: 'complete',
      elapsed_ms: 500,
      text: 'LRU [e1].',
      generated: true,
      output: {
        final: true,
        answer: 'LRU [e1].',
        citations: [{ prior_id: 'e1' }],
        source: 'yield',
        generated: true,
      },
    },
  ];

  it('prints one plain line per event, then the answer and its sources', () => {
    let out = '';
    const renderer = new TerminalRenderer({ write: (t: string) => (out += t), isTTY: false });
    for (const event of events) renderer.event(event);
    expect(out).toBe(
      [
        '[action] running',
        '[action] complete 1.2s (no model) Hi there',
        '[experience] complete 0.0s 1 prior',
        '[intention] error 30.0s TIMEOUT: too slow',
        '[yield] complete 0.5s final answer, 1 citation',
        '',
        'Answer',
        '',
        'LRU [e1].',
        '',
        'Sources',
        '  [e1] the cache uses LRU',
        '',
        '',
      ].join('\n'),
    );
  });

  it('marks a fallback answer as such', () => {
    let out = '';
    const renderer = new TerminalRenderer({ write: (t: string) => (out += t), isTTY: false });
    renderer.event({
      ...base,
      phase: 'yield',
      status: 'error',
      elapsed_ms: 10,
      error: { code: 'SERVER_EXITED', message: 'gone' },
      output: { final: true, answer: 'first', citations: [], source: 'action_fallback', generated: false },
    });
    expect(out).toContain('[yield] error 0.0s SERVER_EXITED: gone');
    expect(out).toContain(
      'Answer (fallback: the first answer, because Yield did not complete) — no model\n\nfirst\n',
    );
  });
});
