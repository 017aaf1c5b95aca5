/** experience_search: the Experience phase — priors for a query, and how new the query is. */
import { defineTool } from '@choir/server-kit';
import { z } from 'zod';
import type { ExperienceContext } from '../context.js';
import { formatExperienceId } from '../ids.js';
import { noveltyOf } from '../novelty.js';
import { DEFAULT_PREVIEW_CHARS, previewOf } from '../preview.js';
import { MAX_TOP_K, SEARCH_MODES, searchMemory } from '../retrieval.js';
import { roundScore } from '../similarity.js';
import { MAX_QUERY_CHARS, PriorOut, ThreadId } from './common.js';

/** Longest preview a search returns per prior; experience_get returns whole texts. */
const MAX_PREVIEW_CHARS = 8_000;

export const SearchInput = z.object({
  query: z
    .string()
    .max(MAX_QUERY_CHARS)
    .refine((s) => s.trim().length > 0, 'query must not be empty')
    .describe('What to look for: usually the user message of this turn.'),
  top_k: z.number().int().min(1).max(MAX_TOP_K).default(5).describe('How many priors to return (1-50).'),
  min_relevance: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe(
      'Drop priors whose cosine similarity to the query (scores.vector) is below this, in every mode.',
    ),
  thread_id: ThreadId.optional().describe('Only search this thread.'),
  mode: z
    .enum(SEARCH_MODES)
    .default('hybrid')
    .describe('hybrid: reciprocal rank fusion of vector and BM25 lists; vector; keyword (BM25).'),
  max_chars: z
    .number()
    .int()
    .min(50)
    .max(MAX_PREVIEW_CHARS)
    .default(DEFAULT_PREVIEW_CHARS)
    .describe('Longest content preview per prior.'),
});

export const SearchOutput = z.object({
  priors: z.array(PriorOut),
  max_similarity: z
    .number()
    .describe('Highest cosine similarity of the query to anything stored (0 when empty).'),
  novelty: z.number().describe('1 - max_similarity.'),
  mode: z.enum(SEARCH_MODES),
});

export const searchTool = (context: ExperienceContext) =>
  defineTool({
    name: 'experience_search',
    title: 'Search memory',
    description:
      'Finds stored experiences relevant to a query (the Experience phase). mode hybrid (default) fuses the ' +
      'vector and BM25 keyword rankings by reciprocal rank fusion (k=60); vector and keyword use one ranking. ' +
      'Each prior has its id (cite it as [id]), score (hybrid: fused RRF score; vector: cosine similarity; ' +
      'keyword: BM25), component scores, a content preview, thread, role and time. Also returns the ' +
      "query's max_similarity to everything stored and its novelty.",
    input: SearchInput,
    output: SearchOutput,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args, ctx) {
      const embedder = context.requireEmbedder();
      const space = await context.currentSpace(ctx.signal);
      if (!space) {
        return {
          text: 'Memory is empty: nothing to search yet.',
          data: { priors: [], max_similarity: 0, novelty: 1, mode: args.mode },
        };
      }
      // persist: false keeps search free of writes; the in-memory memo still serves the record that follows.
      const embedding = await embedder.embedOne(args.query, { signal: ctx.signal, persist: false });
      const { candidates, maxSimilarity } = await searchMemory(context.store, space, embedding, {
        query: args.query,
        topK: args.top_k,
        minRelevance: args.min_relevance,
        threadId: args.thread_id,
        mode: args.mode,
      });
      const records = await context.store.getExperiences(
        context.store.db,
        candidates.map((c) => c.seq),
      );
      const bySeq = new Map(records.map((r) => [r.seq, r]));
      const priors: PriorOut[] = candidates.flatMap((c) => {
        const record = bySeq.get(c.seq);
        if (!record) return [];
        const preview = previewOf(record.content, args.max_chars);
        return [
          {
            id: formatExperienceId(c.seq),
            score: roundScore(c.score),
            scores: {
              vector: roundScore(c.similarity ?? 0),
              ...(c.keyword === undefined ? {} : { keyword: roundScore(c.keyword) }),
              ...(c.fused === undefined ? {} : { fused: roundScore(c.fused) }),
            },
            content: preview.text,
            truncated: preview.truncated,
            thread_id: record.thread_id,
            role: record.role,
            phase: record.phase,
            author: record.author,
            tags: record.tags,
            created_at: record.created_at,
          },
        ];
      });
      const max = roundScore(maxSimilarity);
      const lines = priors.map(
        (p) =>
          `[${p.id}] (${p.role}${p.thread_id ? `, ${p.thread_id}` : ''}, score ${p.score}) ${oneLine(p.content)}`,
      );
      const text =
        `${priors.length} prior${priors.length === 1 ? '' : 's'} (${args.mode}); max similarity ${max.toFixed(3)}, ` +
        `novelty ${roundScore(noveltyOf(max)).toFixed(3)}.` +
        (lines.length ? `\n${lines.join('\n')}` : '');
      return {
        text,
        data: { priors, max_similarity: max, novelty: roundScore(noveltyOf(max)), mode: args.mode },
      };
    },
  });

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
