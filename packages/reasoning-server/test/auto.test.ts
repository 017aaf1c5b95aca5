import { afterEach, describe, expect, it } from 'vitest';
import type { AutoOutput } from '../src/tools/auto.js';
import { type Harness, harness, scriptedModel } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const branches = {
  branches: [
    { content: 'Rent', confidence: 0.6, rationale: 'flexible' },
    { content: 'Buy', confidence: 0.5, rationale: 'equity' },
    { content: 'Wait', confidence: 0.3, rationale: 'prices' },
  ],
  cross_refs: [],
  recommended: 0,
};

describe('reasoning_auto with a model', () => {
  it('runs the mode the router chose and reports why', async () => {
    const model = scriptedModel({
      auto: { mode: 'tree', reason: 'a decision between options', confidence: 0.9 },
      tree: branches,
    });
    h = await harness({ model });
    const r = await h.ok<AutoOutput>('reasoning_auto', { content: 'Rent or buy a flat?' });
    expect(r).toMatchObject({
      mode: 'tree',
      reason: 'a decision between options',
      confidence: 0.9,
      routed_by: 'model',
      executed: true,
      generated: true,
      model: 'scripted-model',
    });
    expect((r.result as { branches: unknown[] }).branches).toHaveLength(3);
    expect(r.session_id).toBe((r.result as { session_id: string }).session_id);
    expect(model.purposes()).toEqual(['auto', 'tree']);
  });

  it('treats an invalid route as an error (after one repair), running nothing', async () => {
    const model = scriptedModel({ auto: { mode: 'banana', reason: 'why not', confidence: 1 } });
    h = await harness({ model });
    const r = await h.call('reasoning_auto', { content: 'Rent or buy?' });
    expect(r.isError).toBe(true);
    expect(r.code).toBe('MODEL_UNAVAILABLE');
    expect(r.text).toContain('routing failed, so no mode was run');
    expect(model.purposes()).toEqual(['auto', 'auto']);
    expect(await h.rows()).toMatchObject({ sessions: 0, thoughts: 0, branches: 0 });
  });
});

describe('reasoning_auto without a model', () => {
  it('routes by the stated rule and runs linear in record mode', async () => {
    h = await harness();
    const r = await h.ok<AutoOutput>('reasoning_auto', { content: 'What is 17 times 23?' });
    expect(r).toMatchObject({
      mode: 'linear',
      routed_by: 'rule',
      executed: true,
      generated: false,
      confidence: null,
    });
    expect(r.result).toMatchObject({ thought: 'What is 17 times 23?', generated: false });
  });

  it('reports a mode it cannot run without a model, and writes no thought', async () => {
    h = await harness();
    const r = await h.call<AutoOutput>('reasoning_auto', { content: 'Compare rent and buy' });
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({
      mode: 'tree',
      reason: 'rule: "Compare" weighs options against each other',
      executed: false,
      result: null,
      session_id: null,
      generated: false,
    });
    expect(r.text).toContain('Call reasoning_tree');
    expect(await h.rows()).toMatchObject({ sessions: 0, thoughts: 0 });
  });

  it('refuses an unknown session', async () => {
    h = await harness();
    const before = await h.rows();
    expect((await h.call('reasoning_auto', { content: 'x', session_id: 'ses_nope' })).code).toBe('NOT_FOUND');
    expect(await h.rows()).toEqual(before);
  });
});
