/** reasoning_session_list and reasoning_session_get: reading sessions, a page at a time. */
import { defineTool } from '@choir/server-kit';
import { z } from 'zod';
import { pageOf } from '../cursor.js';
import type { ReasoningDeps } from '../deps.js';
import { parseMetadata } from '../store/ids.js';
import { listSessions, listThoughts, sessionCounts } from '../store/sessions.js';
import type { SessionRow } from '../store/tables.js';
import {
  Cursor,
  Id,
  Limit,
  offsetOf,
  READS,
  requireBranch,
  requireSession,
  ThoughtOut,
  thoughtOut,
} from './shared.js';

const SessionOut = z.object({
  session_id: z.string(),
  mode: z.string(),
  title: z.string().nullable(),
  active_branch_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

function sessionOut(row: SessionRow) {
  return {
    session_id: row.id,
    mode: row.mode,
    title: row.title,
    active_branch_id: row.active_branch_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export const sessionListTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_session_list',
    title: 'List reasoning sessions',
    description: 'Lists sessions, most recently updated first, a page at a time.',
    input: z.object({
      mode: z.string().max(40).optional().describe('only sessions started in this mode'),
      cursor: Cursor,
      limit: Limit(20, 100),
    }),
    output: z.object({
      sessions: z.array(SessionOut.extend({ thought_count: z.number().int() })),
      next_cursor: z.string().nullable(),
    }),
    annotations: READS,
    async handler(args) {
      const offset = offsetOf(args.cursor);
      const rows = await listSessions(deps.store.db, { mode: args.mode, offset, limit: args.limit + 1 });
      const page = pageOf(rows, offset, args.limit);
      const sessions = page.items.map((row) => ({ ...sessionOut(row), thought_count: row.thought_count }));
      const lines = sessions.map(
        (s) => `${s.session_id} [${s.mode}] ${s.thought_count} thoughts — ${s.title ?? ''}`,
      );
      return {
        text: sessions.length ? lines.join('\n') : 'No sessions.',
        data: { sessions, next_cursor: page.next_cursor },
      };
    },
  });

export const sessionGetTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_session_get',
    title: 'Read a reasoning session',
    description:
      'A session with its counts and its thoughts in order, a page at a time (abandoned thoughts included unless ' +
      'include_abandoned is false).',
    input: z.object({
      session_id: Id,
      branch_id: Id.optional().describe('only thoughts on this branch'),
      include_abandoned: z.boolean().default(true),
      cursor: Cursor,
      limit: Limit(50, 200),
    }),
    output: z.object({
      session: SessionOut.extend({ metadata: z.record(z.string(), z.unknown()) }),
      counts: z.object({
        thoughts: z.number().int(),
        active_thoughts: z.number().int(),
        branches: z.number().int(),
        checkpoints: z.number().int(),
        graph_nodes: z.number().int(),
        graph_edges: z.number().int(),
      }),
      thoughts: z.array(ThoughtOut),
      next_cursor: z.string().nullable(),
    }),
    annotations: READS,
    async handler(args) {
      const db = deps.store.db;
      const offset = offsetOf(args.cursor);
      const session = await requireSession(db, args.session_id);
      if (args.branch_id) await requireBranch(db, session.id, args.branch_id);
      const rows = await listThoughts(db, session.id, {
        offset,
        limit: args.limit + 1,
        includeAbandoned: args.include_abandoned,
        branchId: args.branch_id,
      });
      const page = pageOf(rows, offset, args.limit);
      const counts = await sessionCounts(db, session.id);
      const thoughts = page.items.map(thoughtOut);
      const lines = thoughts.map(
        (t) =>
          `${t.seq}. ${t.status === 'abandoned' ? '(abandoned) ' : ''}[${t.mode}/${t.kind}] ${t.content}`,
      );
      return {
        text: `Session ${session.id} (${session.mode}): ${counts.thoughts} thoughts, ${counts.branches} branches, ${counts.checkpoints} checkpoints, ${counts.graph_nodes} graph nodes.\n${lines.join('\n')}`,
        data: {
          session: { ...sessionOut(session), metadata: parseMetadata(session.metadata) },
          counts,
          thoughts,
          next_cursor: page.next_cursor,
        },
      };
    },
  });
