import { afterEach, describe, expect, it } from 'vitest';
import type { LinearOutput } from '../src/tools/linear.js';
import type { ReflectOutput } from '../src/tools/reflect.js';
import { type Harness, harness, type Params, scriptedModel } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const promptOf = (p: Params) => JSON.stringify(p.messages);

describe('reasoning_reflect with a model', () => {
  it('iterates on its own improvement until the threshold (purpose "reflection")', async () => {
    const model = scriptedModel({
      reflection: (_p: unknown, n: number) =>
        n === 1
          ? { critique: 'too vague', improved: 'draft v2', quality: 0.5 }
          : { critique: 'good now', improved: 'draft v3', quality: 0.9 },
    });
    h = await harness({ model });
    const r = await h.ok<ReflectOutput>('reasoning_reflect', { content: 'draft v1', quality_threshold: 0.8 });
    expect(r).toMatchObject({
      critique: 'good now',
      improved: 'draft v3',
      quality: 0.9,
      iterations: 2,
      reached_threshold: true,
      stop_reason: 'threshold',
      generated: true,
      model: 'scripted-model',
      rounds: [
        { iteration: 1, quality: 0.5, critique: 'too vague' },
        { iteration: 2, quality: 0.9, critique: 'good now' },
      ],
    });
    expect(promptOf(model.calls[1]!.params)).toContain('draft v2');
    // The content is stored as the input thought and the improvement as its child.
    const session = await h.ok<{
      thoughts: { thought_id: string; kind: string; parent_id: string | null; content: string }[];
    }>('reasoning_session_get', { session_id: r.session_id });
    expect(session.thoughts.map((t) => [t.kind, t.content])).toEqual([
      ['input', 'draft v1'],
      ['improved', 'draft v3'],
    ]);
    expect(session.thoughts[1]!.parent_id).toBe(r.source_thought_id);
  });

  it('stops at max_iterations and reports the best round', async () => {
    const model = scriptedModel({
      reflection: (_p: unknown, n: number) => ({
        critique: `c${n}`,
        improved: `v${n + 1}`,
        quality: n === 1 ? 0.6 : 0.4,
      }),
    });
    h = await harness({ model });
    const r = await h.ok<ReflectOutput>('reasoning_reflect', {
      content: 'v1',
      max_iterations: 2,
      quality_threshold: 0.95,
    });
    expect(r).toMatchObject({
      iterations: 2,
      stop_reason: 'max_iterations',
      reached_threshold: false,
      improved: 'v2',
      quality: 0.6,
    });
  });

  it('reflects on a stored thought, in its session', async () => {
    const model = scriptedModel({
      reflection: { critique: 'ok', improved: 'better thought', quality: 0.85 },
    });
    h = await harness({ model });
    const t = await h.ok<LinearOutput>('reasoning_linear', { content: 'a thought', record_only: true });
    const r = await h.ok<ReflectOutput>('reasoning_reflect', { thought_id: t.thought_id });
    expect(r).toMatchObject({
      session_id: t.session_id,
      source_thought_id: t.thought_id,
      improved: 'better thought',
    });
    expect(promptOf(model.calls[0]!.params)).toContain('a thought');
    expect(await h.rows()).toMatchObject({ sessions: 1, thoughts: 2 });
  });
});

describe('reasoning_reflect refusals', () => {
  it('is MODEL_UNAVAILABLE without a model and stores nothing', async () => {
    h = await harness();
    const r = await h.call('reasoning_reflect', { content: 'draft' });
    expect(r.code).toBe('MODEL_UNAVAILABLE');
    expect(r.text).toContain('Hint:');
    expect(await h.rows()).toMatchObject({ sessions: 0, thoughts: 0 });
  });

  it.each([
    ['neither content nor thought_id', {}, 'INVALID_INPUT'],
    ['max_iterations 0', { content: 'x', max_iterations: 0 }, 'INVALID_INPUT'],
    ['max_iterations 6', { content: 'x', max_iterations: 6 }, 'INVALID_INPUT'],
    ['quality_threshold 2', { content: 'x', quality_threshold: 2 }, 'INVALID_INPUT'],
    ['an unknown thought', { thought_id: 'th_nope' }, 'NOT_FOUND'],
    ['an unknown session', { content: 'x', session_id: 'ses_nope' }, 'NOT_FOUND'],
  ])('refuses %s and writes nothing', async (_what, args, code) => {
    const model = scriptedModel({});
    h = await harness({ model });
    const before = await h.rows();
    expect((await h.call('reasoning_reflect', args)).code).toBe(code);
    expect(await h.rows()).toEqual(before);
    expect(model.calls).toHaveLength(0);
  });
});
