/** history_search: full-text search over events (FTS5, BM25 ranking, highlighted snippets). */
import { HistoryEventType } from '@choir/contracts';
import { defineTool, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { ConversationId } from '../events.js';
import { toFtsQuery } from '../search-query.js';
import { type HistoryServerContext, requireConversation } from '../server-context.js';

/** Deep offsets cost as much as everything before them; past this, narrow the query instead. */
export const MAX_OFFSET = 1000;

interface SearchCursor {
  o: number;
}
const isSearchCursor = (v: unknown): v is SearchCursor =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as SearchCursor).o) &&
  (v as SearchCursor).o >= 0;

export const searchTool = (ctx: HistoryServerContext) =>
  defineTool({
    name: 'history_search',
    title: 'Search conversations',
    description:
      'Full-text search over event content, across all conversations or within one, ranked by BM25, with ' +
      'the matching words **highlighted** in a snippet. Words must all match (match: "any" for either); ' +
      '"quoted words" match as a phrase; word* matches a prefix.',
    input: z.object({
      query: z.string().min(1).max(1000),
      conversation_id: ConversationId.optional(),
      types: z.array(HistoryEventType).min(1).max(7).optional(),
      match: z.enum(['all', 'any']).default('all'),
      limit: z.number().int().min(1).max(50).default(10),
      cursor: z.string().max(1000).optional(),
    }),
    output: z.object({
      /** The FTS5 expression that ran. */
      fts_query: z.string(),
      results: z.array(
        z.object({
          conversation_id: z.string(),
          seq: z.number().int(),
          type: HistoryEventType,
          role: z.string(),
          timestamp: z.string(),
          /** Content around the match, matches wrapped in ** **. */
          snippet: z.string(),
          /** BM25 relevance, higher is better; comparable within one query only. */
          score: z.number(),
        }),
      ),
      next_cursor: z.string().nullable(),
    }),
    annotations: { readOnlyHint: true, openWorldHint: false },
    async handler(args) {
      const match = toFtsQuery(args.query, args.match);
      if (!match) throw new ToolError('INVALID_INPUT', 'query has no words to search for');
      let offset = 0;
      if (args.cursor !== undefined) {
        const cursor = decodeCursor(args.cursor, isSearchCursor);
        if (!cursor) throw new ToolError('INVALID_INPUT', 'cursor is not one this tool returned');
        offset = cursor.o;
      }
      if (args.conversation_id) await requireConversation(ctx, args.conversation_id);
      const rows = await ctx.history.search({
        match,
        conversationId: args.conversation_id,
        types: args.types,
        limit: args.limit + 1,
        offset,
      });
      const results = rows.slice(0, args.limit).map((r) => ({ ...r, type: r.type as HistoryEventType }));
      const nextOffset = offset + results.length;
      const nextCursor =
        rows.length > args.limit && nextOffset <= MAX_OFFSET ? encodeCursor({ o: nextOffset }) : null;
      const text =
        results.length === 0
          ? `No events match ${args.query}.`
          : results.map((r) => `${r.conversation_id} #${r.seq} (${r.type}): ${r.snippet}`).join('\n');
      return { text, data: { fts_query: match, results, next_cursor: nextCursor } };
    },
  });
