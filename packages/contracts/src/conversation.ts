import { z } from 'zod';
import { PhaseName } from './phases.js';
import { Citation, Prior, PriorJudgement } from './priors.js';

export const CONVERSATION_URI_PREFIX = 'conversation://';

export function conversationUri(id: string): string {
  return `${CONVERSATION_URI_PREFIX}${id}`;
}

export function parseConversationUri(uri: string): string {
  if (!uri.startsWith(CONVERSATION_URI_PREFIX) || uri.length === CONVERSATION_URI_PREFIX.length) {
    throw new Error(`not a conversation URI: ${uri}`);
  }
  return uri.slice(CONVERSATION_URI_PREFIX.length);
}

export const ChatMessage = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  turn: z.number().int().nonnegative(),
  at: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

/** What one phase produced in one cycle. */
export const PhaseRecord = z.object({
  phase: PhaseName,
  cycle: z.number().int().positive(),
  status: z.enum(['complete', 'error', 'skipped']),
  text: z.string().optional(),
  output: z.unknown().optional(),
  generated: z.boolean().optional(),
  elapsed_ms: z.number().nonnegative(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type PhaseRecord = z.infer<typeof PhaseRecord>;

export const Turn = z.object({
  index: z.number().int().nonnegative(),
  user_text: z.string(),
  started_at: z.string(),
  finished_at: z.string().optional(),
  cycles: z.number().int().nonnegative(),
  phases: z.array(PhaseRecord),
  priors: z.array(Prior),
  judgement: PriorJudgement.optional(),
  answer: z.string().optional(),
  citations: z.array(Citation),
  /** Whether the final answer came from a model (false: extractive no-model path). */
  generated: z.boolean().optional(),
});
export type Turn = z.infer<typeof Turn>;

/** The host's in-memory state of one conversation, addressed as conversation://<id>. */
export const ConversationState = z.object({
  id: z.string().min(1),
  uri: z.string(),
  title: z.string().optional(),
  persona: z.string().optional(),
  reasoning_session_id: z.string().optional(),
  messages: z.array(ChatMessage),
  turns: z.array(Turn),
  /** Cycles run in the current turn. */
  cycle: z.number().int().nonnegative(),
  max_cycles: z.number().int().positive(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ConversationState = z.infer<typeof ConversationState>;
