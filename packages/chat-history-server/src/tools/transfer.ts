/** history_export / history_import: JSONL that round-trips everything, and OpenAI-style messages. */
import { defineTool } from '@choir/server-kit';
import { z } from 'zod';
import { ConversationId, type StoredEventRow, toEventOutput } from '../events.js';
import { conversationLine, eventLine, parseImport, requestLine } from '../jsonl.js';
import { toOpenAIMessages } from '../openai-messages.js';
import { type HistoryServerContext, refusing, requireConversation } from '../server-context.js';

export const MAX_EXPORT_EVENTS = 1000;
/** A page stops growing past this many characters of event content. */
export const MAX_EXPORT_CHARS = 1_000_000;
export const MAX_IMPORT_CHARS = 10_000_000;

const OpenAIMessage = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string().nullable(),
  tool_calls: z
    .array(
      z.object({
        id: z.string(),
        type: z.literal('function'),
        function: z.object({ name: z.string(), arguments: z.string() }),
      }),
    )
    .optional(),
  tool_call_id: z.string().optional(),
});

/** Cuts a full page before its last user message, so a turn's calls and results stay on one page. */
function cutAtTurn(rows: StoredEventRow[]): StoredEventRow[] {
  for (let i = rows.length - 1; i > 0; i--) {
    if (rows[i]!.type === 'user_message') return rows.slice(0, i);
  }
  return rows;
}

export const exportTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_export',
    title: 'Export a conversation',
    description:
      'Exports a conversation a page at a time. format "jsonl" (default): a conversation header line, the ' +
      'request ledger (first page) and one line per event; history_import reads it back unchanged. ' +
      'format "openai": a Chat Completions messages array (user, assistant with tool_calls, tool, system; ' +
      'phase_output and meta are left out). Continue with after_seq = next_after_seq.',
    input: z.object({
      conversation_id: ConversationId,
      format: z.enum(['jsonl', 'openai']).default('jsonl'),
      after_seq: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(MAX_EXPORT_EVENTS).default(MAX_EXPORT_EVENTS),
    }),
    output: z.object({
      conversation_id: z.string(),
      format: z.enum(['jsonl', 'openai']),
      jsonl: z.string().optional(),
      messages: z.array(OpenAIMessage).optional(),
      events_exported: z.number().int(),
      /** openai only: events the format has no place for. */
      skipped_events: z.number().int().optional(),
      /** Pass as after_seq for the next page; null when this page reached the end. */
      next_after_seq: z.number().int().nullable(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async handler(args) {
      const conversation = await requireConversation(ctx, args.conversation_id);
      const fetched = await ctx.history.events({
        conversationId: args.conversation_id,
        afterSeq: args.after_seq,
        limit: args.limit + 1,
      });
      let rows: StoredEventRow[] = [];
      let chars = 0;
      for (const row of fetched.slice(0, args.limit)) {
        if (rows.length > 0 && chars + row.content.length > MAX_EXPORT_CHARS) break;
        rows.push(row);
        chars += row.content.length;
      }
      let hasMore = fetched.length > rows.length;
      if (args.format === 'openai' && hasMore) rows = cutAtTurn(rows);
      hasMore = fetched.length > rows.length;
      const next = hasMore ? (rows.at(-1)?.seq ?? null) : null;
      if (args.format === 'openai') {
        const { messages, skipped } = toOpenAIMessages(rows.map(toEventOutput));
        return {
          text:
            `${messages.length} messages from ${rows.length} events of ${args.conversation_id}` +
            `${skipped ? ` (${skipped} events have no place in the format)` : ''}${next !== null ? `; continue after seq ${next}` : ''}.\n` +
            JSON.stringify(messages),
          data: {
            conversation_id: args.conversation_id,
            format: 'openai' as const,
            messages,
            events_exported: rows.length,
            skipped_events: skipped,
            next_after_seq: next,
          },
        };
      }
      const lines = [conversationLine(conversation)];
      if (args.after_seq === 0) {
        for (const request of await ctx.history.requests(args.conversation_id))
          lines.push(requestLine(request));
      }
      for (const row of rows) lines.push(eventLine(row));
      const jsonl = `${lines.join('\n')}\n`;
      return {
        text:
          `${rows.length} events of ${args.conversation_id} as JSONL${next !== null ? `; continue after seq ${next}` : ''}.\n` +
          jsonl,
        data: {
          conversation_id: args.conversation_id,
          format: 'jsonl' as const,
          jsonl,
          events_exported: rows.length,
          next_after_seq: next,
        },
      };
    },
  });

export const importTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_import',
    title: 'Import a conversation',
    description:
      'Imports JSONL written by history_export: creates the conversation, or merges into it when it exists ' +
      '(events already stored at the same seq are skipped, so importing twice is harmless). Pass ' +
      'conversation_id to import a copy under another id. All or nothing: one bad line rejects the import.' +
      (ctx.config.retention.policy === 'unlimited'
        ? ''
        : ` The ${ctx.config.retention.policy} retention policy then applies to the imported conversation.`),
    input: z.object({
      jsonl: z.string().min(1).max(MAX_IMPORT_CHARS),
      conversation_id: ConversationId.optional().describe(
        'Import under this id instead of the one in the file.',
      ),
    }),
    output: z.object({
      conversation_id: z.string(),
      created: z.boolean(),
      events_imported: z.number().int(),
      /** Already stored, identical: left as they were. */
      events_skipped: z.number().int(),
      /** Removed by the retention policy right after the import. */
      events_pruned: z.number().int(),
    }),
    limits: { maxStringLength: MAX_IMPORT_CHARS },
    annotations: {
      readOnlyHint: false,
      destructiveHint: ctx.config.retention.policy !== 'unlimited',
      idempotentHint: true,
      openWorldHint: false,
    },
    async handler(args) {
      const input = await refusing(async () =>
        parseImport(args.jsonl, { targetId: args.conversation_id, countTokens: ctx.tokenizer.count }),
      );
      const outcome = await refusing(() =>
        ctx.history.importConversation(input, { now: ctx.now(), retention: ctx.config.retention }),
      );
      const id = input.conversation.id;
      if (outcome.imported > 0 || outcome.created) ctx.notify.conversationChanged(id);
      if (outcome.created) ctx.notify.conversationsListChanged();
      const pruned = outcome.pruned.eventsToDelete;
      return {
        text:
          `${outcome.created ? 'Created' : 'Merged into'} ${id}: ${outcome.imported} events imported, ${outcome.skipped} already there` +
          `${pruned ? `, ${pruned} then pruned by retention (${ctx.config.retention.policy})` : ''}.`,
        data: {
          conversation_id: id,
          created: outcome.created,
          events_imported: outcome.imported,
          events_skipped: outcome.skipped,
          events_pruned: pruned,
        },
      };
    },
  });
