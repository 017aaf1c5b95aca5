/** history_list_conversations, history_update_conversation, history_delete_conversation. */
import { defineTool, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { ConversationId } from '../events.js';
import { MAX_TITLE_LENGTH } from '../jsonl.js';
import { ConversationSummary, toSummary } from '../schemas.js';
import { type HistoryServerContext, requireConversation } from '../server-context.js';

interface ListCursor {
  a: string;
  i: string;
}
const isListCursor = (v: unknown): v is ListCursor =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ListCursor).a === 'string' &&
  typeof (v as ListCursor).i === 'string';

export const listConversationsTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_list_conversations',
    title: 'List conversations',
    description:
      'Conversations, most recent activity first, with title, event count, token total and last activity. ' +
      'Paginated: pass next_cursor back as cursor.',
    input: z.object({
      limit: z.number().int().min(1).max(100).default(20),
      cursor: z.string().max(1000).optional(),
    }),
    output: z.object({
      conversations: z.array(ConversationSummary),
      next_cursor: z.string().nullable(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async handler(args) {
      let after: { lastActivityAt: string; id: string } | undefined;
      if (args.cursor !== undefined) {
        const cursor = decodeCursor(args.cursor, isListCursor);
        if (!cursor) throw new ToolError('INVALID_INPUT', 'cursor is not one this tool returned');
        after = { lastActivityAt: cursor.a, id: cursor.i };
      }
      const { items, hasMore } = await ctx.history.listConversations(args.limit, after);
      const last = items.at(-1);
      const nextCursor = hasMore && last ? encodeCursor({ a: last.last_activity_at, i: last.id }) : null;
      const text =
        items.length === 0
          ? 'No conversations.'
          : items
              .map(
                (c) =>
                  `${c.id}${c.title ? ` "${c.title}"` : ''}: ${c.event_count} events, ${c.token_total} tokens, last activity ${c.last_activity_at}`,
              )
              .join('\n') + (nextCursor ? '\n(more: pass next_cursor)' : '');
      return { text, data: { conversations: items.map(toSummary), next_cursor: nextCursor } };
    },
  });

export const updateConversationTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_update_conversation',
    title: 'Set title or metadata of a conversation',
    description:
      "Sets a conversation's title (null clears it) and/or replaces its metadata object. The events are not touched.",
    input: z.object({
      conversation_id: ConversationId,
      title: z.string().trim().min(1).max(MAX_TITLE_LENGTH).nullable().optional(),
      metadata: z.record(z.string(), z.unknown()).optional().describe('Replaces the whole metadata object.'),
    }),
    output: ConversationSummary,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      if (args.title === undefined && args.metadata === undefined) {
        throw new ToolError('INVALID_INPUT', 'nothing to update: pass title and/or metadata');
      }
      if (args.metadata !== undefined && JSON.stringify(args.metadata).length > 100_000) {
        throw new ToolError('INVALID_INPUT', 'metadata is larger than 100,000 characters of JSON');
      }
      const updated = await ctx.history.updateConversation(
        args.conversation_id,
        { title: args.title, metadata: args.metadata },
        ctx.now(),
      );
      if (!updated) {
        throw new ToolError('NOT_FOUND', `conversation ${args.conversation_id} does not exist`);
      }
      ctx.notify.conversationChanged(args.conversation_id);
      return {
        text: `Updated ${updated.id}${updated.title ? `: "${updated.title}"` : ''}.`,
        data: toSummary(updated),
      };
    },
  });

export const deleteConversationTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_delete_conversation',
    title: 'Delete a conversation',
    description:
      'Deletes a conversation with all its events, usage totals and request ledger. This cannot be undone ' +
      '(history_export it first to keep a copy).',
    input: z.object({ conversation_id: ConversationId }),
    output: z.object({
      conversation_id: z.string(),
      deleted: z.literal(true),
      events_deleted: z.number().int(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      await requireConversation(ctx, args.conversation_id);
      const deleted = await ctx.history.deleteConversation(args.conversation_id);
      if (deleted === null) {
        throw new ToolError('NOT_FOUND', `conversation ${args.conversation_id} does not exist`);
      }
      ctx.notify.conversationChanged(args.conversation_id);
      ctx.notify.conversationsListChanged();
      return {
        text: `Deleted ${args.conversation_id} and its ${deleted} event${deleted === 1 ? '' : 's'}.`,
        data: { conversation_id: args.conversation_id, deleted: true as const, events_deleted: deleted },
      };
    },
  });
