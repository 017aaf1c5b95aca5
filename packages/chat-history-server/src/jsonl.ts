/**
 * The JSONL export/import format. One object per line: a `conversation` header first, then
 * `request` lines (the idempotency ledger) and `event` lines in seq order. Everything stored
 * round-trips: ids, seqs, timestamps, token counts, usage, extra, request ids, the seq counter.
 */
import { HistoryEventType, MessageRole } from '@choir/contracts';
import { z } from 'zod';
import { HistoryError } from './errors.js';
import {
  ConversationId,
  eventProblem,
  eventTokenCount,
  newEventId,
  RequestId,
  type StoredEventRow,
  Timestamp,
  ToolCallInput,
  toEventOutput,
  UsageInput,
} from './events.js';
import type { AppendRequestRecord, ConversationRecord, ImportInput } from './store.js';

export const EXPORT_FORMAT = 'choir-chat-history/1';
export const MAX_TITLE_LENGTH = 500;
export const MAX_CONTENT_LENGTH = 100_000;

export function conversationLine(c: ConversationRecord): string {
  return JSON.stringify({
    kind: 'conversation',
    format: EXPORT_FORMAT,
    id: c.id,
    title: c.title,
    metadata: c.metadata,
    created_at: c.created_at,
    updated_at: c.updated_at,
    last_activity_at: c.last_activity_at,
    next_seq: c.next_seq,
    event_count: c.event_count,
    token_total: c.token_total,
  });
}

export function requestLine(r: AppendRequestRecord): string {
  return JSON.stringify({ kind: 'request', ...r });
}

export function eventLine(row: StoredEventRow): string {
  return JSON.stringify({ kind: 'event', ...toEventOutput(row) });
}

const ConversationLine = z.strictObject({
  kind: z.literal('conversation'),
  format: z.literal(EXPORT_FORMAT),
  id: ConversationId,
  title: z.string().max(MAX_TITLE_LENGTH).nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  created_at: Timestamp,
  updated_at: Timestamp.optional(),
  last_activity_at: Timestamp.optional(),
  next_seq: z.number().int().min(1).optional(),
  // Derived from the events on import; accepted so an export can be fed back unchanged.
  event_count: z.number().int().nonnegative().optional(),
  token_total: z.number().int().nonnegative().optional(),
});

const RequestLine = z.strictObject({
  kind: z.literal('request'),
  request_id: RequestId,
  first_seq: z.number().int().min(1),
  event_count: z.number().int().min(1),
  fingerprint: z.string().min(1).max(200),
  created_at: Timestamp,
});

const EventLine = z.strictObject({
  kind: z.literal('event'),
  id: z.string().min(1).max(200),
  seq: z.number().int().min(1),
  timestamp: Timestamp,
  type: HistoryEventType,
  role: MessageRole,
  content: z.string().max(MAX_CONTENT_LENGTH),
  tool_calls: z.array(ToolCallInput).max(128).optional(),
  tool_call_id: z.string().min(1).max(200).optional(),
  model: z.string().min(1).max(200).optional(),
  usage: UsageInput.optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
  token_count: z.number().int().nonnegative().optional(),
  request_id: RequestId.optional(),
});

const Line = z.discriminatedUnion('kind', [ConversationLine, RequestLine, EventLine]);

function fail(line: number, message: string): never {
  throw new HistoryError('INVALID_INPUT', `jsonl line ${line}: ${message}`);
}

const iso = (value: string) => new Date(value).toISOString();

/**
 * Parses and checks an export. `targetId` imports under another conversation id; its events
 * then get fresh ids, since they are copies, not the same events.
 */
export function parseImport(
  text: string,
  options: { targetId?: string; countTokens: (text: string) => number },
): ImportInput {
  let header: z.infer<typeof ConversationLine> | undefined;
  const events: StoredEventRow[] = [];
  const requests: AppendRequestRecord[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      fail(lineNo, 'not valid JSON');
    }
    const parsed = Line.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 4)
        .map((i) => `${i.path.length ? i.path.join('.') : 'line'}: ${i.message}`)
        .join('; ');
      fail(lineNo, issues);
    }
    const line = parsed.data;
    if (line.kind === 'conversation') {
      if (header) fail(lineNo, 'a second conversation header; import one conversation at a time');
      if (events.length || requests.length) fail(lineNo, 'the conversation header must come first');
      header = line;
      return;
    }
    if (!header) fail(lineNo, 'the first line must be the conversation header');
    if (line.kind === 'request') {
      const { kind: _kind, ...request } = line;
      requests.push({ ...request, created_at: iso(request.created_at) });
      return;
    }
    const problem = eventProblem({ ...line, content: line.content });
    if (problem) fail(lineNo, problem);
    const previous = events.at(-1);
    if (previous && line.seq <= previous.seq) fail(lineNo, `seq ${line.seq} does not follow ${previous.seq}`);
    events.push({
      id: options.targetId && options.targetId !== header.id ? newEventId() : line.id,
      seq: line.seq,
      timestamp: iso(line.timestamp),
      type: line.type,
      role: line.role,
      content: line.content,
      tool_calls: line.tool_calls?.length ? JSON.stringify(line.tool_calls) : null,
      tool_call_id: line.tool_call_id ?? null,
      model: line.model ?? null,
      usage: line.usage ? JSON.stringify(line.usage) : null,
      extra: line.extra ? JSON.stringify(line.extra) : null,
      token_count: line.token_count ?? eventTokenCount(line.content, line.tool_calls, options.countTokens),
      request_id: line.request_id ?? null,
    });
  });
  if (!header) throw new HistoryError('INVALID_INPUT', 'jsonl has no conversation header line');
  const maxSeq = events.at(-1)?.seq ?? 0;
  const nextSeq = header.next_seq ?? maxSeq + 1;
  if (nextSeq <= maxSeq) {
    throw new HistoryError(
      'INVALID_INPUT',
      `next_seq ${nextSeq} must be greater than the last event's seq ${maxSeq}`,
    );
  }
  for (const r of requests) {
    if (r.first_seq + r.event_count > nextSeq) {
      throw new HistoryError(
        'INVALID_INPUT',
        `request ${r.request_id} claims seqs beyond next_seq ${nextSeq}`,
      );
    }
  }
  const createdAt = iso(header.created_at);
  return {
    conversation: {
      id: options.targetId ?? header.id,
      title: header.title ?? null,
      metadata: header.metadata ?? {},
      created_at: createdAt,
      updated_at: header.updated_at ? iso(header.updated_at) : createdAt,
      last_activity_at: header.last_activity_at
        ? iso(header.last_activity_at)
        : (events.at(-1)?.timestamp ?? createdAt),
      next_seq: nextSeq,
    },
    events,
    requests,
  };
}
