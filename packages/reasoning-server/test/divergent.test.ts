import { afterEach, describe, expect, it } from 'vitest';
import type { DivergentOutput } from '../src/tools/divergent.js';
import { type Harness, harness, scriptedModel } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('reasoning_divergent', () => {
  it('generates perspectives, challenged assumptions and a synthesis (purpose "divergent")', async () => {
    const model = scriptedModel({
      divergent: {
        perspectives: [
          { label: 'Economist', content: 'Costs matter', confidence: 0.7 },
          { label: 'Engineer', content: 'Feasibility matters', confidence: 0.6 },
        ],
        challenged_assumptions: ['that cars are needed'],
        synthesis: 'Cheap and feasible wins',
      },
    });
    h = await harness({ model });
    const r = await h.ok<DivergentOutput>('reasoning_divergent', {
      content: 'How should a city reduce traffic?',
      num_perspectives: 2,
      challenge_assumptions: true,
    });
    expect(r.generated).toBe(true);
    expect(r.perspectives.map((p) => [p.label, p.content, p.confidence])).toEqual([
      ['Economist', 'Costs matter', 0.7],
      ['Engineer', 'Feasibility matters', 0.6],
    ]);
    expect(r.challenged_assumptions).toEqual(['that cars are needed']);
    expect(r.synthesis?.content).toBe('Cheap and feasible wins');
    expect(model.calls[0]!.params.systemPrompt).toContain('challenge them');
    // root + 2 perspectives + synthesis
    expect(await h.rows()).toMatchObject({ thoughts: 4 });
  });

  it('records supplied perspectives without a model', async () => {
    h = await harness();
    const r = await h.ok<DivergentOutput>('reasoning_divergent', {
      content: 'Traffic',
      perspectives: [{ label: 'Cyclist', content: 'More lanes' }, { content: 'Fewer cars' }],
    });
    expect(r).toMatchObject({ generated: false, synthesis: null, challenged_assumptions: [] });
    expect(r.perspectives.map((p) => p.label)).toEqual(['Cyclist', 'Perspective 2']);
  });

  it('is MODEL_UNAVAILABLE without a model or perspectives, storing nothing', async () => {
    h = await harness();
    const r = await h.call('reasoning_divergent', { content: 'Traffic' });
    expect(r.code).toBe('MODEL_UNAVAILABLE');
    expect(await h.rows()).toMatchObject({ sessions: 0, thoughts: 0 });
  });

  it('refuses num_perspectives out of range and an unknown session, writing nothing', async () => {
    h = await harness();
    const before = await h.rows();
    expect((await h.call('reasoning_divergent', { content: 'x', num_perspectives: 6 })).code).toBe(
      'INVALID_INPUT',
    );
    expect((await h.call('reasoning_divergent', { content: 'x', num_perspectives: 1 })).code).toBe(
      'INVALID_INPUT',
    );
    expect(
      (
        await h.call('reasoning_divergent', {
          content: 'x',
          session_id: 'ses_nope',
          perspectives: [{ content: 'a' }, { content: 'b' }],
        })
      ).code,
    ).toBe('NOT_FOUND');
    expect(await h.rows()).toEqual(before);
  });
});
