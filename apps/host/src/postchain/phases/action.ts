/**
 * Action: a quick first answer in the persona's voice, with the conversation so far.
 * persona_prompt and history_context are asked together; either may fail without sinking the
 * phase (the notes say so), but action_respond must answer.
 */
import type { Prior } from '@choir/contracts';
import type { ActionOutput, ContextMessage, PhaseContext, PhaseResult } from '../types.js';
import { PhaseFailure } from '../types.js';

export interface ActionInput {
  conversationId: string;
  message: string;
  persona: string;
  /** The conversation as the host holds it: used when the history server cannot answer. */
  memory: ContextMessage[];
  /** Priors from an earlier cycle of this turn. */
  priors?: Prior[];
  /** Token budget for the history window. */
  contextTokens?: number;
}

/** How many of the host's own messages to give Action when the history server is unavailable. */
export const MEMORY_CONTEXT_MESSAGES = 12;
export const DEFAULT_CONTEXT_TOKENS = 3_000;

interface PersonaPrompt {
  persona_id?: string;
  name?: string;
  prompt?: string;
}

interface HistoryContext {
  events?: Array<{ type?: string; role?: string | null; content?: string }>;
}

interface Respond {
  text: string;
  generated: boolean;
  model?: string;
}

export async function runAction(input: ActionInput, ctx: PhaseContext): Promise<PhaseResult<ActionOutput>> {
  const notes: string[] = [];
  const [persona, history] = await Promise.all([
    ctx.call<PersonaPrompt>('persona_prompt', { persona: input.persona }),
    ctx.call<HistoryContext>('history_context', {
      conversation_id: input.conversationId,
      max_tokens: input.contextTokens ?? DEFAULT_CONTEXT_TOKENS,
    }),
  ]);

  let personaPrompt: string | undefined;
  if (persona.ok && persona.data.prompt) personaPrompt = persona.data.prompt;
  else if (!persona.ok)
    notes.push(`persona ${input.persona} unavailable (${persona.error.code}); default voice`);

  let context: ContextMessage[];
  let contextSource: ActionOutput['context_source'];
  if (history.ok) {
    context = contextFromHistory(history.data.events ?? []);
    contextSource = 'history';
  } else if (history.error.code === 'NOT_FOUND') {
    // A new conversation: nothing stored yet.
    context = [];
    contextSource = 'history';
  } else {
    context = input.memory.slice(-MEMORY_CONTEXT_MESSAGES);
    contextSource = context.length ? 'memory' : 'none';
    notes.push(
      `history unavailable (${history.error.code}); used the host's last ${context.length} messages`,
    );
  }

  const respond = await ctx.call<Respond>(
    'action_respond',
    {
      message: input.message,
      conversation_id: input.conversationId,
      ...(personaPrompt ? { persona_prompt: personaPrompt } : {}),
      context,
      ...(input.priors?.length ? { priors: input.priors } : {}),
    },
    { onProgressText: (text) => ctx.emitDelta(text) },
  );
  if (!respond.ok) throw PhaseFailure.from(respond.error, 'action_respond');

  const output: ActionOutput = {
    text: respond.data.text,
    generated: respond.data.generated,
    ...(respond.data.model ? { model: respond.data.model } : {}),
    ...(persona.ok && persona.data.persona_id ? { persona_id: persona.data.persona_id } : {}),
    ...(persona.ok && persona.data.name ? { persona_name: persona.data.name } : {}),
    ...(personaPrompt ? { persona_prompt: personaPrompt } : {}),
    context_messages: context.length,
    context_source: contextSource,
    notes,
  };
  return { output, text: respond.data.text, generated: respond.data.generated };
}

/** The user and assistant messages of a history window, in order; phase outputs stay out. */
export function contextFromHistory(
  events: Array<{ type?: string; role?: string | null; content?: string }>,
): ContextMessage[] {
  const messages: ContextMessage[] = [];
  for (const event of events) {
    if (event.type === 'user_message' && event.content)
      messages.push({ role: 'user', content: event.content });
    if (event.type === 'assistant_message' && event.content) {
      messages.push({ role: 'assistant', content: event.content });
    }
  }
  return messages;
}
