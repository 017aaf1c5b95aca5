import { describe, expect, it } from 'vitest';
import {
  ConversationState,
  conversationUri,
  PHASES,
  PhaseEvent,
  parseConversationUri,
  Prior,
} from './index.js';

describe('contracts', () => {
  it('lists the six phases in PostChain order', () => {
    expect(PHASES.join(' ')).toBe('action experience intention observation understanding yield');
  });

  it('round-trips conversation URIs and rejects others', () => {
    expect(parseConversationUri(conversationUri('abc'))).toBe('abc');
    expect(() => parseConversationUri('history://abc')).toThrow(/not a conversation URI/);
    expect(() => parseConversationUri('conversation://')).toThrow();
  });

  it('rejects a phase event with an unknown phase or status', () => {
    const base = { conversation_id: 'c', turn: 0, cycle: 1, phase: 'action', status: 'running', at: 'now' };
    expect(PhaseEvent.parse(base).phase).toBe('action');
    expect(PhaseEvent.safeParse({ ...base, phase: 'reflection' }).success).toBe(false);
    expect(PhaseEvent.safeParse({ ...base, status: 'done' }).success).toBe(false);
    expect(PhaseEvent.safeParse({ ...base, cycle: 0 }).success).toBe(false);
  });

  it('fills component scores of a prior and validates a conversation state', () => {
    expect(Prior.parse({ id: 'p1', score: 0.5, content: 'x' }).scores).toEqual({});
    const state = ConversationState.parse({
      id: 'c1',
      uri: 'conversation://c1',
      messages: [{ role: 'user', content: 'hi', turn: 0, at: 't' }],
      turns: [],
      cycle: 0,
      max_cycles: 2,
      created_at: 't',
      updated_at: 't',
    });
    expect(state.messages).toHaveLength(1);
  });
});
