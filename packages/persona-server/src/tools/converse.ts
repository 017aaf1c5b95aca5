/** persona_converse: two personas talk about a topic; the transcript is stored. */
import { defineTool, type ToolSpec, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { converse } from '../converse-service.js';
import { requirePersona, type Runtime } from '../runtime.js';
import { annotations, personaRef } from './shapes.js';

export function converseTools(rt: Runtime): ToolSpec[] {
  const tool = defineTool({
    name: 'persona_converse',
    title: 'Two personas converse',
    description:
      "Two personas talk about a topic, alternating (persona_a first) for up to max_turns within token_budget (prompt + reply tokens of every request), stopping early when a reply's continue score falls below 0.35 or a speaker becomes unavailable. Needs a model (MODEL_UNAVAILABLE otherwise). The transcript is stored; read it again with persona_session_get.",
    input: z.object({
      persona_a: personaRef,
      persona_b: personaRef,
      topic: z.string().trim().min(1).max(1000),
      max_turns: z.number().int().min(1).max(20).default(6),
      token_budget: z.number().int().min(500).max(100_000).default(12_000),
      max_reply_tokens: z.number().int().min(32).max(1000).default(300),
    }),
    output: z.object({
      conversation_id: z.string().nullable().describe('null when the transcript could not be stored'),
      persona_a: z.string(),
      persona_b: z.string(),
      topic: z.string(),
      turns: z.array(
        z.object({
          turn_number: z.number().int(),
          speaker_id: z.string(),
          speaker_name: z.string(),
          content: z.string(),
          continue_score: z.number(),
          tokens: z.number().int(),
          prompt_tokens: z.number().int(),
          processing_ms: z.number().int(),
        }),
      ),
      stop_reason: z.enum(['max_turns', 'token_budget', 'continue_score', 'unavailable', 'model_error']),
      tokens_used: z.number().int(),
      quality: z.number().describe('mean continue score; moves both relationships'),
      generated: z.literal(true),
      model: z.string().nullable(),
      error: z
        .string()
        .nullable()
        .describe('why the model stopped answering, when stop_reason is model_error'),
      stored: z.boolean(),
      store_error: z.string().nullable(),
    }),
    annotations: annotations.write,
    async handler(args, ctx) {
      const a = await requirePersona(rt.db, args.persona_a);
      const b = await requirePersona(rt.db, args.persona_b);
      if (a.id === b.id)
        throw new ToolError('INVALID_INPUT', 'persona_a and persona_b must be different personas');
      const out = await converse(rt, ctx, {
        a,
        b,
        topic: args.topic,
        maxTurns: args.max_turns,
        tokenBudget: args.token_budget,
        maxReplyTokens: args.max_reply_tokens,
      });
      const transcript = out.turns.map((t) => `${t.speaker.name}: ${t.content}`).join('\n');
      return {
        text: `${transcript}\n(${out.turns.length} turns, stopped: ${out.stopReason}${out.error ? ` — ${out.error}` : ''}${
          out.storeError ? `; ${out.storeError}` : ''
        })`,
        data: {
          conversation_id: out.conversationId,
          persona_a: a.id,
          persona_b: b.id,
          topic: args.topic,
          turns: out.turns.map((t) => ({
            turn_number: t.turnNumber,
            speaker_id: t.speaker.id,
            speaker_name: t.speaker.name,
            content: t.content,
            continue_score: t.continueScore,
            tokens: t.tokens,
            prompt_tokens: t.promptTokens,
            processing_ms: t.processingMs,
          })),
          stop_reason: out.stopReason,
          tokens_used: out.tokensUsed,
          quality: out.quality,
          generated: true as const,
          model: out.turns[0]?.model ?? null,
          error: out.error,
          stored: out.stored,
          store_error: out.storeError,
        },
      };
    },
  });
  return [tool];
}
