/** persona_session_get: a chat session or conversation with its turns, paginated. */
import { defineTool, type ToolSpec, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../cursor.js';
import type { Runtime } from '../runtime.js';
import { getSession, turnsAfter } from '../store/sessions.js';
import { annotations, cursorInput, limitInput } from './shapes.js';

export const turnShape = z.object({
  turn_number: z.number().int(),
  speaker_id: z.string(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  response_type: z.enum(['message', 'generated', 'fallback']),
  continue_score: z.number().nullable(),
  tokens: z.number().int(),
  prompt_tokens: z.number().int().nullable(),
  processing_ms: z.number().int().nullable(),
  model: z.string().nullable(),
  created_at: z.string(),
});

export function sessionTools(rt: Runtime): ToolSpec[] {
  const isAfter = (v: Record<string, unknown>): v is { after: number } => typeof v.after === 'number';
  const get = defineTool({
    name: 'persona_session_get',
    title: 'Get a session',
    description:
      'A stored chat session or persona-to-persona conversation: summary, counters and turns (oldest first, paginated), including turns already folded into the summary.',
    input: z.object({
      session_id: z.string().trim().min(1).max(100),
      cursor: cursorInput,
      limit: limitInput(50, 200),
    }),
    output: z.object({
      session: z.object({
        id: z.string(),
        kind: z.enum(['chat', 'conversation']),
        persona_id: z.string(),
        partner_id: z.string(),
        topic: z.string().nullable(),
        status: z.enum(['active', 'expired', 'complete']),
        stop_reason: z.string().nullable(),
        summary: z.string().nullable(),
        summary_kind: z.string().nullable(),
        summarized_through: z.number().int(),
        turn_count: z.number().int(),
        tokens_total: z.number().int(),
        created_at: z.string(),
        last_activity: z.string(),
      }),
      turns: z.array(turnShape),
      next_cursor: z.string().nullable(),
    }),
    annotations: annotations.read,
    async handler(args) {
      const session = await getSession(rt.db, args.session_id);
      if (!session) throw new ToolError('NOT_FOUND', `no session ${args.session_id}`);
      const after = args.cursor ? decodeCursor(args.cursor, isAfter).after : 0;
      const rows = await turnsAfter(rt.db, session.id, after, args.limit + 1);
      const shown = rows.slice(0, args.limit);
      const turns = shown.map((t) => ({
        ...t,
        role: t.role as 'user' | 'assistant',
        response_type: t.response_type as 'message' | 'generated' | 'fallback',
      }));
      const next =
        rows.length > args.limit ? encodeCursor({ after: shown[shown.length - 1]!.turn_number }) : null;
      return {
        text:
          `${session.kind} ${session.id} (${session.persona_id} ↔ ${session.partner_id}, ${session.status}, ${session.turn_count} turns)\n` +
          turns.map((t) => `#${t.turn_number} ${t.speaker_id}: ${t.content}`).join('\n'),
        data: {
          session: {
            ...session,
            kind: session.kind as 'chat' | 'conversation',
            status: session.status as 'active' | 'expired' | 'complete',
          },
          turns,
          next_cursor: next,
        },
      };
    },
  });
  return [get];
}
