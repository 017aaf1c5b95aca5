import { PHASES, type PhaseEvent, PhaseEvent as PhaseEventSchema, type PhaseName } from '@choir/contracts';
import { describe, expect, it } from 'vitest';
import { newConversation } from '../../src/conversation/state.js';
import { DeltaRouter, mergePriors, runTurn, type TurnSettings } from '../../src/postchain/driver.js';
import type { FinalAnswer } from '../../src/postchain/types.js';
import { err, FakeCaller, noModelAnswers, ok } from './fake-caller.js';

const on = Object.fromEntries(PHASES.map((p) => [p, true])) as Record<PhaseName, boolean>;
const settings: TurnSettings = {
  persona: 'aria',
  maxCycles: 2,
  phases: on,
  timeouts: {
    action: 2000,
    experience: 2000,
    intention: 2000,
    observation: 2000,
    understanding: 2000,
    yield: 2000,
    persist: 2000,
  },
};
const fixedNow = () => new Date('2025-06-01T12:00:00.000Z');

async function turn(
  caller: FakeCaller,
  options: { settings?: TurnSettings; signal?: AbortSignal; deltas?: DeltaRouter; message?: string } = {},
) {
  const events: PhaseEvent[] = [];
  const state = newConversation({ id: 'c1', persona: 'aria', maxCycles: 2, now: fixedNow() });
  const result = await runTurn(state, options.message ?? 'what cache do we use?', {
    caller,
    settings: options.settings ?? settings,
    emit: (e) => events.push(PhaseEventSchema.parse(e)),
    now: fixedNow,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.deltas ? { deltas: options.deltas } : {}),
  });
  return { events, result };
}

const statuses = (events: PhaseEvent[]) =>
  events.filter((e) => e.status !== 'delta').map((e) => `${e.phase}:${e.status}`);

describe('runTurn', () => {
  it('runs the six phases in order, ends with the final Yield event, and writes the turn afterwards', async () => {
    const caller = new FakeCaller({
      ...noModelAnswers(),
      action_yield: ok({
        answer: 'From memory: the cache uses LRU [e1].',
        citations: [{ prior_id: 'e1' }],
        dropped_citations: [],
        should_continue: false,
        next_phase: null,
        generated: true,
        model: 'scripted',
      }),
    });
    const { events, result } = await turn(caller);
    expect(statuses(events)).toEqual(PHASES.flatMap((p) => [`${p}:running`, `${p}:complete`]));
    const last = events[events.length - 1]!;
    expect(last.output).toMatchObject({
      final: true,
      source: 'yield',
      answer: 'From memory: the cache uses LRU [e1].',
    });
    expect(events.every((e) => e.conversation_id === 'c1' && e.turn === 0 && e.cycle === 1)).toBe(true);
    expect(result.final.citations).toEqual([{ prior_id: 'e1' }]);
    // Understanding's rule kept e1 and e2, so Yield saw only those.
    expect((caller.argsOf('action_yield')!.priors as { id: string }[]).map((p) => p.id)).toEqual([
      'e1',
      'e2',
    ]);
    // After the turn: history, both experiences, the citation, the persona.
    expect(caller.count('history_append')).toBe(1);
    expect(caller.calls.filter((c) => c.tool === 'experience_record').map((c) => c.args.role)).toEqual([
      'user',
      'assistant',
    ]);
    expect(caller.argsOf('experience_record')).toMatchObject({
      content: 'what cache do we use?',
      thread_id: 'c1',
      tags: ['cache'],
      links: [{ target_id: 'e1', type: 'relates', weight: 0.4 }],
    });
    expect(caller.argsOf('experience_cite')).toEqual({ citing_id: 'e_answer', cited_ids: ['e1'] });
    expect(caller.argsOf('persona_record_interaction')).toMatchObject({
      persona: 'aria',
      with: 'user',
      quality: 1,
    });
    expect(result.persisted).toMatchObject({
      user_experience_id: 'e_user',
      answer_experience_id: 'e_answer',
      citations_recorded: 1,
      warnings: [],
    });
    // The new state holds the turn, and the reasoning session for the next one.
    expect(result.state.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(result.state.reasoning_session_id).toBe('s1');
    expect(result.state.turns[0]!.phases).toHaveLength(6);
  });

  it('keeps a no-model answer out of memory: only the user message is recorded, no citation', async () => {
    const caller = new FakeCaller(noModelAnswers());
    const { result } = await turn(caller);
    expect(result.final).toMatchObject({ source: 'yield', generated: false });
    expect(caller.calls.filter((c) => c.tool === 'experience_record').map((c) => c.args.role)).toEqual([
      'user',
    ]);
    expect(caller.count('experience_cite')).toBe(0);
    expect(caller.count('history_append')).toBe(1);
  });

  it('reports a failed phase and still ends with an answer', async () => {
    const caller = new FakeCaller({
      ...noModelAnswers(),
      experience_search: err('SERVER_EXITED', 'server experience exited'),
    });
    const { events, result } = await turn(caller);
    const failed = events.find((e) => e.phase === 'experience' && e.status === 'error')!;
    expect(failed.error).toEqual({
      code: 'SERVER_EXITED',
      message: 'experience_search: server experience exited',
    });
    expect(statuses(events).at(-1)).toBe('yield:complete');
    expect(result.final.source).toBe('yield');
  });

  it('times a phase out at its own limit and goes on', async () => {
    const caller = new FakeCaller({ ...noModelAnswers(), reasoning_linear: () => new Promise(() => {}) });
    const { events } = await turn(caller, {
      settings: { ...settings, timeouts: { ...settings.timeouts, intention: 50 } },
    });
    const timedOut = events.find((e) => e.phase === 'intention' && e.status === 'error')!;
    expect(timedOut.error?.code).toBe('TIMEOUT');
    expect(timedOut.error?.message).toContain('the intention phase passed its 50 ms limit');
    expect(events.some((e) => e.phase === 'observation' && e.status === 'complete')).toBe(true);
  });

  it('falls back to the Action answer, clearly marked, when Yield fails', async () => {
    const caller = new FakeCaller({ ...noModelAnswers(), action_yield: err('INTERNAL', 'boom') });
    const { events, result } = await turn(caller);
    const last = events.at(-1)!;
    expect(last).toMatchObject({
      phase: 'yield',
      status: 'error',
      error: { code: 'INTERNAL', message: 'action_yield: boom' },
    });
    expect(last.output as FinalAnswer).toMatchObject({
      final: true,
      source: 'action_fallback',
      answer: 'No model is configured.',
    });
    // A no-model fallback notice is not memory: only the user's message is recorded.
    expect(caller.calls.filter((c) => c.tool === 'experience_record')).toHaveLength(1);
    expect(result.persisted?.answer_experience_id).toBeUndefined();
  });

  it('runs another cycle when Yield asks, up to maxCycles', async () => {
    const caller = new FakeCaller({
      ...noModelAnswers(),
      action_yield: (args) =>
        ok({
          answer: `pass ${args.cycle}`,
          citations: [],
          dropped_citations: [],
          should_continue: true,
          next_phase: 'action',
          generated: true,
        }),
    });
    const { events, result } = await turn(caller);
    expect(caller.count('action_respond')).toBe(2);
    const yields = events.filter((e) => e.phase === 'yield' && e.status === 'complete');
    expect(yields.map((e) => [e.cycle, (e.output as { final: boolean }).final])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(result.final.answer).toBe('pass 2');
    expect(result.turn.cycles).toBe(2);
    // Cycle 2 searches with the first pass's answer too, and Action sees cycle 1's priors.
    expect(caller.calls.filter((c) => c.tool === 'experience_search')[1]!.args.query).toBe(
      'what cache do we use?\n\npass 1',
    );
    expect(caller.calls.filter((c) => c.tool === 'action_respond')[1]!.args.priors).toHaveLength(3);
  });

  it('skips switched-off phases with a skipped event', async () => {
    const caller = new FakeCaller(noModelAnswers());
    const { events } = await turn(caller, { settings: { ...settings, phases: { ...on, intention: false } } });
    expect(events.find((e) => e.phase === 'intention')).toMatchObject({
      status: 'skipped',
      text: 'switched off',
    });
    expect(caller.count('reasoning_linear')).toBe(0);
  });

  it('stops at a cancelled turn, reports CANCELLED and saves nothing', async () => {
    const controller = new AbortController();
    const caller = new FakeCaller({
      ...noModelAnswers(),
      reasoning_linear: () => {
        setTimeout(() => controller.abort(), 10);
        return new Promise(() => {});
      },
    });
    const { events, result } = await turn(caller, { signal: controller.signal });
    expect(events.find((e) => e.phase === 'intention' && e.status === 'error')?.error?.code).toBe(
      'CANCELLED',
    );
    expect(events.some((e) => e.phase === 'observation')).toBe(false);
    expect(events.at(-1)).toMatchObject({ phase: 'yield', status: 'error', error: { code: 'CANCELLED' } });
    expect(result.cancelled).toBe(true);
    expect(caller.count('history_append') + caller.count('experience_record')).toBe(0);
    expect(result.state.turns).toHaveLength(0);
  });

  it('streams the model’s own deltas and drops the tool’s progress echo of the same text', async () => {
    const deltas = new DeltaRouter();
    const caller = new FakeCaller({
      ...noModelAnswers(),
      action_respond: (_args, options) => {
        deltas.push('Hel');
        deltas.push('lo');
        options.onProgressText?.('Hello');
        return { text: 'Hello', generated: true };
      },
    });
    const { events } = await turn(caller, { deltas });
    expect(events.filter((e) => e.status === 'delta').map((e) => [e.phase, e.text])).toEqual([
      ['action', 'Hel'],
      ['action', 'lo'],
    ]);
  });

  it('merges priors of several cycles by id, keeping the best score', () => {
    const a = { id: 'a', score: 0.1, scores: {}, content: 'a' };
    const b = { id: 'b', score: 0.3, scores: {}, content: 'b' };
    expect(mergePriors([a], [{ ...a, score: 0.5 }, b]).map((p) => [p.id, p.score])).toEqual([
      ['a', 0.5],
      ['b', 0.3],
    ]);
  });
});
