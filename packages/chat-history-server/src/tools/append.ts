/** history_append: the write path of the event log. */
import { defineTool, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { type HistoryServerContext, refusing } from '../server-context.js';
import {
  batchFingerprint,
  batchProblems,
  ConversationId,
  EventInput,
  RequestId,
  toEventRow,
} from '../events.js';
import { describeSeqs } from '../schemas.js';

export const MAX_BATCH = 1000;
/** Content of one batch, in characters: bounds the tokenizing and the transaction one call can cause. */
export const MAX_BATCH_CHARS = 5_000_000;

export const appendTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_append',
    title: 'Append events to a conversation',
    description:
      'Appends one or more events to a conversation (created if new). Each event gets the next seq of ' +
      'its conversation, gap-free and in order. The batch is atomic: one invalid event rejects it all. ' +
      'Pass request_id to make a retry safe: the same request_id returns the original seqs and writes ' +
      'nothing. Event types: user_message, assistant_message, tool_call (tool_calls: [{ id, name, ' +
      'arguments }]), tool_result (tool_call_id), phase_output, system_update, meta.' +
      (ctx.config.retention.policy === 'unlimited'
        ? ''
        : ` The ${ctx.config.retention.policy} retention policy then prunes the conversation's oldest events.`),
    input: z.object({
      conversation_id: ConversationId,
      request_id: RequestId.optional().describe('Idempotency key of this batch within the conversation.'),
      events: z.array(EventInput).min(1).max(MAX_BATCH),
    }),
    output: z.object({
      conversation_id: z.string(),
      /** One per event, in order. */
      seqs: z.array(z.number().int()),
      /** True when request_id was seen before: the seqs are the original ones and nothing was written. */
      duplicate: z.boolean(),
      /** token_count of each appended event, in order (empty on a duplicate). */
      token_counts: z.array(z.number().int()),
      /** Old events the retention policy removed after this append. */
      pruned_events: z.number().int(),
    }),
    annotations: {
      readOnlyHint: false,
      // Retention deletes old events after an append unless the policy is unlimited.
      destructiveHint: ctx.config.retention.policy !== 'unlimited',
      idempotentHint: false,
      openWorldHint: false,
    },
    async handler(args) {
      const problems = batchProblems(args.events);
      const chars = args.events.reduce((n, e) => n + e.content.length, 0);
      if (chars > MAX_BATCH_CHARS) {
        problems.push(
          `events: ${chars} characters of content exceed the batch limit of ${MAX_BATCH_CHARS}; split the batch`,
        );
      }
      if (problems.length > 0) {
        throw new ToolError('INVALID_INPUT', `${problems.join('; ')}. Nothing was written.`);
      }
      const now = ctx.now();
      const requestId = args.request_id ?? null;
      const rows = args.events.map((event) =>
        toEventRow(event, { now, requestId, countTokens: ctx.tokenizer.count }),
      );
      const outcome = await refusing(() =>
        ctx.history.append({
          conversationId: args.conversation_id,
          requestId,
          fingerprint: batchFingerprint(args.events),
          rows,
          now,
          retention: ctx.config.retention,
        }),
      );
      if (!outcome.duplicate) ctx.notify.conversationChanged(args.conversation_id);
      if (outcome.created) ctx.notify.conversationsListChanged();
      const pruned = outcome.pruned.eventsToDelete;
      const text = outcome.duplicate
        ? `Already appended as request ${requestId}: ${describeSeqs(outcome.seqs)} of ${args.conversation_id}. Nothing was written.`
        : `Appended ${rows.length} event${rows.length === 1 ? '' : 's'} to ${args.conversation_id} (${describeSeqs(outcome.seqs)}).` +
          (pruned > 0
            ? ` Retention (${ctx.config.retention.policy}) removed ${pruned} old event${pruned === 1 ? '' : 's'}.`
            : '');
      return {
        text,
        data: {
          conversation_id: args.conversation_id,
          seqs: outcome.seqs,
          duplicate: outcome.duplicate,
          token_counts: outcome.duplicate ? [] : rows.map((r) => r.token_count),
          pruned_events: pruned,
        },
      };
    },
  });
