/** reasoning_search: full-text search over thoughts (FTS5 with porter stemming), best matches first. */
import { defineTool, invalidInput } from '@choir/server-kit';
import { z } from 'zod';
import { pageOf } from '../cursor.js';
import type { ReasoningDeps } from '../deps.js';
import { toFtsQuery } from '../fts-query.js';
import { searchThoughts } from '../store/search.js';
import { Cursor, Id, Limit, offsetOf, READS, requireSession } from './shared.js';

export const searchTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_search',
    title: 'Search thoughts',
    description:
      'Full-text search over stored thoughts (word stems match: "running" finds "run"), ranked by BM25. Every ' +
      'word must occur unless match is "any". Abandoned thoughts are left out unless include_abandoned.',
    input: z.object({
      query: z.string().trim().min(1).max(500),
      session_id: Id.optional(),
      mode: z.string().max(40).optional().describe('only thoughts of this mode (linear, tree, …)'),
      match: z.enum(['all', 'any']).default('all'),
      include_abandoned: z.boolean().default(false),
      cursor: Cursor,
      limit: Limit(10, 50),
    }),
    output: z.object({
      query: z.string(),
      results: z.array(
        z.object({
          thought_id: z.string(),
          session_id: z.string(),
          seq: z.number().int(),
          mode: z.string(),
          status: z.string(),
          snippet: z.string(),
          score: z.number(),
        }),
      ),
      next_cursor: z.string().nullable(),
    }),
    annotations: READS,
    async handler(args) {
      const db = deps.store.db;
      const offset = offsetOf(args.cursor);
      const match = toFtsQuery(args.query, args.match);
      if (!match) throw invalidInput('query has no words to search for');
      if (args.session_id) await requireSession(db, args.session_id);
      const rows = await searchThoughts(db, {
        match,
        sessionId: args.session_id,
        mode: args.mode,
        includeAbandoned: args.include_abandoned,
        offset,
        limit: args.limit + 1,
      });
      const page = pageOf(rows, offset, args.limit);
      return {
        text: page.items.length
          ? page.items
              .map((r) => `${r.thought_id} (session ${r.session_id}, #${r.seq}): ${r.snippet}`)
              .join('\n')
          : `No thoughts match ${JSON.stringify(args.query)}.`,
        data: { query: args.query, results: page.items, next_cursor: page.next_cursor },
      };
    },
  });
