import type { LanguageModel, TextRequest } from '@choir/llm';
import { callTool, samplingText } from '@choir/server-kit/testing';
import type { CreateMessageRequest } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_MODEL_RESPOND_HEADER } from '../src/extractive.js';
import { type Harness, harness, PRIORS, slowSampling } from './setup.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('action_respond with a model (sampling)', () => {
  it('answers from the persona, context and message, streams the text as progress and logs it', async () => {
    const seen: CreateMessageRequest['params'][] = [];
    h = await harness({
      sampling: (params) => {
        seen.push(params);
        return samplingText('It was finished in 1889.');
      },
    });
    const progress: { progress: number; message?: string }[] = [];
    const r = await callTool(
      h.client,
      'action_respond',
      {
        message: 'When was the Eiffel Tower built?',
        persona_prompt: 'You are Aria.',
        context: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello!' },
        ],
        priors: PRIORS,
        conversation_id: 'conv-1',
      },
      { onprogress: (p) => progress.push(p) },
    );
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({
      text: 'It was finished in 1889.',
      generated: true,
      model: 'scripted-model',
      via: 'sampling',
    });
    expect(progress).toEqual([{ progress: 1, message: 'It was finished in 1889.' }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.systemPrompt).toMatch(/^You are Aria\.\n\nGive a short first answer/);
    expect(seen[0]!.systemPrompt).toContain('[exp_1] The Eiffel Tower was finished in 1889');
    expect(seen[0]!.messages.map((m) => [m.role, (m.content as { text: string }).text])).toEqual([
      ['user', 'Hi'],
      ['assistant', 'Hello!'],
      ['user', 'When was the Eiffel Tower built?'],
    ]);
    expect(seen[0]!.maxTokens).toBe(400);

    const [row] = await h.logRows();
    expect(row).toMatchObject({
      id: r.data.log_id,
      phase: 'action',
      outcome: 'generated',
      generated: true,
      via: 'sampling',
      model: 'scripted-model',
      conversation_id: 'conv-1',
      output: 'It was finished in 1889.',
    });
    expect(row!.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('sends no progress without a progress token', async () => {
    h = await harness({ sampling: () => samplingText('Short.') });
    const r = await h.client.callTool({ name: 'action_respond', arguments: { message: 'q' } });
    expect(r.structuredContent).toMatchObject({ text: 'Short.', generated: true });
  });

  it('reports an empty model answer as MODEL_UNAVAILABLE and logs the failure', async () => {
    h = await harness({ sampling: () => samplingText('   ') });
    const r = await callTool(h.client, 'action_respond', { message: 'q' });
    expect(r.isError).toBe(true);
    expect(r.code).toBe('MODEL_UNAVAILABLE');
    expect(r.text).toContain('empty answer');
    expect(await h.logRows()).toMatchObject([{ phase: 'action', outcome: 'failed', generated: false }]);
  });

  it('reports a model that does not answer in time as TIMEOUT', async () => {
    h = await harness({ sampling: slowSampling(), env: { REQUEST_TIMEOUT_MS: '150' } });
    const r = await callTool(h.client, 'action_respond', { message: 'q' });
    expect(r.code).toBe('TIMEOUT');
    expect(r.text).toContain('150 ms');
    const [row] = await h.logRows();
    expect(row).toMatchObject({ outcome: 'failed' });
    expect(row!.reason).toMatch(/^TIMEOUT: /);
  });
});

describe('action_respond with a streaming provider', () => {
  it('sends each delta as its own progress notification, in order', async () => {
    const requests: TextRequest[] = [];
    const deltas = ['The tower ', 'opened ', 'in 1889.'];
    const model: LanguageModel = {
      provider: 'openai-compatible',
      model: 'fake-stream',
      generateText: async () => {
        throw new Error('not used');
      },
      streamText(request) {
        requests.push(request);
        async function* gen() {
          for (const d of deltas) yield d;
        }
        return {
          textStream: gen(),
          result: Promise.resolve({
            text: deltas.join(''),
            model: 'fake-stream',
            usage: { inputTokens: 12, outputTokens: 5 },
          }),
        };
      },
    };
    h = await harness({ model });
    const progress: { progress: number; message?: string }[] = [];
    const r = await callTool(
      h.client,
      'action_respond',
      { message: 'q' },
      { onprogress: (p) => progress.push(p) },
    );
    expect(r.data).toMatchObject({
      text: 'The tower opened in 1889.',
      generated: true,
      via: 'provider',
      model: 'fake-stream',
      usage: { input_tokens: 12, output_tokens: 5 },
    });
    expect(progress).toEqual([
      { progress: 1, message: 'The tower ' },
      { progress: 2, message: 'opened ' },
      { progress: 3, message: 'in 1889.' },
    ]);
    expect(requests[0]!.purpose).toBe('action');
    expect(await h.logRows()).toMatchObject([{ input_tokens: 12, output_tokens: 5, via: 'provider' }]);
  });
});

describe('action_respond without a model', () => {
  it('says no model is configured and what was found, generated: false', async () => {
    h = await harness();
    const r = await callTool(h.client, 'action_respond', { message: 'When?', priors: PRIORS });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      text:
        `${NO_MODEL_RESPOND_HEADER} What the system found:\n\n` +
        '1. "The Eiffel Tower was finished in 1889 for the World Fair." [exp_1]\n' +
        '2. "Gustave Eiffel\'s company designed and built the tower." [exp_2]\n' +
        '3. "Paris has about two million inhabitants." [exp_3]',
      generated: false,
      log_id: 1,
    });
    expect(await h.logRows()).toMatchObject([
      { phase: 'action', outcome: 'extractive', generated: false, cited_ids: ['exp_1', 'exp_2', 'exp_3'] },
    ]);
  });

  it('says plainly when nothing was found either', async () => {
    h = await harness();
    const r = await callTool(h.client, 'action_respond', { message: 'When?' });
    expect(r.data.text).toBe(`${NO_MODEL_RESPOND_HEADER}\n\nNo stored passages were given to this step.`);
  });
});

describe('action_respond input checks', () => {
  it('rejects bad input with INVALID_INPUT and writes nothing', async () => {
    h = await harness({ sampling: () => samplingText('never used') });
    for (const args of [
      {},
      { message: '   ' },
      { message: 'q', context: [{ role: 'system', content: 'x' }] },
      { message: 'q', priors: [{ id: '', score: 1, content: 'x' }] },
      { message: 'x'.repeat(100_001) },
    ]) {
      const r = await callTool(h.client, 'action_respond', args);
      expect(r.code, JSON.stringify(args).slice(0, 80)).toBe('INVALID_INPUT');
    }
    expect(await h.logCount()).toBe(0);
  });
});
