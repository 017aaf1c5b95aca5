/** The host's in-memory conversation (conversation://<id>), always validated by the shared schema. */
import { randomUUID } from 'node:crypto';
import { ConversationState, conversationUri, type Turn } from '@choir/contracts';

export function newConversationId(): string {
  // Sortable by creation time, unique without coordination: the time, then random bits.
  return `c_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
}

export function newConversation(options: {
  id?: string;
  persona?: string;
  maxCycles: number;
  now?: Date;
}): ConversationState {
  const id = options.id ?? newConversationId();
  const at = (options.now ?? new Date()).toISOString();
  return ConversationState.parse({
    id,
    uri: conversationUri(id),
    ...(options.persona ? { persona: options.persona } : {}),
    messages: [],
    turns: [],
    cycle: 0,
    max_cycles: options.maxCycles,
    created_at: at,
    updated_at: at,
  });
}

/** The state after a finished turn: its messages and record appended. Returns a new object. */
export function withTurn(
  state: ConversationState,
  turn: Turn,
  extra: { reasoningSessionId?: string; persona?: string; now?: Date } = {},
): ConversationState {
  const at = (extra.now ?? new Date()).toISOString();
  const messages = [
    ...state.messages,
    { role: 'user' as const, content: turn.user_text, turn: turn.index, at: turn.started_at },
  ];
  if (turn.answer !== undefined) {
    messages.push({ role: 'assistant', content: turn.answer, turn: turn.index, at: turn.finished_at ?? at });
  }
  return ConversationState.parse({
    ...state,
    ...(extra.persona ? { persona: extra.persona } : {}),
    ...(extra.reasoningSessionId ? { reasoning_session_id: extra.reasoningSessionId } : {}),
    ...(state.title === undefined ? { title: titleFrom(turn.user_text) } : {}),
    messages,
    turns: [...state.turns, turn],
    cycle: turn.cycles,
    updated_at: at,
  });
}

export function titleFrom(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
