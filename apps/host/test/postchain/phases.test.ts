import type { Prior } from '@choir/contracts';
import { describe, expect, it } from 'vitest';
import { contextFromHistory, runAction } from '../../src/postchain/phases/action.js';
import { runExperience } from '../../src/postchain/phases/experience.js';
import { intentionFraming, runIntention } from '../../src/postchain/phases/intention.js';
import { runObservation } from '../../src/postchain/phases/observation.js';
import { runUnderstanding } from '../../src/postchain/phases/understanding.js';
import { priorsForYield, runYield } from '../../src/postchain/phases/yield.js';
import { type PhaseContext, PhaseFailure } from '../../src/postchain/types.js';
import { err, FakeCaller, noModelAnswers, ok } from './fake-caller.js';

function ctxFor(caller: FakeCaller): PhaseContext & { deltas: string[] } {
  const deltas: string[] = [];
  return {
    deltas,
    emitDelta: (text) => deltas.push(text),
    call: (tool, args, options) => caller.call(tool, args, options ?? {}),
  };
}

const priors: Prior[] = [
  { id: 'e1', score: 0.03, scores: {}, content: 'the cache uses LRU' },
  { id: 'e2', score: 0.02, scores: {}, content: 'cache size is 100' },
  { id: 'e3', score: 0.01, scores: {}, content: 'unrelated note' },
];

describe('Action phase', () => {
  const input = { conversationId: 'c1', message: 'what cache?', persona: 'aria', memory: [] };

  it('gives action_respond the persona prompt and the history window, and streams progress text', async () => {
    const caller = new FakeCaller({
      ...noModelAnswers(),
      history_context: {
        events: [
          { seq: 1, type: 'user_message', role: 'user', content: 'hello' },
          { seq: 2, type: 'phase_output', role: 'assistant', content: 'experience: 0 priors' },
          { seq: 3, type: 'assistant_message', role: 'assistant', content: 'hi there' },
        ],
      },
      action_respond: (_args, options) => {
        options.onProgressText?.('Hel');
        options.onProgressText?.('lo');
        return { text: 'Hello', generated: true, model: 'm1' };
      },
    });
    const ctx = ctxFor(caller);
    const result = await runAction(input, ctx);
    expect(caller.argsOf('action_respond')).toEqual({
      message: 'what cache?',
      conversation_id: 'c1',
      persona_prompt: 'You are Aria.',
      context: [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: 'hi there' },
      ],
    });
    expect(caller.argsOf('history_context')).toEqual({ conversation_id: 'c1', max_tokens: 3000 });
    expect(ctx.deltas).toEqual(['Hel', 'lo']);
    expect(result.output).toMatchObject({
      text: 'Hello',
      generated: true,
      model: 'm1',
      persona_id: 'p_aria',
      context_messages: 2,
      context_source: 'history',
      notes: [],
    });
  });

  it("uses the host's memory when the history server fails, and says so", async () => {
    const caller = new FakeCaller({ ...noModelAnswers(), history_context: err('SERVER_EXITED') });
    const memory = [
      { role: 'user' as const, content: 'q1' },
      { role: 'assistant' as const, content: 'a1' },
    ];
    const result = await runAction({ ...input, memory }, ctxFor(caller));
    expect(caller.argsOf('action_respond')?.context).toEqual(memory);
    expect(result.output.context_source).toBe('memory');
    expect(result.output.notes).toEqual([
      "history unavailable (SERVER_EXITED); used the host's last 2 messages",
    ]);
  });

  it('treats an unknown conversation as empty history, and a missing persona as a note', async () => {
    const caller = new FakeCaller({
      ...noModelAnswers(),
      history_context: err('NOT_FOUND'),
      persona_prompt: err('SERVER_UNAVAILABLE'),
    });
    const result = await runAction(input, ctxFor(caller));
    expect(result.output.context_source).toBe('history');
    expect(result.output.context_messages).toBe(0);
    expect(caller.argsOf('action_respond')).not.toHaveProperty('persona_prompt');
    expect(result.output.notes).toEqual(['persona aria unavailable (SERVER_UNAVAILABLE); default voice']);
  });

  it('fails with the tool code when action_respond fails', async () => {
    const caller = new FakeCaller({ ...noModelAnswers(), action_respond: err('TIMEOUT', 'too slow') });
    await expect(runAction(input, ctxFor(caller))).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: 'action_respond: too slow',
    });
  });

  it('keeps only user and assistant messages from a history window', () => {
    expect(
      contextFromHistory([
        { type: 'meta', content: 'x' },
        { type: 'user_message', content: '' },
        { type: 'user_message', content: 'u' },
        { type: 'tool_result', content: 't' },
      ]),
    ).toEqual([{ role: 'user', content: 'u' }]);
  });
});

describe('Experience phase', () => {
  it('returns the priors with a one-line summary', async () => {
    const caller = new FakeCaller(noModelAnswers());
    const result = await runExperience({ message: 'cache' }, ctxFor(caller));
    expect(caller.argsOf('experience_search')).toEqual({ query: 'cache', top_k: 5 });
    expect(result.output.priors.map((p) => p.id)).toEqual(['e1', 'e2', 'e3']);
    expect(result.text).toBe('3 priors, best 0.030; novelty 0.60');
  });

  it('rejects a result of the wrong shape as BAD_OUTPUT', async () => {
    const caller = new FakeCaller({ experience_search: { priors: 'nope' } });
    await expect(runExperience({ message: 'x' }, ctxFor(caller))).rejects.toMatchObject({
      code: 'BAD_OUTPUT',
    });
  });
});

describe('Intention phase', () => {
  it('passes the framing and the session, and keeps a generated thought as the intent', async () => {
    const caller = new FakeCaller({
      reasoning_linear: {
        session_id: 's9',
        thought_id: 't2',
        thought: 'They want the cache policy.',
        confidence: 0.8,
        generated: true,
      },
    });
    const result = await runIntention({ message: 'what cache?', sessionId: 's9' }, ctxFor(caller));
    expect(caller.argsOf('reasoning_linear')).toEqual({
      content: intentionFraming('what cache?'),
      session_id: 's9',
    });
    expect(result.output).toEqual({
      session_id: 's9',
      thought_id: 't2',
      intent: 'They want the cache policy.',
      confidence: 0.8,
      generated: true,
    });
  });

  it('has no intent without a model: the recorded thought is only our own framing', async () => {
    const caller = new FakeCaller(noModelAnswers());
    const result = await runIntention({ message: 'x' }, ctxFor(caller));
    expect(result.output.intent).toBeNull();
    expect(result.generated).toBe(false);
  });
});

describe('Observation phase', () => {
  it('keeps only links to this turn’s priors with a known type', async () => {
    const caller = new FakeCaller({
      experience_observe: {
        tags: ['cache', 'lru'],
        links: [
          { target_id: 'e1', type: 'supports', weight: 0.9 },
          { target_id: 'zzz', type: 'relates', weight: 0.5 },
          { target_id: 'e2', type: 'sideways', weight: 0.5 },
        ],
        generated: true,
      },
    });
    const result = await runObservation({ message: 'm', priors, threadId: 'c1' }, ctxFor(caller));
    expect(caller.argsOf('experience_observe')).toEqual({
      content: 'm',
      prior_ids: ['e1', 'e2', 'e3'],
      thread_id: 'c1',
    });
    expect(result.output).toEqual({
      tags: ['cache', 'lru'],
      links: [{ target_id: 'e1', type: 'supports', weight: 0.9 }],
      generated: true,
    });
    expect(result.text).toBe('cache, lru; 1 link');
  });
});

describe('Understanding phase', () => {
  it('does not call the model when there is nothing to judge', async () => {
    const caller = new FakeCaller({});
    const result = await runUnderstanding({ message: 'm', priors: [] }, ctxFor(caller));
    expect(caller.calls).toEqual([]);
    expect(result.output).toMatchObject({ kept: [], pruned: [], method: 'no_priors', generated: false });
  });

  it('applies the documented rule when the reasoning server has no model', async () => {
    const caller = new FakeCaller(noModelAnswers());
    const result = await runUnderstanding({ message: 'm', priors }, ctxFor(caller));
    expect(result.output).toMatchObject({
      kept: ['e1', 'e2'],
      pruned: ['e3'],
      method: 'rule',
      generated: false,
    });
    expect(result.text).toBe('kept 2, pruned 1 (no-model rule)');
  });

  it('keeps the ids the model names in its improved judgement', async () => {
    const caller = new FakeCaller({
      reasoning_reflect: {
        session_id: 's1',
        critique: 'e2 is not about policy',
        improved: 'Keep [e3] and [e1]. They describe it.',
        quality: 0.8,
        generated: true,
      },
    });
    const result = await runUnderstanding({ message: 'm', priors, sessionId: 's1' }, ctxFor(caller));
    expect(caller.argsOf('reasoning_reflect')).toMatchObject({ session_id: 's1', max_iterations: 1 });
    expect(String(caller.argsOf('reasoning_reflect')?.content)).toContain(
      'Draft judgement: keep [e1], [e2]; prune [e3].',
    );
    expect(result.output).toMatchObject({
      kept: ['e3', 'e1'],
      pruned: ['e2'],
      should_yield: true,
      reason: 'Keep [e3] and [e1].',
      method: 'model',
      quality: 0.8,
      generated: true,
    });
  });

  it('fails (rather than guessing) when reflect fails for another reason', async () => {
    const caller = new FakeCaller({ reasoning_reflect: err('TIMEOUT') });
    await expect(runUnderstanding({ message: 'm', priors }, ctxFor(caller))).rejects.toBeInstanceOf(
      PhaseFailure,
    );
  });
});

describe('Yield phase', () => {
  const understanding = {
    kept: ['e2'],
    pruned: ['e1', 'e3'],
    should_yield: true,
    reason: 'only e2',
    generated: true,
    method: 'model' as const,
  };

  it('passes the kept priors and the other phases’ notes', async () => {
    const caller = new FakeCaller(noModelAnswers());
    await runYield(
      {
        conversationId: 'c1',
        message: 'm',
        firstAnswer: 'first',
        priors,
        intention: { intent: 'wants x', generated: true },
        observation: { tags: ['t'], links: [], generated: false },
        understanding,
        personaPrompt: 'You are Aria.',
        cycle: 1,
        maxCycles: 2,
      },
      ctxFor(caller),
    );
    expect(caller.argsOf('action_yield')).toEqual({
      message: 'm',
      conversation_id: 'c1',
      first_answer: 'first',
      priors: [priors[1]],
      intent: 'wants x',
      observations: { tags: ['t'], links: [] },
      understanding: { kept: ['e2'], pruned: ['e1', 'e3'], reason: 'only e2' },
      persona_prompt: 'You are Aria.',
      cycle: 1,
      max_cycles: 2,
    });
  });

  it('never continues past the last cycle, whatever the server says', async () => {
    const caller = new FakeCaller({
      action_yield: ok({
        answer: 'a',
        citations: [],
        dropped_citations: [],
        should_continue: true,
        next_phase: 'action',
        generated: true,
      }),
    });
    const base = { conversationId: 'c1', message: 'm', priors, cycle: 2, maxCycles: 2 };
    expect((await runYield(base, ctxFor(caller))).output).toMatchObject({
      should_continue: false,
      next_phase: null,
    });
    expect((await runYield({ ...base, cycle: 1 }, ctxFor(caller))).output).toMatchObject({
      should_continue: true,
      next_phase: 'action',
    });
  });

  it('gives Yield every prior when Understanding did not judge', () => {
    expect(priorsForYield(priors)).toEqual(priors);
    expect(priorsForYield(priors, understanding).map((p) => p.id)).toEqual(['e2']);
  });
});
