/** experience_stats, experience_get, experience_delete, experience_reindex: looking after the memory. */
import { defineTool, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import type { ExperienceContext } from '../context.js';
import { formatExperienceId } from '../ids.js';
import { roundReward } from '../novelty.js';
import { decideVectorSpace, describeSpace, type VectorSpace } from '../vector-space.js';
import { ExperienceId, ExperienceOut, nowIso, resolveIds, ThreadId } from './common.js';

export const StatsOutput = z.object({
  experiences: z.number().int(),
  threads: z.number().int(),
  links: z.number().int(),
  citations: z.number().int(),
  by_role: z.array(z.object({ role: z.string(), count: z.number().int() })),
  rewards: z.object({ novelty: z.number(), citation: z.number() }),
  oldest: z.string().nullable(),
  newest: z.string().nullable(),
  embedder: z.object({
    configured: z.string().nullable(),
    /** null while a provider embedder has not answered yet. */
    configured_dimension: z.number().int().nullable(),
    stored: z.string().nullable(),
    stored_dimension: z.number().int().nullable(),
    status: z
      .enum(['ready', 'empty', 'mismatch', 'unknown', 'unavailable'])
      .describe('mismatch: run experience_reindex; unknown: provider dimension not learned yet.'),
  }),
});

export const statsTool = (context: ExperienceContext) =>
  defineTool({
    name: 'experience_stats',
    title: 'Memory statistics',
    description:
      'Counts of experiences, threads, links and citations, experiences per role, reward totals, the time ' +
      'range, and whether the stored vectors match the configured embedder (status mismatch means: run ' +
      'experience_reindex).',
    input: z.object({}),
    output: StatsOutput,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler() {
      const { store } = context;
      const stats = await store.stats(store.db);
      const stored = await store.readVectorSpace(store.db);
      const embedder = context.embedder;
      const dimension = embedder && embedder.dimension > 0 ? embedder.dimension : null;
      let status: z.infer<typeof StatsOutput>['embedder']['status'];
      if (!embedder) status = 'unavailable';
      else if (dimension === null) status = 'unknown';
      else {
        const decision = decideVectorSpace(stored, { name: embedder.name, dimension }, stats.experiences);
        status = decision.action === 'use' ? 'ready' : decision.action === 'mismatch' ? 'mismatch' : 'empty';
      }
      const data = {
        experiences: stats.experiences,
        threads: stats.threads,
        links: stats.links,
        citations: stats.citations,
        by_role: stats.byRole,
        rewards: {
          novelty: roundReward(stats.rewards.novelty),
          citation: roundReward(stats.rewards.citation),
        },
        oldest: stats.oldest,
        newest: stats.newest,
        embedder: {
          configured: embedder?.name ?? null,
          configured_dimension: dimension,
          stored: stored?.embedder ?? null,
          stored_dimension: stored?.dimension ?? null,
          status,
        },
      };
      const roles = data.by_role.map((r) => `${r.role} ${r.count}`).join(', ');
      const text =
        `${data.experiences} experiences in ${data.threads} threads${roles ? ` (${roles})` : ''}; ` +
        `${data.links} links, ${data.citations} citations; rewards: novelty ${data.rewards.novelty}, ` +
        `citation ${data.rewards.citation}. Embedder: ${data.embedder.configured ?? 'none'} — ${status}` +
        (status === 'mismatch' ? ` (stored with ${data.embedder.stored}; run experience_reindex)` : '') +
        '.';
      return { text, data };
    },
  });

export const getTool = (context: ExperienceContext) =>
  defineTool({
    name: 'experience_get',
    title: 'Read experiences',
    description:
      'The full stored text and fields of up to 10 experiences by id (search results show previews).',
    input: z.object({ ids: z.array(ExperienceId).min(1).max(10) }),
    output: z.object({ experiences: z.array(ExperienceOut) }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      const { store } = context;
      const seqs = await resolveIds(store, store.db, args.ids);
      const records = await store.getExperiences(store.db, seqs);
      const experiences = records.map(({ seq, ...rest }) => ({ id: formatExperienceId(seq), ...rest }));
      const text = experiences
        .map(
          (e) =>
            `[${e.id}] (${e.role}${e.thread_id ? `, ${e.thread_id}` : ''}, ${e.created_at})\n${e.content}`,
        )
        .join('\n\n');
      return { text, data: { experiences } };
    },
  });

/** How many deleted ids a delete lists; the count is always exact. */
const LISTED_DELETIONS = 100;

export const deleteTool = (context: ExperienceContext) =>
  defineTool({
    name: 'experience_delete',
    title: 'Delete experiences',
    description:
      'Permanently deletes experiences by id, or every experience of a thread, together with their vectors, ' +
      'links, citations and rewards. Unknown ids are refused and then nothing is deleted.',
    input: z.object({
      ids: z.array(ExperienceId).min(1).max(100).optional(),
      thread_id: ThreadId.optional(),
    }),
    output: z.object({
      deleted: z.number().int(),
      ids: z.array(z.string()).describe(`The deleted ids (at most ${LISTED_DELETIONS} listed).`),
      truncated: z.boolean(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      const { store } = context;
      if ((args.ids === undefined) === (args.thread_id === undefined)) {
        throw new ToolError('INVALID_INPUT', 'give exactly one of ids or thread_id');
      }
      const seqs = await store.transaction(async (trx) => {
        const targets =
          args.ids !== undefined
            ? await resolveIds(store, trx, args.ids)
            : await store.seqsInThread(trx, args.thread_id!);
        if (targets.length === 0) {
          throw new ToolError('NOT_FOUND', `thread ${JSON.stringify(args.thread_id)} has no experiences`);
        }
        await store.deleteExperiences(trx, targets);
        return targets;
      });
      const ids = seqs.slice(0, LISTED_DELETIONS).map(formatExperienceId);
      const text = `Deleted ${seqs.length} experience${seqs.length === 1 ? '' : 's'}: ${ids.join(', ')}${
        seqs.length > ids.length ? ', …' : ''
      }.`;
      return { text, data: { deleted: seqs.length, ids, truncated: seqs.length > ids.length } };
    },
  });

export const ReindexOutput = z.object({
  embedder: z.string(),
  dimension: z.number().int(),
  previous: z.object({ embedder: z.string(), dimension: z.number().int() }).nullable(),
  reindexed: z.number().int().describe('Experiences embedded into the new vector table.'),
  from_cache: z.number().int().describe('How many embeddings came from the cache instead of the embedder.'),
});

export const reindexTool = (context: ExperienceContext) =>
  defineTool({
    name: 'experience_reindex',
    title: 'Re-embed all experiences',
    description:
      'Re-embeds every stored experience with the configured embedder into a fresh vector table and index, ' +
      'then switches to it and drops the old one; needed after changing CHOIR_EMBEDDING. Sends MCP progress ' +
      'notifications per batch when the call carries a progress token. Until the switch, other calls use ' +
      'the old vectors (or are refused, if the embedder changed).',
    input: z.object({
      batch_size: z.number().int().min(1).max(256).default(32).describe('Texts embedded per batch.'),
    }),
    output: ReindexOutput,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args, ctx) {
      if (context.reindexing) throw new ToolError('CONFLICT', 'a reindex is already running in this server');
      context.reindexing = true;
      try {
        return await reindex(context, args.batch_size, ctx);
      } finally {
        context.reindexing = false;
      }
    },
  });

async function reindex(
  context: ExperienceContext,
  batchSize: number,
  ctx: { signal: AbortSignal; progress(n: number, total?: number, message?: string): Promise<void> },
) {
  const { store, logger } = context;
  const embedder = context.requireEmbedder();
  await embedder.ready(ctx.signal);
  const previous = await store.readVectorSpace(store.db);
  const next: VectorSpace = {
    embedder: embedder.name,
    dimension: embedder.dimension,
    generation: (previous?.generation ?? 0) + 1,
  };
  const total = await store.countExperiences(store.db);
  await store.transaction((trx) => store.createVectorTable(trx, next));
  let done = 0;
  let fromCache = 0;
  try {
    await ctx.progress(0, total, `re-embedding ${total} experiences with ${describeSpace(next)}`);
    let after = 0;
    for (;;) {
      ctx.signal.throwIfAborted();
      const batch = await store.experiencesWithoutVector(store.db, next, after, batchSize);
      if (batch.length === 0) break;
      const { vectors, cached } = await embedder.embed(
        batch.map((b) => b.content),
        { signal: ctx.signal },
      );
      fromCache += cached;
      done += await store.transaction(async (trx) => {
        // An experience deleted since the batch was read has nothing to point at: skip it.
        const alive = await store.existingSeqs(
          trx,
          batch.map((b) => b.seq),
        );
        let inserted = 0;
        for (let i = 0; i < batch.length; i++) {
          if (!alive.has(batch[i]!.seq)) continue;
          await store.insertVector(trx, next, batch[i]!.seq, vectors[i]!);
          inserted++;
        }
        return inserted;
      });
      after = batch[batch.length - 1]!.seq;
      await ctx.progress(Math.min(done, total), Math.max(total, done), `${done} of ${total} re-embedded`);
    }
    await store.transaction(async (trx) => {
      // Experiences recorded after the last batch was read are embedded here, under the write lock
      // (without the cache, which cannot be used inside a transaction).
      for (;;) {
        const stragglers = await store.experiencesWithoutVector(trx, next, 0, batchSize);
        if (stragglers.length === 0) break;
        const vectors = await embedder.embedUncached(
          stragglers.map((s) => s.content),
          ctx.signal,
        );
        for (let i = 0; i < stragglers.length; i++) {
          await store.insertVector(trx, next, stragglers[i]!.seq, vectors[i]!);
        }
        done += stragglers.length;
      }
      await store.writeVectorSpace(trx, next, nowIso(context.now));
      if (previous) await store.dropVectorTable(trx, previous);
    });
  } catch (error) {
    // The old vectors stay in charge; the half-built table goes (a later reindex would replace it anyway).
    await store.transaction((trx) => store.dropVectorTable(trx, next)).catch(() => {});
    throw error;
  }
  logger.info({ embedder: next.embedder, dimension: next.dimension, reindexed: done }, 'reindex complete');
  const data = {
    embedder: next.embedder,
    dimension: next.dimension,
    previous: previous ? { embedder: previous.embedder, dimension: previous.dimension } : null,
    reindexed: done,
    from_cache: fromCache,
  };
  const text =
    `Re-embedded ${done} experience${done === 1 ? '' : 's'} with ${describeSpace(next)}` +
    (previous ? `, replacing ${describeSpace(previous)}.` : '.');
  return { text, data };
}
