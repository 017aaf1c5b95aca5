import { PHASES, type PhaseName } from '@choir/contracts';
import { describe, expect, it } from 'vitest';
import { fetchHistory, resumeConversation, stateFromEvents } from '../../src/conversation/resume.js';
import { newConversation } from '../../src/conversation/state.js';
import { runTurn } from '../../src/postchain/driver.js';
import { historyEvents } from '../../src/postchain/persist.js';
import { err, FakeCaller, noModelAnswers } from './fake-caller.js';

const on = Object.fromEntries(PHASES.map((p) => [p, true])) as Record<PhaseName, boolean>;
const timeouts = {
  action: 1000,
  experience: 1000,
  intention: 1000,
  observation: 1000,
  understanding: 1000,
  yield: 1000,
  persist: 1000,
};

/** A fake chat-history store: history_append keeps events, history_get pages through them. */
function historyStore(pageSize?: number) {
  const stored: Record<string, unknown>[] = [];
  return {
    stored,
    answers: {
      history_append: (args: Record<string, unknown>) => {
        for (const event of args.events as Record<string, unknown>[])
          stored.push({ ...event, seq: stored.length + 1 });
        return { conversation_id: args.conversation_id, seqs: [], duplicate: false };
      },
      history_get: (args: Record<string, unknown>) => {
        const after = args.after_seq as number;
        const limit = pageSize ?? (args.limit as number);
        const page = stored.filter((e) => (e.seq as number) > after).slice(0, limit);
        return { events: page, has_more: stored.some((e) => (e.seq as number) > after + limit) };
      },
    },
  };
}

describe('resuming a conversation', () => {
  it('rebuilds the state the driver wrote: messages, turns, phases, session, citations', async () => {
    const history = historyStore(3);
    const caller = new FakeCaller({ ...noModelAnswers(), ...history.answers });
    let state = newConversation({ id: 'c1', persona: 'aria', maxCycles: 2 });
    for (const message of ['first question', 'second question']) {
      const result = await runTurn(state, message, {
        caller,
        settings: { persona: 'kira', maxCycles: 2, phases: on, timeouts },
        emit: () => {},
      });
      state = result.state;
    }
    const resumed = await resumeConversation(caller, 'c1', { maxCycles: 2, timeoutMs: 1000 });
    // Paged three events at a time: every event was read.
    expect(caller.count('history_get')).toBeGreaterThan(4);
    expect(resumed.messages.map((m) => [m.role, m.content, m.turn])).toEqual(
      state.messages.map((m) => [m.role, m.content, m.turn]),
    );
    expect(resumed.turns.map((t) => [t.index, t.user_text, t.answer, t.phases.length, t.citations])).toEqual(
      state.turns.map((t) => [t.index, t.user_text, t.answer, t.phases.length, t.citations]),
    );
    expect(resumed.reasoning_session_id).toBe('s1');
    expect(resumed.persona).toBe('kira');
    expect(resumed.title).toBe('first question');
  });

  it('counts messages written by other clients, even without phase outputs', () => {
    const state = stateFromEvents(
      'c2',
      [
        { seq: 1, type: 'user_message', content: 'hi', timestamp: '2025-06-01T12:00:00.000Z' },
        { seq: 2, type: 'assistant_message', content: 'hello', timestamp: '2025-06-01T12:00:01.000Z' },
        { seq: 3, type: 'user_message', content: 'unanswered', timestamp: '2025-06-01T12:00:02.000Z' },
      ],
      { maxCycles: 2 },
    );
    expect(state.turns.map((t) => [t.index, t.answer])).toEqual([
      [0, 'hello'],
      [1, undefined],
    ]);
    expect(state.messages).toHaveLength(3);
  });

  it('says clearly when the conversation does not exist', async () => {
    const caller = new FakeCaller({ history_get: err('NOT_FOUND', 'no such conversation') });
    await expect(fetchHistory(caller, 'nope', { timeoutMs: 100 })).rejects.toThrow(
      'conversation nope was not found (choir history list shows the stored ones)',
    );
  });

  it('reads back exactly what historyEvents writes for a turn', () => {
    const events = historyEvents({
      conversationId: 'c3',
      turn: {
        index: 0,
        user_text: 'q',
        started_at: '2025-06-01T12:00:00.000Z',
        finished_at: '2025-06-01T12:00:01.000Z',
        cycles: 1,
        phases: [
          {
            phase: 'intention',
            cycle: 1,
            status: 'complete',
            elapsed_ms: 3,
            text: 't',
            output: { session_id: 's7' },
            generated: true,
          },
        ],
        priors: [],
        citations: [{ prior_id: 'e1' }],
      },
      final: { final: true, answer: 'a', citations: [{ prior_id: 'e1' }], source: 'yield', generated: true },
      persona: 'aria',
      enabledPhases: 6,
    }).map((e, i) => ({ ...e, seq: i + 1 }) as { seq: number; type: string });
    const state = stateFromEvents('c3', events, { maxCycles: 2 });
    expect(state.turns[0]).toMatchObject({
      answer: 'a',
      citations: [{ prior_id: 'e1' }],
      generated: true,
      cycles: 1,
    });
    expect(state.turns[0]!.phases[0]).toMatchObject({ phase: 'intention', status: 'complete', text: 't' });
    expect(state.reasoning_session_id).toBe('s7');
  });
});
