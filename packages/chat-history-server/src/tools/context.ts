/** history_context: the newest events of a conversation that fit a model's token budget. */
import { HistoryEventType } from '@choir/contracts';
import { defineTool, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { ContextPacker, MIN_BUDGET, type PackableEvent } from '../context-packing.js';
import type { HistoryServerContext } from '../server-context.js';
import { ConversationId, EventOutput, toEventOutput } from '../events.js';
import type { ContextRow } from '../store.js';

/** What a model's context is made of by default; phase_output and meta are bookkeeping. */
export const DEFAULT_CONTEXT_TYPES: HistoryEventType[] = [
  'user_message',
  'assistant_message',
  'tool_call',
  'tool_result',
  'system_update',
];
const FIRST_PAGE = 32;
const MAX_PAGE = 256;

type Packable = PackableEvent & { row: ContextRow };

const toPackable = (row: ContextRow): Packable => ({
  seq: row.seq,
  type: row.type,
  content: row.content,
  tokenCount: row.token_count,
  callSeq: row.call_seq,
  row,
});

export const ContextEvent = EventOutput.extend({
  /** Present when the content was cut to fit; it then ends with "[…truncated N tokens]". */
  truncated_tokens: z.number().int().optional(),
});

export const contextTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_context',
    title: 'Context window of a conversation',
    description:
      'The newest events of a conversation that fit max_tokens - reserve_tokens (framing included), in ' +
      'chronological order, ready to send to a model. A tool call and its results are kept or dropped ' +
      'together; the newest user message is always included (truncated with a visible marker if it alone ' +
      'exceeds the budget). A conversation with no events yet gives an empty window.',
    input: z.object({
      conversation_id: ConversationId,
      max_tokens: z.number().int().min(MIN_BUDGET).max(2_000_000).default(4000),
      reserve_tokens: z
        .number()
        .int()
        .min(0)
        .max(2_000_000)
        .default(500)
        .describe('Left free for the answer.'),
      types: z
        .array(HistoryEventType)
        .min(1)
        .max(7)
        .optional()
        .describe(
          'Event types to include. Default: user_message, assistant_message, tool_call, tool_result, system_update. ' +
            'Asking for tool_result brings in tool_call and assistant_message, which hold the calls.',
        ),
    }),
    output: z.object({
      conversation_id: z.string(),
      /** Chronological. */
      events: z.array(ContextEvent),
      tokens_used: z.number().int(),
      /** Stored events of the conversation not in this window (older ones, other types, dropped pairs). */
      omitted_events: z.number().int(),
      /** max_tokens - reserve_tokens. */
      budget: z.number().int(),
      /** Whether the conversation exists yet. */
      exists: z.boolean(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async handler(args) {
      const budget = args.max_tokens - args.reserve_tokens;
      if (budget < MIN_BUDGET) {
        throw new ToolError(
          'INVALID_INPUT',
          `max_tokens - reserve_tokens is ${budget}; it must leave at least ${MIN_BUDGET} tokens for context`,
        );
      }
      const types = new Set<HistoryEventType>(args.types ?? DEFAULT_CONTEXT_TYPES);
      if (types.has('tool_result')) {
        types.add('tool_call');
        types.add('assistant_message');
      }
      const conversation = await ctx.history.conversation(args.conversation_id);
      if (!conversation) {
        return {
          text: `${args.conversation_id} has no events yet.`,
          data: {
            conversation_id: args.conversation_id,
            events: [],
            tokens_used: 0,
            omitted_events: 0,
            budget,
            exists: false,
          },
        };
      }
      const pinnedRow = types.has('user_message')
        ? await ctx.history.newestOfType(args.conversation_id, 'user_message')
        : undefined;
      const packer = new ContextPacker<Packable>(
        budget,
        ctx.tokenizer,
        pinnedRow ? toPackable(pinnedRow) : null,
      );
      // Read newest first in growing pages until the packer is full: the work follows the budget,
      // not the length of the conversation.
      let before = Number.MAX_SAFE_INTEGER;
      let pageSize = FIRST_PAGE;
      const typeList = [...types];
      for (;;) {
        const page = await ctx.history.contextPage(args.conversation_id, before, pageSize, typeList);
        let wantsMore = true;
        for (const row of page) {
          wantsMore = packer.offer(toPackable(row));
          if (!wantsMore) break;
        }
        if (!wantsMore || page.length < pageSize) break;
        before = page.at(-1)!.seq;
        pageSize = Math.min(pageSize * 2, MAX_PAGE);
      }
      const packed = packer.finish();
      const events = packed.events.map((p) => {
        const event = { ...toEventOutput(p.event.row), content: p.content };
        return p.truncatedTokens > 0 ? { ...event, truncated_tokens: p.truncatedTokens } : event;
      });
      const omitted = Math.max(0, conversation.event_count - events.length);
      const truncated = events.find((e) => 'truncated_tokens' in e);
      const text =
        `${events.length} event${events.length === 1 ? '' : 's'} of ${args.conversation_id} in ${packed.tokensUsed}/${budget} tokens; ` +
        `${omitted} left out.${truncated ? ` The newest user message (seq ${truncated.seq}) was truncated to fit.` : ''}\n` +
        events.map((e) => `[${e.role}] ${e.content.slice(0, 300)}`).join('\n');
      return {
        text,
        data: {
          conversation_id: args.conversation_id,
          events,
          tokens_used: packed.tokensUsed,
          omitted_events: omitted,
          budget,
          exists: true,
        },
      };
    },
  });
