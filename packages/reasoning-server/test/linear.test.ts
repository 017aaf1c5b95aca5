import { afterEach, describe, expect, it } from 'vitest';
import type { LinearOutput } from '../src/tools/linear.js';
import { type Harness, harness, scriptedModel } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('reasoning_linear without a model', () => {
  it('records the content as the thought, starting a session, and chains later thoughts', async () => {
    h = await harness();
    const first = await h.ok<LinearOutput>('reasoning_linear', { content: 'The user wants a haiku.' });
    expect(first).toMatchObject({
      thought: 'The user wants a haiku.',
      confidence: 0.5,
      confidence_source: 'default',
      generated: false,
      cached: false,
      seq: 1,
      parent_id: null,
      branch_id: null,
    });
    expect(first.session_id).toMatch(/^ses_/);
    expect(first.model).toBeUndefined();
    const second = await h.ok<LinearOutput>('reasoning_linear', {
      content: 'About autumn.',
      session_id: first.session_id,
      confidence: 0.9,
      thought_number: 2,
      total_thoughts: 3,
      next_thought_needed: true,
    });
    expect(second).toMatchObject({
      seq: 2,
      parent_id: first.thought_id,
      confidence: 0.9,
      confidence_source: 'caller',
      thought_number: 2,
      total_thoughts: 3,
      next_thought_needed: true,
    });
    const rows = await h.rows();
    expect(rows).toMatchObject({ sessions: 1, thoughts: 2, invocations: 2 });
  });

  it('says in its text that nothing was generated', async () => {
    h = await harness();
    const r = await h.call('reasoning_linear', { content: 'x' });
    expect(r.text).toContain('recorded as given (no model)');
  });

  it.each([
    ['an unknown session', { content: 'x', session_id: 'ses_nope' }, 'NOT_FOUND'],
    ['confidence above 1', { content: 'x', confidence: 1.5 }, 'INVALID_INPUT'],
    ['empty content', { content: '   ' }, 'INVALID_INPUT'],
    ['oversized content', { content: 'a'.repeat(100_001) }, 'INVALID_INPUT'],
    ['a branch without a session', { content: 'x', branch_id: 'br_x' }, 'INVALID_INPUT'],
  ])('refuses %s and writes nothing', async (_what, args, code) => {
    h = await harness();
    const before = await h.rows();
    const r = await h.call('reasoning_linear', args);
    expect(r.isError).toBe(true);
    expect(r.code).toBe(code);
    expect(await h.rows()).toEqual(before);
  });

  it('refuses an unknown branch in a real session', async () => {
    h = await harness();
    const s = await h.ok<LinearOutput>('reasoning_linear', { content: 'x' });
    const before = await h.rows();
    const r = await h.call('reasoning_linear', {
      content: 'y',
      session_id: s.session_id,
      branch_id: 'br_nope',
    });
    expect(r.code).toBe('NOT_FOUND');
    expect(await h.rows()).toEqual(before);
  });
});

describe('reasoning_linear with a model (sampling)', () => {
  it('generates the next step from content and history, with purpose "linear" and pipe variables', async () => {
    const model = scriptedModel({
      linear: (_p: unknown, n: number) => ({
        thought: `step ${n}`,
        confidence: 0.8,
        next_thought_needed: n < 2,
      }),
    });
    h = await harness({ model });
    const first = await h.ok<LinearOutput>('reasoning_linear', { content: 'Plan a trip' });
    expect(first).toMatchObject({
      thought: 'step 1',
      confidence: 0.8,
      confidence_source: 'model',
      generated: true,
      model: 'scripted-model',
      cached: false,
      next_thought_needed: true,
    });
    const second = await h.ok<LinearOutput>('reasoning_linear', {
      content: 'Plan a trip',
      session_id: first.session_id,
    });
    expect(second).toMatchObject({
      thought: 'step 2',
      next_thought_needed: false,
      parent_id: first.thought_id,
    });
    // The second prompt carries the first step as history.
    const prompt = JSON.stringify(model.calls[1]!.params.messages);
    expect(prompt).toContain('1. step 1');
    expect(model.purposes()).toEqual(['linear', 'linear']);
  });

  it('answers a repeated request from the cache, and no_cache asks the model again', async () => {
    const model = scriptedModel({
      linear: (_p: unknown, n: number) => ({ thought: `t${n}`, confidence: 0.7, next_thought_needed: true }),
    });
    h = await harness({ model });
    const a = await h.ok<LinearOutput>('reasoning_linear', { content: 'same question' });
    const b = await h.ok<LinearOutput>('reasoning_linear', { content: 'same question' });
    expect(b).toMatchObject({ thought: 't1', cached: true, generated: true });
    expect(b.session_id).not.toBe(a.session_id);
    const c = await h.ok<LinearOutput>('reasoning_linear', { content: 'same question', no_cache: true });
    expect(c).toMatchObject({ thought: 't2', cached: false });
    expect(model.calls).toHaveLength(2);
  });

  it('does not answer from an expired cache entry', async () => {
    const model = scriptedModel({
      linear: (_p: unknown, n: number) => ({ thought: `t${n}`, confidence: 0.7, next_thought_needed: true }),
    });
    h = await harness({ model, env: { REASONING_CACHE_TTL_SECONDS: '60' } });
    await h.ok('reasoning_linear', { content: 'q' });
    const [entry] = (await h.store.client.execute('SELECT expires_at FROM server_cache')).rows;
    expect(Number(entry!.expires_at) - Date.now()).toBeGreaterThan(50_000);
    await h.store.client.execute('UPDATE server_cache SET expires_at = 1');
    const again = await h.ok<LinearOutput>('reasoning_linear', { content: 'q' });
    expect(again).toMatchObject({ thought: 't2', cached: false });
  });

  it('does not cache when REASONING_CACHE_TTL_SECONDS is 0', async () => {
    const model = scriptedModel({
      linear: (_p: unknown, n: number) => ({ thought: `t${n}`, confidence: 0.7, next_thought_needed: true }),
    });
    h = await harness({ model, env: { REASONING_CACHE_TTL_SECONDS: '0' } });
    await h.ok('reasoning_linear', { content: 'q' });
    const again = await h.ok<LinearOutput>('reasoning_linear', { content: 'q' });
    expect(again).toMatchObject({ thought: 't2', cached: false });
    expect((await h.rows()).server_cache).toBe(0);
  });

  it('records as given with record_only, without asking the model', async () => {
    const model = scriptedModel({});
    h = await harness({ model });
    const r = await h.ok<LinearOutput>('reasoning_linear', { content: 'my own thought', record_only: true });
    expect(r).toMatchObject({ thought: 'my own thought', generated: false });
    expect(model.calls).toHaveLength(0);
  });

  it('fails with MODEL_UNAVAILABLE when the model answers nonsense twice, and stores no thought', async () => {
    const model = scriptedModel({ linear: 'I would rather not answer in JSON.' });
    h = await harness({ model });
    const r = await h.call('reasoning_linear', { content: 'q' });
    expect(r.isError).toBe(true);
    expect(r.code).toBe('MODEL_UNAVAILABLE');
    expect(model.calls).toHaveLength(2); // the answer and its one repair attempt
    expect(await h.rows()).toMatchObject({ sessions: 0, thoughts: 0, invocations: 1 });
  });
});
