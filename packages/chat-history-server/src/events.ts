/**
 * The shape of a history event: what a caller may send, the checks zod cannot express, and
 * how an accepted event becomes a stored row and a result again. No SQL, no MCP.
 */
import { createHash, randomUUID } from 'node:crypto';
import { HistoryEventType, MessageRole } from '@choir/contracts';
import { z } from 'zod';

export const CONVERSATION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const ConversationId = z
  .string()
  .regex(
    CONVERSATION_ID_PATTERN,
    'must be 1-128 characters of letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
  )
  .describe('Conversation id, e.g. a UUID or "conv_2025_06_01".');

export const RequestId = z.string().min(1).max(200);

/** One call an assistant asked for. `function: { name, arguments }` (OpenAI's nesting) is accepted too. */
export const ToolCallInput = z.looseObject({
  id: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  arguments: z.unknown().optional(),
});
export type ToolCallInput = z.infer<typeof ToolCallInput>;

export const UsageInput = z.strictObject({
  input_tokens: z.number().int().nonnegative().optional(),
  output_tokens: z.number().int().nonnegative().optional(),
  cost_usd: z.number().nonnegative().optional(),
});
export type UsageInput = z.infer<typeof UsageInput>;

export const Timestamp = z.iso
  .datetime({ offset: true })
  .describe('ISO 8601 date-time, e.g. 2025-06-01T12:00:00Z');

export const EventInput = z.strictObject({
  type: HistoryEventType,
  role: MessageRole.optional().describe('Defaults from type: user_message→user, tool_result→tool, …'),
  content: z.string().default(''),
  tool_calls: z.array(ToolCallInput).max(128).optional(),
  tool_call_id: z.string().min(1).max(200).optional(),
  model: z.string().min(1).max(200).optional(),
  usage: UsageInput.optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
  timestamp: Timestamp.optional().describe('When it happened; defaults to the time of the append.'),
});
export type EventInput = z.infer<typeof EventInput>;

const ROLE_OF_TYPE: Record<HistoryEventType, MessageRole> = {
  user_message: 'user',
  assistant_message: 'assistant',
  tool_call: 'assistant',
  tool_result: 'tool',
  phase_output: 'assistant',
  system_update: 'system',
  meta: 'system',
};

/** Types whose role is fixed: a user_message from the assistant is a caller bug, not data. */
const FIXED_ROLE: Partial<Record<HistoryEventType, MessageRole>> = {
  user_message: 'user',
  assistant_message: 'assistant',
  tool_call: 'assistant',
  tool_result: 'tool',
};

/** The call ids an event issues: its tool_calls' ids, and tool_call_id on a tool_call event. */
export function issuedCallIds(event: {
  type: string;
  tool_calls?: readonly { id: string }[] | null;
  tool_call_id?: string | null;
}): string[] {
  const ids = (event.tool_calls ?? []).map((c) => c.id);
  if (event.type === 'tool_call' && event.tool_call_id && !ids.includes(event.tool_call_id)) {
    ids.push(event.tool_call_id);
  }
  return ids;
}

/** What is wrong with one event beyond its schema, or null. Runs before anything is written. */
export function eventProblem(event: EventInput): string | null {
  const fixed = FIXED_ROLE[event.type];
  if (fixed && event.role && event.role !== fixed) {
    return `a ${event.type} has role "${fixed}", not "${event.role}"`;
  }
  const hasCalls = (event.tool_calls?.length ?? 0) > 0;
  if (
    (event.type === 'user_message' || event.type === 'assistant_message') &&
    !hasCalls &&
    !event.content.trim()
  ) {
    return `a ${event.type} needs non-empty content`;
  }
  if (hasCalls && event.type !== 'tool_call' && event.type !== 'assistant_message') {
    return `tool_calls belong on tool_call or assistant_message events, not ${event.type}`;
  }
  if (event.type === 'tool_call' && issuedCallIds(event).length === 0) {
    return 'a tool_call needs tool_calls: [{ id, name, arguments }] or a tool_call_id';
  }
  if (event.type === 'tool_result' && !event.tool_call_id) {
    return 'a tool_result needs the tool_call_id of the call it answers';
  }
  if (event.tool_call_id && event.type !== 'tool_call' && event.type !== 'tool_result') {
    return `tool_call_id belongs on tool_call or tool_result events, not ${event.type}`;
  }
  const ids = (event.tool_calls ?? []).map((c) => c.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) return `tool call id "${repeated}" appears twice in tool_calls`;
  return null;
}

/** Every problem of a batch, `events[i]: …`, or an empty list. */
export function batchProblems(events: readonly EventInput[]): string[] {
  const problems: string[] = [];
  events.forEach((event, i) => {
    const problem = eventProblem(event);
    if (problem) problems.push(`events[${i}]: ${problem}`);
  });
  return problems;
}

/**
 * Identifies a batch's content so a request_id reused for different events is refused.
 * Timestamps are left out: a retry may restamp the same events.
 */
export function batchFingerprint(events: readonly EventInput[]): string {
  const canonical = events.map((e) => [
    e.type,
    e.role ?? ROLE_OF_TYPE[e.type],
    e.content,
    e.tool_calls ?? null,
    e.tool_call_id ?? null,
    e.model ?? null,
  ]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The stored form of an event (JSON columns serialised), without its seq. */
export interface EventRow {
  id: string;
  timestamp: string;
  type: HistoryEventType;
  role: MessageRole;
  content: string;
  tool_calls: string | null;
  tool_call_id: string | null;
  model: string | null;
  usage: string | null;
  extra: string | null;
  token_count: number;
  request_id: string | null;
}

export function newEventId(): string {
  return `evt_${randomUUID().replaceAll('-', '')}`;
}

/** What an event costs in a prompt: its content plus, for calls, their serialised form. */
export function eventTokenCount(
  content: string,
  toolCalls: readonly unknown[] | null | undefined,
  countTokens: (text: string) => number,
): number {
  const calls = toolCalls && toolCalls.length > 0 ? countTokens(JSON.stringify(toolCalls)) : 0;
  return countTokens(content) + calls;
}

export function toEventRow(
  event: EventInput,
  options: { now: Date; requestId: string | null; countTokens: (text: string) => number; id?: string },
): EventRow {
  return {
    id: options.id ?? newEventId(),
    timestamp: event.timestamp ? new Date(event.timestamp).toISOString() : options.now.toISOString(),
    type: event.type,
    role: event.role ?? ROLE_OF_TYPE[event.type],
    content: event.content,
    tool_calls: event.tool_calls?.length ? JSON.stringify(event.tool_calls) : null,
    tool_call_id: event.tool_call_id ?? null,
    model: event.model ?? null,
    usage: event.usage ? JSON.stringify(event.usage) : null,
    extra: event.extra ? JSON.stringify(event.extra) : null,
    token_count: eventTokenCount(event.content, event.tool_calls, options.countTokens),
    request_id: options.requestId,
  };
}

/** An event as tools return it. Absent optional fields are left out rather than null. */
export const EventOutput = z.object({
  id: z.string(),
  seq: z.number().int(),
  timestamp: z.string(),
  type: HistoryEventType,
  role: MessageRole,
  content: z.string(),
  tool_calls: z.array(z.record(z.string(), z.unknown())).optional(),
  tool_call_id: z.string().optional(),
  model: z.string().optional(),
  usage: UsageInput.optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
  token_count: z.number().int(),
  request_id: z.string().optional(),
});
export type EventOutput = z.infer<typeof EventOutput>;

export interface StoredEventRow extends EventRow {
  seq: number;
}

export function toEventOutput(row: StoredEventRow): EventOutput {
  const out: EventOutput = {
    id: row.id,
    seq: row.seq,
    timestamp: row.timestamp,
    type: row.type,
    role: row.role,
    content: row.content,
    token_count: row.token_count,
  };
  if (row.tool_calls) out.tool_calls = JSON.parse(row.tool_calls);
  if (row.tool_call_id) out.tool_call_id = row.tool_call_id;
  if (row.model) out.model = row.model;
  if (row.usage) out.usage = JSON.parse(row.usage);
  if (row.extra) out.extra = JSON.parse(row.extra);
  if (row.request_id) out.request_id = row.request_id;
  return out;
}
