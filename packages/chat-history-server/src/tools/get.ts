/** history_get: a page of a conversation's events, never the whole log. */
import { HistoryEventType } from '@choir/contracts';
import { defineTool, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { type HistoryServerContext, requireConversation } from '../server-context.js';
import { ConversationId, EventOutput, toEventOutput } from '../events.js';
import { describeSeqs } from '../schemas.js';

export const MAX_PAGE = 200;
/** A page stops growing past this much content, so a few huge events cannot make a huge result. */
export const MAX_PAGE_CHARS = 1_000_000;

export const getTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_get',
    title: 'Read events of a conversation',
    description:
      'Returns a page of events of a conversation in seq order: after_seq pages forward (oldest first), ' +
      'before_seq pages backward (newest first). Filter by types. Follow next_after_seq / next_before_seq ' +
      'for the next page.',
    input: z.object({
      conversation_id: ConversationId,
      after_seq: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe('Events with a greater seq, ascending. Default 0.'),
      before_seq: z.number().int().min(1).optional().describe('Events with a smaller seq, descending.'),
      limit: z.number().int().min(1).max(MAX_PAGE).default(50),
      types: z.array(HistoryEventType).min(1).max(7).optional(),
    }),
    output: z.object({
      conversation_id: z.string(),
      events: z.array(EventOutput),
      has_more: z.boolean(),
      /** Pass as after_seq for the next page (ascending reads); null at the end. */
      next_after_seq: z.number().int().nullable().optional(),
      /** Pass as before_seq for the next page (descending reads); null at the start. */
      next_before_seq: z.number().int().nullable().optional(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async handler(args) {
      if (args.after_seq !== undefined && args.before_seq !== undefined) {
        throw new ToolError('INVALID_INPUT', 'pass after_seq or before_seq, not both');
      }
      await requireConversation(ctx, args.conversation_id);
      const descending = args.before_seq !== undefined;
      const rows = await ctx.history.events({
        conversationId: args.conversation_id,
        afterSeq: args.after_seq,
        beforeSeq: args.before_seq,
        limit: args.limit + 1,
        types: args.types,
      });
      const page: typeof rows = [];
      let chars = 0;
      for (const row of rows.slice(0, args.limit)) {
        if (page.length > 0 && chars + row.content.length > MAX_PAGE_CHARS) break;
        page.push(row);
        chars += row.content.length;
      }
      const hasMore = rows.length > page.length;
      const last = page.at(-1)?.seq;
      const next = hasMore && last !== undefined ? last : null;
      const events = page.map(toEventOutput);
      const text =
        events.length === 0
          ? `No events in ${args.conversation_id} ${descending ? `before seq ${args.before_seq}` : `after seq ${args.after_seq ?? 0}`}.`
          : `${events.length} event${events.length === 1 ? '' : 's'} of ${args.conversation_id} (${describeSeqs(
              events.map((e) => e.seq),
            )})${hasMore ? '; more follow' : ''}.\n` +
            events.map((e) => `#${e.seq} ${e.type}: ${e.content.slice(0, 200)}`).join('\n');
      return {
        text,
        data: {
          conversation_id: args.conversation_id,
          events,
          has_more: hasMore,
          ...(descending ? { next_before_seq: next } : { next_after_seq: next }),
        },
      };
    },
  });
