/** history_apply_retention: runs a retention policy on demand (the configured one, or an override). */
import { defineTool } from '@choir/server-kit';
import { z } from 'zod';
import { ConversationId } from '../events.js';
import { RETENTION_POLICIES, type RetentionPolicy } from '../retention.js';
import { type HistoryServerContext, requireConversation } from '../server-context.js';

const REPORTED = 100;

export const applyRetentionTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_apply_retention',
    title: 'Apply a retention policy',
    description:
      "Deletes conversations' oldest events by a retention policy: the server's configured one, or the " +
      'policy and limits given here. One conversation or all. The newest preserve_recent events always ' +
      'stay, and seqs of later appends continue where they were. dry_run reports without deleting.',
    input: z.object({
      conversation_id: ConversationId.optional().describe('Default: every conversation.'),
      policy: z.enum(RETENTION_POLICIES).optional(),
      max_tokens: z.number().int().min(1).optional(),
      max_messages: z.number().int().min(1).optional(),
      max_age_days: z.number().int().min(1).optional(),
      preserve_recent: z.number().int().min(0).optional(),
      dry_run: z.boolean().default(false),
    }),
    output: z.object({
      policy: z.object({
        policy: z.enum(RETENTION_POLICIES),
        max_tokens: z.number().int(),
        max_messages: z.number().int(),
        max_age_days: z.number().int(),
        preserve_recent: z.number().int(),
      }),
      dry_run: z.boolean(),
      conversations_checked: z.number().int(),
      /** Deleted, or that would be deleted on a dry run. */
      events_deleted: z.number().int(),
      tokens_freed: z.number().int(),
      /** Conversations that lost events (at most 100 listed). */
      conversations: z.array(
        z.object({
          conversation_id: z.string(),
          events_deleted: z.number().int(),
          tokens_freed: z.number().int(),
          delete_through_seq: z.number().int(),
        }),
      ),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      const base = ctx.config.retention;
      const policy: RetentionPolicy = {
        policy: args.policy ?? base.policy,
        maxTokens: args.max_tokens ?? base.maxTokens,
        maxMessages: args.max_messages ?? base.maxMessages,
        maxAgeDays: args.max_age_days ?? base.maxAgeDays,
        preserveRecent: args.preserve_recent ?? base.preserveRecent,
      };
      if (args.conversation_id) await requireConversation(ctx, args.conversation_id);
      const outcomes = await ctx.history.applyRetention({
        conversationId: args.conversation_id,
        policy,
        now: ctx.now(),
        dryRun: args.dry_run,
      });
      const affected = outcomes.filter((o) => o.plan.deleteThroughSeq !== null);
      if (!args.dry_run) for (const o of affected) ctx.notify.conversationChanged(o.conversationId);
      const events = affected.reduce((n, o) => n + o.plan.eventsToDelete, 0);
      const tokens = affected.reduce((n, o) => n + o.plan.tokensToFree, 0);
      const verb = args.dry_run ? 'would delete' : 'deleted';
      return {
        text: `${policy.policy}: ${verb} ${events} events (${tokens} tokens) in ${affected.length} of ${outcomes.length} conversations.`,
        data: {
          policy: {
            policy: policy.policy,
            max_tokens: policy.maxTokens,
            max_messages: policy.maxMessages,
            max_age_days: policy.maxAgeDays,
            preserve_recent: policy.preserveRecent,
          },
          dry_run: args.dry_run,
          conversations_checked: outcomes.length,
          events_deleted: events,
          tokens_freed: tokens,
          conversations: affected.slice(0, REPORTED).map((o) => ({
            conversation_id: o.conversationId,
            events_deleted: o.plan.eventsToDelete,
            tokens_freed: o.plan.tokensToFree,
            delete_through_seq: o.plan.deleteThroughSeq!,
          })),
        },
      };
    },
  });
