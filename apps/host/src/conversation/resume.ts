/**
 * Rebuilds a conversation's in-memory state from the chat-history server (history_get, page by
 * page): its messages, each turn's phase records and answer, the persona and reasoning session.
 */
import { Citation, ConversationState, PhaseName, PhaseRecord, type Turn } from '@choir/contracts';
import { z } from 'zod';
import type { ToolCaller, ToolFailure } from '../postchain/tool-caller.js';
import { newConversation, titleFrom } from './state.js';

export const HISTORY_PAGE_SIZE = 200;
/** A conversation longer than this is resumed from its most recent part only. */
export const MAX_RESUME_EVENTS = 20_000;

const StoredEvent = z.looseObject({
  seq: z.number().int(),
  type: z.string(),
  role: z.string().nullable().optional(),
  content: z.string().nullable().optional(),
  extra: z.record(z.string(), z.unknown()).nullable().optional(),
  timestamp: z.string().nullable().optional(),
});
type StoredEvent = z.infer<typeof StoredEvent>;

const HistoryPage = z.looseObject({
  events: z.array(StoredEvent),
  next_after_seq: z.number().int().nullable().optional(),
  has_more: z.boolean().optional(),
});

export class ResumeError extends Error {
  override readonly name = 'ResumeError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchHistory(
  caller: ToolCaller,
  conversationId: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await caller.call(
      'history_get',
      {
        conversation_id: conversationId,
        after_seq: afterSeq,
        limit: HISTORY_PAGE_SIZE,
      },
      { timeoutMs: options.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) },
    );
    if (!page.ok) throw failureToError(page.error, conversationId);
    const parsed = HistoryPage.safeParse(page.data);
    if (!parsed.success)
      throw new ResumeError(
        'BAD_OUTPUT',
        `history_get returned an unexpected shape: ${parsed.error.message}`,
      );
    const batch = parsed.data.events;
    events.push(...batch);
    if (events.length > MAX_RESUME_EVENTS) events.splice(0, events.length - MAX_RESUME_EVENTS);
    const last = batch[batch.length - 1];
    const more = parsed.data.has_more ?? batch.length === HISTORY_PAGE_SIZE;
    if (!last || !more) break;
    afterSeq = parsed.data.next_after_seq ?? last.seq;
  }
  return events;
}

function failureToError(error: ToolFailure, conversationId: string): ResumeError {
  if (error.code === 'NOT_FOUND') {
    return new ResumeError(
      'NOT_FOUND',
      `conversation ${conversationId} was not found (choir history list shows the stored ones)`,
    );
  }
  return new ResumeError(error.code, `cannot read conversation ${conversationId}: ${error.message}`);
}

/** The state the events describe. Events the host did not write (other clients) still count as messages. */
export function stateFromEvents(
  conversationId: string,
  events: readonly StoredEvent[],
  options: { maxCycles: number; persona?: string },
): ConversationState {
  const first = events[0]?.timestamp ?? undefined;
  const base = newConversation({
    id: conversationId,
    maxCycles: options.maxCycles,
    ...(options.persona ? { persona: options.persona } : {}),
    ...(first ? { now: new Date(first) } : {}),
  });
  const turns: Turn[] = [];
  const messages: ConversationState['messages'] = [];
  let persona = options.persona;
  let sessionId: string | undefined;
  let current: Turn | undefined;

  for (const event of events) {
    const at = event.timestamp ?? base.created_at;
    const extra = event.extra ?? {};
    const content = event.content ?? '';
    if (event.type === 'user_message') {
      if (current) turns.push(current);
      current = {
        index: turns.length,
        user_text: content,
        started_at: at,
        cycles: 0,
        phases: [],
        priors: [],
        citations: [],
      };
      messages.push({ role: 'user', content, turn: current.index, at });
      if (typeof extra.persona === 'string' && !options.persona) persona = extra.persona;
    } else if (event.type === 'phase_output' && current) {
      const record = PhaseRecord.safeParse({
        phase: extra.phase,
        cycle: extra.cycle,
        status: extra.status,
        text: content,
        ...(extra.output !== undefined ? { output: extra.output } : {}),
        ...(typeof extra.generated === 'boolean' ? { generated: extra.generated } : {}),
        elapsed_ms: extra.elapsed_ms ?? 0,
        ...(extra.error ? { error: extra.error } : {}),
      });
      if (record.success) {
        current.phases.push(record.data);
        current.cycles = Math.max(current.cycles, record.data.cycle);
        const output = record.data.output as { session_id?: unknown; priors?: unknown } | undefined;
        if (PhaseName.parse(record.data.phase) === 'intention' && typeof output?.session_id === 'string') {
          sessionId = output.session_id;
        }
      }
    } else if (event.type === 'assistant_message') {
      const index = current?.index ?? turns.length;
      messages.push({ role: 'assistant', content, turn: index, at });
      if (current) {
        current.answer = content;
        current.finished_at = at;
        const citations = z.array(Citation).safeParse(extra.citations);
        if (citations.success) current.citations = citations.data;
        if (typeof extra.generated === 'boolean') current.generated = extra.generated;
        turns.push(current);
        current = undefined;
      }
    }
  }
  if (current) turns.push(current);
  const last = events[events.length - 1]?.timestamp ?? base.updated_at;
  return ConversationState.parse({
    ...base,
    ...(persona ? { persona } : {}),
    ...(sessionId ? { reasoning_session_id: sessionId } : {}),
    ...(turns[0] ? { title: titleFrom(turns[0].user_text) } : {}),
    messages,
    turns,
    cycle: turns[turns.length - 1]?.cycles ?? 0,
    updated_at: last,
  });
}

export async function resumeConversation(
  caller: ToolCaller,
  conversationId: string,
  options: { maxCycles: number; persona?: string; timeoutMs: number },
): Promise<ConversationState> {
  const events = await fetchHistory(caller, conversationId, { timeoutMs: options.timeoutMs });
  if (events.length === 0) {
    throw new ResumeError('NOT_FOUND', `conversation ${conversationId} has no stored events`);
  }
  return stateFromEvents(conversationId, events, options);
}
