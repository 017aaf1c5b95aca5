import { callTool, samplingText } from '@choir/server-kit/testing';
import type { ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from './setup.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const QUESTION = 'Do you mean Paris in France or Paris in Texas?';
const MESSAGE = 'How big is Paris?';

describe('action_followup through elicitation', () => {
  it('returns the answer the user accepted with', async () => {
    const asked: ElicitRequest['params'][] = [];
    h = await harness({
      sampling: () => samplingText(`  ${QUESTION}\n`),
      elicitation: (params) => {
        asked.push(params);
        return { action: 'accept', content: { answer: ' France ' } };
      },
    });
    const r = await callTool(h.client, 'action_followup', { message: MESSAGE, conversation_id: 'c9' });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      question: QUESTION,
      question_source: 'model',
      generated: true,
      model: 'scripted-model',
      via: 'sampling',
      asked: true,
      outcome: 'answered',
      answer: 'France',
      log_id: 1,
    });
    expect(r.text).toBe(`Asked: ${QUESTION}\nThe user answered: France`);
    expect(asked).toEqual([
      {
        mode: 'form',
        message: QUESTION,
        requestedSchema: {
          type: 'object',
          properties: { answer: { type: 'string', title: 'Your answer', minLength: 1, maxLength: 2000 } },
          required: ['answer'],
        },
      },
    ]);
    expect(await h.logRows()).toMatchObject([
      { phase: 'followup', outcome: 'generated', conversation_id: 'c9', output: QUESTION },
    ]);
  });

  it('reports a declined question', async () => {
    h = await harness({ sampling: () => samplingText(QUESTION), elicitation: () => ({ action: 'decline' }) });
    const r = await callTool(h.client, 'action_followup', { message: MESSAGE });
    expect(r.data).toMatchObject({ asked: true, outcome: 'declined', question: QUESTION });
    expect(r.data).not.toHaveProperty('answer');
    expect(r.text).toContain('declined');
  });

  it('reports a cancelled question', async () => {
    h = await harness({ sampling: () => samplingText(QUESTION), elicitation: () => ({ action: 'cancel' }) });
    const r = await callTool(h.client, 'action_followup', { message: MESSAGE });
    expect(r.data).toMatchObject({ asked: true, outcome: 'cancelled' });
    expect(r.data).not.toHaveProperty('answer');
  });

  it('offers candidates as a choice and returns the chosen one with the note', async () => {
    const asked: ElicitRequest['params'][] = [];
    h = await harness({
      elicitation: (params) => {
        asked.push(params);
        return { action: 'accept', content: { choice: 'Paris, Texas', details: 'the town' } };
      },
    });
    const r = await callTool(h.client, 'action_followup', {
      message: MESSAGE,
      candidates: ['Paris, France', 'Paris, Texas'],
    });
    expect(r.data).toEqual({
      question: 'Which did you mean: (1) Paris, France, (2) Paris, Texas?',
      question_source: 'candidates',
      generated: false,
      asked: true,
      outcome: 'answered',
      answer: 'Paris, Texas — the town',
      choice: 'Paris, Texas',
      log_id: 1,
    });
    const schema = (asked[0] as { requestedSchema: { properties: Record<string, { enum?: string[] }> } })
      .requestedSchema;
    expect(schema.properties.choice!.enum).toEqual(['Paris, France', 'Paris, Texas']);
    expect(await h.logRows()).toMatchObject([{ phase: 'followup', outcome: 'extractive', generated: false }]);
  });

  it('does not take an answer that breaks the form it asked for', async () => {
    h = await harness({
      elicitation: () => ({ action: 'accept', content: { choice: 'Paris, Peru' } }),
    });
    const r = await callTool(h.client, 'action_followup', {
      message: MESSAGE,
      candidates: ['Paris, France', 'Paris, Texas'],
    });
    expect(r.data).toMatchObject({ asked: false, outcome: 'not_asked' });
    expect(r.data.not_asked_reason).toMatch(/^elicitation failed: /);
  });

  it("asks the caller's own question without a model and does not log it", async () => {
    h = await harness({ elicitation: () => ({ action: 'accept', content: { answer: 'Texas' } }) });
    const r = await callTool(h.client, 'action_followup', { message: MESSAGE, question: QUESTION });
    expect(r.data).toMatchObject({
      question: QUESTION,
      question_source: 'caller',
      generated: false,
      answer: 'Texas',
      log_id: null,
    });
    expect(await h.logCount()).toBe(0);
  });
});

describe('action_followup without elicitation', () => {
  it('returns the question for the caller to ask', async () => {
    h = await harness({ sampling: () => samplingText(QUESTION) });
    const r = await callTool(h.client, 'action_followup', { message: MESSAGE });
    expect(r.data).toMatchObject({
      question: QUESTION,
      asked: false,
      outcome: 'not_asked',
      not_asked_reason: 'the client does not support elicitation',
    });
    expect(r.text).toBe(
      `Clarifying question (not asked: the client does not support elicitation): ${QUESTION}`,
    );
  });

  it('does not ask when ask_user is false', async () => {
    let elicited = 0;
    h = await harness({
      sampling: () => samplingText(QUESTION),
      elicitation: () => {
        elicited++;
        return { action: 'decline' };
      },
    });
    const r = await callTool(h.client, 'action_followup', { message: MESSAGE, ask_user: false });
    expect(r.data).toMatchObject({ outcome: 'not_asked', not_asked_reason: 'ask_user is false' });
    expect(elicited).toBe(0);
  });
});

describe('action_followup failures and bad input', () => {
  it('needs a model, a question or candidates', async () => {
    h = await harness();
    const r = await callTool(h.client, 'action_followup', { message: MESSAGE });
    expect(r.code).toBe('MODEL_UNAVAILABLE');
    expect(r.text).toContain('Pass `question` or `candidates`');
    expect(await h.logCount()).toBe(0);
  });

  it('reports a model that times out', async () => {
    h = await harness({
      sampling: () => new Promise((resolve) => setTimeout(() => resolve(samplingText('late')), 1_500)),
      env: { REQUEST_TIMEOUT_MS: '150' },
    });
    const r = await callTool(h.client, 'action_followup', { message: MESSAGE });
    expect(r.code).toBe('TIMEOUT');
    expect(await h.logRows()).toMatchObject([{ phase: 'followup', outcome: 'failed' }]);
  });

  it('rejects bad input with INVALID_INPUT and writes nothing', async () => {
    h = await harness({ sampling: () => samplingText(QUESTION) });
    for (const args of [
      { message: '' },
      { message: MESSAGE, question: '  ' },
      { message: MESSAGE, candidates: ['a', ' a '] },
      { message: MESSAGE, candidates: ['a', '  '] },
      { message: MESSAGE, candidates: Array.from({ length: 11 }, (_, i) => `c${i}`) },
    ]) {
      const r = await callTool(h.client, 'action_followup', args);
      expect(r.code, JSON.stringify(args)).toBe('INVALID_INPUT');
    }
    expect(await h.logCount()).toBe(0);
  });
});
