/** persona_chat: an in-character reply in a persisted session. */
import { defineTool, type ToolSpec } from '@choir/server-kit';
import { z } from 'zod';
import { chat } from '../chat-service.js';
import { resolvePartner } from '../partners.js';
import { requirePersona, type Runtime } from '../runtime.js';
import { DEFAULT_PERSONA } from './prompt.js';
import { annotations, partnerRef, personaRef, statusShape, toStatusShape } from './shapes.js';

export function chatTools(rt: Runtime): ToolSpec[] {
  const chatTool = defineTool({
    name: 'persona_chat',
    title: 'Chat with a persona',
    description:
      "Sends a message to a persona and gets an in-character reply. The session persists (resumed automatically; a new one starts after 24 h of silence); past 50 turns the older ones are folded into a summary, keeping the 20 most recent. Relevant memories are recalled into the prompt. Without a model the reply is one of the persona's fallback lines, marked generated: false.",
    input: z.object({
      persona: personaRef.default(DEFAULT_PERSONA),
      message: z.string().trim().min(1).max(8000),
      session_id: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .optional()
        .describe('continue this session; omit to resume the latest'),
      with: partnerRef.default('user').describe('who is talking to the persona'),
      max_tokens: z.number().int().min(16).max(4000).default(600).describe('longest reply, in tokens'),
      use_memories: z.boolean().default(true),
    }),
    output: z.object({
      session_id: z.string(),
      persona_id: z.string(),
      reply: z.string(),
      generated: z.boolean(),
      model: z.string().nullable(),
      fallback_reason: z
        .string()
        .nullable()
        .describe('why the reply is a fallback line, when generated is false'),
      turn_number: z.number().int().describe("the reply's turn number in the session"),
      continue_score: z.number().describe('0..1: how much the persona wants to keep talking'),
      tokens: z.object({
        message: z.number().int(),
        reply: z.number().int(),
        prompt: z.number().int().nullable(),
      }),
      processing_ms: z.number().int(),
      new_session: z.boolean(),
      expired_session_id: z.string().nullable(),
      summarized: z
        .object({ folded: z.number().int(), kind: z.enum(['model', 'extractive', 'mixed']) })
        .nullable(),
      notes: z.array(z.string()),
      memories_used: z.array(z.string()),
      status: statusShape,
      stored: z
        .boolean()
        .describe('false when the database refused the write (see notes); the reply is still valid'),
    }),
    annotations: annotations.write,
    async handler(args, ctx) {
      const persona = await requirePersona(rt.db, args.persona);
      const partner = await resolvePartner(rt.db, args.with, persona);
      const out = await chat(rt, ctx, {
        persona,
        partner,
        message: args.message,
        sessionId: args.session_id ?? null,
        maxTokens: args.max_tokens,
        useMemories: args.use_memories,
      });
      const notes = [out.storeNote, out.summaryNote, out.memoryNote].filter((n): n is string => n !== null);
      if (out.expiredSessionId)
        notes.unshift(`session ${out.expiredSessionId} expired after 24 h of inactivity`);
      const header = out.generated
        ? `${persona.name}:`
        : `${persona.name} (fallback — ${out.fallbackReason}):`;
      return {
        text: `${header} ${out.reply}`,
        data: {
          session_id: out.sessionId,
          persona_id: persona.id,
          reply: out.reply,
          generated: out.generated,
          model: out.model,
          fallback_reason: out.fallbackReason,
          turn_number: out.turnNumber,
          continue_score: out.continueScore,
          tokens: { message: out.messageTokens, reply: out.replyTokens, prompt: out.promptTokens },
          processing_ms: out.processingMs,
          new_session: out.newSession,
          expired_session_id: out.expiredSessionId,
          summarized: out.summarized as { folded: number; kind: 'model' | 'extractive' | 'mixed' } | null,
          notes,
          memories_used: out.memoriesUsed,
          status: toStatusShape(out.status),
          stored: out.stored,
        },
      };
    },
  });
  return [chatTool];
}
