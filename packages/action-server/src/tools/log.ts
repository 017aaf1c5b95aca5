/** action_log — pages through the generation log, newest first. */
import { defineTool, invalidInput, type ServerDeps } from '@choir/server-kit';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { type ActionDB, type LogEntry, listGenerations, OUTCOMES, PHASES } from '../store.js';

export const MAX_LOG_PAGE = 100;
const PREVIEW_CHARS = 200;

const Input = z.object({
  cursor: z.string().optional().describe('next_cursor of the previous page'),
  limit: z.number().int().min(1).max(MAX_LOG_PAGE).default(20),
  phase: z.enum(PHASES).optional(),
  conversation_id: z.string().min(1).max(200).optional(),
  generated: z
    .boolean()
    .optional()
    .describe('true: model output only; false: extractive, degraded and failed'),
  include_output: z.boolean().default(false).describe('Full output text instead of a 200-character preview'),
});

const Entry = z.object({
  id: z.number().int(),
  created_at: z.string(),
  phase: z.enum(PHASES),
  outcome: z.enum(OUTCOMES),
  generated: z.boolean(),
  via: z.string().nullable(),
  model: z.string().nullable(),
  input_tokens: z.number().nullable(),
  output_tokens: z.number().nullable(),
  latency_ms: z.number().nullable(),
  conversation_id: z.string().nullable(),
  cycle: z.number().nullable(),
  cited_ids: z.array(z.string()),
  dropped_ids: z.array(z.string()),
  should_continue: z.boolean().nullable(),
  reason: z.string().nullable(),
  output: z.string(),
  output_chars: z.number().int(),
  output_truncated: z.boolean(),
});

const Output = z.object({
  entries: z.array(Entry),
  next_cursor: z.string().nullable().describe('Pass as cursor for the next (older) page; null at the end'),
});

export const logTool = (deps: ServerDeps<ActionDB>) =>
  defineTool({
    name: 'action_log',
    title: 'Generation log',
    description:
      'Every answer the action server produced, newest first: phase (action / yield / followup), ' +
      'outcome (generated / extractive / degraded / failed), model, tokens, latency, cited and dropped ' +
      'ids. Paginated with cursor / limit (at most 100 per page); filter by phase, conversation_id, generated.',
    input: Input,
    output: Output,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      let beforeId: number | undefined;
      if (args.cursor !== undefined) {
        const decoded = decodeCursor(args.cursor);
        if (decoded === null) throw invalidInput('cursor is not one this tool returned');
        beforeId = decoded;
      }
      const page = await listGenerations(deps.store, {
        beforeId,
        limit: args.limit,
        phase: args.phase,
        conversationId: args.conversation_id,
        generated: args.generated,
      });
      const entries = page.entries.map((e) => shape(e, args.include_output));
      const last = page.entries.at(-1);
      const nextCursor = page.hasMore && last ? encodeCursor(last.id) : null;
      const lines = entries.map(
        (e) =>
          `#${e.id} ${e.created_at} ${e.phase} ${e.outcome}${e.model ? ` ${e.model}` : ''}` +
          `${e.latency_ms !== null ? ` ${e.latency_ms} ms` : ''}${e.cited_ids.length ? ` cites ${e.cited_ids.join(', ')}` : ''}`,
      );
      const text = entries.length
        ? `${lines.join('\n')}${nextCursor ? '\n(more: pass next_cursor)' : ''}`
        : 'No log entries match.';
      return { text, data: { entries, next_cursor: nextCursor } };
    },
  });

function shape(entry: LogEntry, full: boolean): z.input<typeof Entry> {
  const truncated = !full && entry.output.length > PREVIEW_CHARS;
  return {
    ...entry,
    output: truncated ? `${entry.output.slice(0, PREVIEW_CHARS - 1)}…` : entry.output,
    output_chars: entry.output.length,
    output_truncated: truncated,
  };
}
