import { callTool, samplingText } from '@choir/server-kit/testing';
import type { CreateMessageRequest } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_MODEL_YIELD_HEADER, NOTHING_FOUND } from '../src/extractive.js';
import { type Harness, harness, PRIORS, slowSampling } from './setup.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ARGS = {
  message: 'When was the Eiffel Tower built, and by whom?',
  first_answer: 'Around 1900.',
  priors: PRIORS,
  intent: 'date and builder of the Eiffel Tower',
  observations: { tags: ['history'], links: [] },
  understanding: 'exp_1 and exp_2 matter; exp_3 does not.',
  cycle: 1,
  max_cycles: 2,
  conversation_id: 'conv-7',
};

/** The extractive answer these priors give, after a given header. */
const extractiveText = (header: string) =>
  `${header}\n\n` +
  '1. "The Eiffel Tower was finished in 1889 for the World Fair." [exp_1]\n' +
  '2. "Gustave Eiffel\'s company designed and built the tower." [exp_2]\n' +
  '3. "Paris has about two million inhabitants." [exp_3]';

const EXTRACTIVE_CITATIONS = [
  { prior_id: 'exp_1', quote: 'The Eiffel Tower was finished in 1889 for the World Fair.' },
  { prior_id: 'exp_2', quote: "Gustave Eiffel's company designed and built the tower." },
  { prior_id: 'exp_3', quote: 'Paris has about two million inhabitants.' },
];

describe('action_yield with a scripted model', () => {
  it('returns the cited answer, the citations and the end of the turn', async () => {
    const seen: CreateMessageRequest['params'][] = [];
    h = await harness({
      sampling: (params) => {
        seen.push(params);
        return samplingText(
          "It was finished in 1889 [exp_1], built by Gustave Eiffel's company [exp_2].\n\nCONTINUE: no",
        );
      },
    });
    const r = await callTool(h.client, 'action_yield', ARGS);
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({
      answer: "It was finished in 1889 [exp_1], built by Gustave Eiffel's company [exp_2].",
      citations: [
        { prior_id: 'exp_1', quote: 'It was finished in 1889' },
        { prior_id: 'exp_2', quote: "It was finished in 1889, built by Gustave Eiffel's company" },
      ],
      dropped_citations: [],
      should_continue: false,
      next_phase: null,
      generated: true,
      model: 'scripted-model',
      via: 'sampling',
    });
    expect(r.data).not.toHaveProperty('degraded_reason');
    const prompt = (seen[0]!.messages[0]!.content as { text: string }).text;
    expect(prompt).toContain('First answer:\nAround 1900.');
    expect(prompt).toContain('Observations:\n{"tags":["history"],"links":[]}');
    expect(prompt).toContain('[exp_2] Gustave Eiffel');
    expect(seen[0]!.systemPrompt).toContain('This is pass 1 of 2.');
    expect(seen[0]!.maxTokens).toBe(1200);
    expect(await h.logRows()).toMatchObject([
      {
        id: r.data.log_id,
        phase: 'yield',
        outcome: 'generated',
        cycle: 1,
        conversation_id: 'conv-7',
        cited_ids: ['exp_1', 'exp_2'],
        dropped_ids: [],
        should_continue: false,
      },
    ]);
  });

  it('drops ids that are not among the priors, reports them and removes them from the answer', async () => {
    h = await harness({
      sampling: () =>
        samplingText('Finished in 1889 [exp_1, exp_404]. Designed in 1884 [mem_77].\nCONTINUE: no'),
    });
    const r = await callTool(h.client, 'action_yield', ARGS);
    expect(r.data).toMatchObject({
      answer: 'Finished in 1889 [exp_1]. Designed in 1884.',
      citations: [{ prior_id: 'exp_1', quote: 'Finished in 1889' }],
      dropped_citations: ['exp_404', 'mem_77'],
      generated: true,
    });
    expect(r.text).toContain('Removed citations of ids that are not among the priors: exp_404, mem_77');
    expect(await h.logRows()).toMatchObject([{ cited_ids: ['exp_1'], dropped_ids: ['exp_404', 'mem_77'] }]);
  });

  it('asks for another cycle when the model does and cycles remain', async () => {
    h = await harness({
      sampling: () => samplingText('Partly: 1889 [exp_1].\nCONTINUE: yes — the builder is unclear'),
    });
    const r = await callTool(h.client, 'action_yield', ARGS);
    expect(r.data).toMatchObject({
      answer: 'Partly: 1889 [exp_1].',
      should_continue: true,
      next_phase: 'action',
      continue_reason: 'the builder is unclear',
    });
  });

  it('never continues on the last cycle, and says the request was overruled', async () => {
    const seen: CreateMessageRequest['params'][] = [];
    h = await harness({
      sampling: (params) => {
        seen.push(params);
        return samplingText('Partly: 1889 [exp_1].\nCONTINUE: yes');
      },
    });
    const r = await callTool(h.client, 'action_yield', { ...ARGS, cycle: 2, max_cycles: 2 });
    expect(r.data).toMatchObject({
      should_continue: false,
      next_phase: null,
      continue_reason: 'the model asked for another cycle, but cycle 2 of 2 is the last',
    });
    expect(seen[0]!.systemPrompt).toContain('This is pass 2 of 2, the last: end with CONTINUE: no.');
  });

  it('takes a missing CONTINUE line as the end of the turn', async () => {
    h = await harness({ sampling: () => samplingText('1889 [exp_1].') });
    const r = await callTool(h.client, 'action_yield', ARGS);
    expect(r.data).toMatchObject({ answer: '1889 [exp_1].', should_continue: false, next_phase: null });
    expect(r.data).not.toHaveProperty('continue_reason');
  });
});

describe('action_yield when the model fails: extractive answer, generated: false, degraded_reason', () => {
  it('handles an empty answer', async () => {
    h = await harness({ sampling: () => samplingText('') });
    const r = await callTool(h.client, 'action_yield', ARGS);
    expect(r.isError).toBe(false);
    const reason = 'MODEL_UNAVAILABLE: the model (sampling) returned an empty answer';
    expect(r.data).toMatchObject({
      answer: extractiveText(
        `The model failed (${reason}), so this answer is extractive: the stored passages most relevant to your message, quoted as found.`,
      ),
      citations: EXTRACTIVE_CITATIONS,
      dropped_citations: [],
      should_continue: false,
      next_phase: null,
      generated: false,
      degraded_reason: reason,
    });
    expect(r.data).not.toHaveProperty('model');
    expect(await h.logRows()).toMatchObject([{ outcome: 'degraded', generated: false, reason }]);
  });

  it('handles an answer that was nothing but unknown citations and the CONTINUE line', async () => {
    h = await harness({ sampling: () => samplingText('[exp_999]\nCONTINUE: yes') });
    const r = await callTool(h.client, 'action_yield', ARGS);
    expect(r.data).toMatchObject({
      generated: false,
      should_continue: false,
      dropped_citations: ['exp_999'],
      citations: EXTRACTIVE_CITATIONS,
    });
    expect(r.data.degraded_reason).toMatch(/no answer besides its CONTINUE line/);
  });

  it('handles a model that times out', async () => {
    h = await harness({ sampling: slowSampling(), env: { REQUEST_TIMEOUT_MS: '150' } });
    const r = await callTool(h.client, 'action_yield', ARGS);
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({
      generated: false,
      should_continue: false,
      degraded_reason: 'TIMEOUT: the model (sampling) did not answer within 150 ms',
      citations: EXTRACTIVE_CITATIONS,
    });
    expect((r.data.answer as string).startsWith('The model failed (TIMEOUT: ')).toBe(true);
  });
  it('handles a client that refuses the sampling request', async () => {
    h = await harness({
      sampling: () => {
        throw new Error('the user rejected the sampling request');
      },
    });
    const r = await callTool(h.client, 'action_yield', ARGS);
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({
      generated: false,
      should_continue: false,
      citations: EXTRACTIVE_CITATIONS,
    });
    expect(r.data.degraded_reason).toMatch(
      /^MODEL_UNAVAILABLE: sampling failed: .*rejected the sampling request/,
    );
  });
});

describe('action_yield cancelled by the client', () => {
  it('gives up without a degraded answer and logs nothing', async () => {
    let samplingStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      samplingStarted = resolve;
    });
    h = await harness({
      sampling: () => {
        samplingStarted();
        return new Promise(() => {});
      },
    });
    const abort = new AbortController();
    const call = h.client
      .callTool({ name: 'action_yield', arguments: ARGS }, undefined, { signal: abort.signal })
      .catch((error: unknown) => error);
    await started;
    abort.abort('the user pressed Ctrl-C');
    expect(await call).toBeInstanceOf(Error);
    expect(await h.settled()).toBe(true);
    expect(await h.logCount()).toBe(0);
  });
});

describe('action_yield without a model', () => {
  it('answers extractively from the best priors and says no model is configured', async () => {
    h = await harness();
    const r = await callTool(h.client, 'action_yield', ARGS);
    expect(r.data).toEqual({
      answer: extractiveText(NO_MODEL_YIELD_HEADER),
      citations: EXTRACTIVE_CITATIONS,
      dropped_citations: [],
      should_continue: false,
      next_phase: null,
      generated: false,
      log_id: 1,
    });
    expect(await h.logRows()).toMatchObject([
      { outcome: 'extractive', reason: null, cited_ids: ['exp_1', 'exp_2', 'exp_3'] },
    ]);
  });

  it('says so when there is nothing to quote', async () => {
    h = await harness();
    const r = await callTool(h.client, 'action_yield', { ...ARGS, priors: [] });
    expect(r.data).toMatchObject({ answer: `${NO_MODEL_YIELD_HEADER}\n\n${NOTHING_FOUND}`, citations: [] });
  });
});

describe('action_yield input checks', () => {
  it('rejects bad input with INVALID_INPUT, never asks the model and writes nothing', async () => {
    let asked = 0;
    h = await harness({
      sampling: () => {
        asked++;
        return samplingText('x');
      },
    });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...ARGS, message: ' ' }, /message is empty/],
      [{ ...ARGS, cycle: 3, max_cycles: 2 }, /cycle 3 is past max_cycles 2/],
      [{ ...ARGS, cycle: 0 }, /cycle/],
      [{ ...ARGS, max_cycles: 21 }, /max_cycles/],
      [{ ...ARGS, priors: [...PRIORS, PRIORS[0]] }, /prior id exp_1 appears more than once/],
      [{ ...ARGS, priors: undefined }, /priors/],
      [{ ...ARGS, priors: [{ id: 'x', content: 'no score' }] }, /score/],
    ];
    for (const [args, message] of cases) {
      const r = await callTool(h.client, 'action_yield', args);
      expect(r.code).toBe('INVALID_INPUT');
      expect(r.text).toMatch(message);
    }
    expect(asked).toBe(0);
    expect(await h.logCount()).toBe(0);
  });
});
