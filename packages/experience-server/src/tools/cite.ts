/** experience_cite and experience_rewards: citations, the rewards they earn, and the ledger. */
import { defineTool, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { decideCitationRewards } from '../citation-rewards.js';
import type { ExperienceContext } from '../context.js';
import { formatExperienceId } from '../ids.js';
import { roundReward } from '../novelty.js';
import type { RewardFilter } from '../store.js';
import { ExperienceId, nowIso, resolveId, resolveIds, ThreadId } from './common.js';

export const CiteInput = z.object({
  citing_id: ExperienceId.describe('The experience that cites (usually the recorded final answer).'),
  cited_ids: z.array(ExperienceId).min(1).max(50).describe('The experiences it cites.'),
});

export const CiteOutput = z.object({
  citing_id: z.string(),
  recorded: z.number().int().describe('New citations stored by this call.'),
  rewards: z.array(z.object({ experience_id: z.string(), reward: z.number() })),
  already_cited: z.array(z.string()).describe('Cited ids this message had already cited: not counted again.'),
});

export const citeTool = (context: ExperienceContext) =>
  defineTool({
    name: 'experience_cite',
    title: 'Record citations',
    description:
      'Records that one experience cites others (the Yield answer citing its priors). Each new citation ' +
      'earns the cited experience 0.5, for at most 5 citations per citing message; citing the same ' +
      'experience again adds nothing. Self-citation and unknown ids are refused and nothing is written.',
    input: CiteInput,
    output: CiteOutput,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      const { store } = context;
      if (args.cited_ids.includes(args.citing_id)) {
        throw new ToolError('INVALID_INPUT', `${args.citing_id} cannot cite itself`);
      }
      const createdAt = nowIso(context.now);
      const outcome = await store.transaction(async (trx) => {
        const citing = await resolveId(store, trx, args.citing_id, 'citing experience');
        const cited = await resolveIds(store, trx, args.cited_ids, 'cited experience');
        const previous = await store.citationsFrom(trx, citing);
        const decisions = decideCitationRewards(cited, previous.cited, previous.rewarded);
        const records = new Map((await store.getExperiences(trx, cited)).map((r) => [r.seq, r]));
        for (const decision of decisions) {
          if (!decision.isNew) continue;
          await store.insertCitation(trx, citing, decision.cited, decision.reward, createdAt);
          if (decision.reward > 0) {
            const record = records.get(decision.cited)!;
            await store.insertReward(trx, {
              experienceSeq: decision.cited,
              kind: 'citation',
              amount: decision.reward,
              author: record.author,
              threadId: record.thread_id,
              sourceSeq: citing,
              createdAt,
            });
          }
        }
        return decisions;
      });
      const rewards = outcome.map((d) => ({ experience_id: formatExperienceId(d.cited), reward: d.reward }));
      const recorded = outcome.filter((d) => d.isNew).length;
      const already = outcome.filter((d) => !d.isNew).map((d) => formatExperienceId(d.cited));
      const total = roundReward(rewards.reduce((sum, r) => sum + r.reward, 0));
      const text =
        `${args.citing_id} cites ${rewards.map((r) => r.experience_id).join(', ')}: ${recorded} new, ` +
        `rewards ${total}${already.length ? `; already cited: ${already.join(', ')}` : ''}.`;
      return { text, data: { citing_id: args.citing_id, recorded, rewards, already_cited: already } };
    },
  });

const Group = z.object({ total: z.number(), count: z.number().int() });

export const RewardsInput = z.object({
  author: z.string().min(1).max(200).optional(),
  thread_id: ThreadId.optional(),
  experience_id: ExperienceId.optional(),
  kind: z.enum(['novelty', 'citation']).optional(),
  limit: z.number().int().min(1).max(200).default(50).describe('Ledger entries per page.'),
  cursor: z.string().regex(/^\d+$/, 'cursor must be a next_cursor from an earlier call').optional(),
});

export const RewardsOutput = z.object({
  entries: z.array(
    z.object({
      id: z.number().int(),
      experience_id: z.string(),
      kind: z.enum(['novelty', 'citation']),
      amount: z.number(),
      author: z.string().nullable(),
      thread_id: z.string().nullable(),
      source_id: z.string().nullable().describe('For a citation reward, the citing experience.'),
      created_at: z.string(),
    }),
  ),
  totals: Group.extend({
    by_author: z.array(Group.extend({ author: z.string().nullable() })),
    by_thread: z.array(Group.extend({ thread_id: z.string().nullable() })),
  }),
  next_cursor: z.string().nullable(),
});

/** Groups listed per total: the largest first. */
const MAX_GROUPS = 50;

export const rewardsTool = (context: ExperienceContext) =>
  defineTool({
    name: 'experience_rewards',
    title: 'Reward ledger',
    description:
      'The reward ledger (novelty rewards paid at record, citation rewards paid at cite), newest first and ' +
      'paginated (pass next_cursor as cursor), with totals overall, by author and by thread (top 50 each). ' +
      'Filters: author, thread_id, experience_id, kind.',
    input: RewardsInput,
    output: RewardsOutput,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      const { store } = context;
      const db = store.db;
      const filter: RewardFilter = {
        ...(args.author === undefined ? {} : { author: args.author }),
        ...(args.thread_id === undefined ? {} : { threadId: args.thread_id }),
        ...(args.kind === undefined ? {} : { kind: args.kind }),
        ...(args.experience_id === undefined
          ? {}
          : { experienceSeq: await resolveId(store, db, args.experience_id) }),
      };
      const rows = await store.rewardEntries(
        db,
        filter,
        args.limit + 1,
        args.cursor ? Number(args.cursor) : undefined,
      );
      const page = rows.slice(0, args.limit);
      const nextCursor = rows.length > args.limit ? String(page[page.length - 1]!.id) : null;
      const total = await store.rewardTotal(db, filter);
      const byAuthor = await store.rewardGroups(db, filter, 'author', MAX_GROUPS);
      const byThread = await store.rewardGroups(db, filter, 'thread_id', MAX_GROUPS);
      const data = {
        entries: page.map((e) => ({
          id: e.id,
          experience_id: formatExperienceId(e.experience_seq),
          kind: e.kind,
          amount: e.amount,
          author: e.author,
          thread_id: e.thread_id,
          source_id: e.source_seq === null ? null : formatExperienceId(e.source_seq),
          created_at: e.created_at,
        })),
        totals: {
          total: roundReward(total.total),
          count: total.count,
          by_author: byAuthor.map((g) => ({ author: g.key, total: roundReward(g.total), count: g.count })),
          by_thread: byThread.map((g) => ({ thread_id: g.key, total: roundReward(g.total), count: g.count })),
        },
        next_cursor: nextCursor,
      };
      const authors = data.totals.by_author
        .slice(0, 5)
        .map((a) => `${a.author ?? '(no author)'} ${a.total}`)
        .join(', ');
      const text =
        `${data.totals.count} reward${data.totals.count === 1 ? '' : 's'} totalling ${data.totals.total}` +
        (authors ? ` (by author: ${authors})` : '') +
        `; showing ${page.length}${nextCursor ? ', more with cursor' : ''}.`;
      return { text, data };
    },
  });
