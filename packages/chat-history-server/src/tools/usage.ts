/** history_usage: tokens and cost per conversation and per model, from events' usage. */
import { defineTool, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { ConversationId } from '../events.js';
import { type HistoryServerContext, requireConversation } from '../server-context.js';

const Sums = z.object({
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cost_usd: z.number(),
  /** Events that carried usage. */
  events: z.number().int(),
});

interface UsageCursor {
  o: number;
}
const isUsageCursor = (v: unknown): v is UsageCursor =>
  typeof v === 'object' && v !== null && Number.isInteger((v as UsageCursor).o) && (v as UsageCursor).o >= 0;

/** Float sums of many small costs pick up noise in the last digits; a cent has 2, a report needs 6. */
const roundCost = (usd: number) => Math.round(usd * 1e6) / 1e6;

export const usageTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_usage',
    title: 'Token usage and cost',
    description:
      'Tokens and cost summed from the usage of appended events: in total, per model and per conversation ' +
      '(costliest first, paginated). Totals survive retention pruning; deleting a conversation removes its share.',
    input: z.object({
      conversation_id: ConversationId.optional(),
      limit: z.number().int().min(1).max(100).default(20),
      cursor: z.string().max(1000).optional(),
    }),
    output: z.object({
      total: Sums,
      /** Model "unknown" collects events with usage but no model. */
      by_model: z.array(Sums.extend({ model: z.string() })),
      by_conversation: z.array(Sums.extend({ conversation_id: z.string() })),
      next_cursor: z.string().nullable(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async handler(args) {
      let offset = 0;
      if (args.cursor !== undefined) {
        const cursor = decodeCursor(args.cursor, isUsageCursor);
        if (!cursor) throw new ToolError('INVALID_INPUT', 'cursor is not one this tool returned');
        offset = cursor.o;
      }
      if (args.conversation_id) await requireConversation(ctx, args.conversation_id);
      const report = await ctx.history.usageReport(args.conversation_id, args.limit + 1, offset);
      const byConversation = report.byConversation.slice(0, args.limit);
      const nextCursor =
        report.byConversation.length > args.limit
          ? encodeCursor({ o: offset + byConversation.length })
          : null;
      const total = { ...report.total, cost_usd: roundCost(report.total.cost_usd) };
      const byModel = report.byModel.map((m) => ({
        ...m,
        model: m.model || 'unknown',
        cost_usd: roundCost(m.cost_usd),
      }));
      const text =
        `${total.input_tokens} input + ${total.output_tokens} output tokens, $${total.cost_usd} over ${total.events} events` +
        (args.conversation_id ? ` in ${args.conversation_id}` : '') +
        '.\n' +
        byModel
          .map((m) => `${m.model}: ${m.input_tokens} in, ${m.output_tokens} out, $${m.cost_usd}`)
          .join('\n');
      return {
        text,
        data: {
          total,
          by_model: byModel,
          by_conversation: byConversation.map((c) => ({ ...c, cost_usd: roundCost(c.cost_usd) })),
          next_cursor: nextCursor,
        },
      };
    },
  });
