/**
 * Two personas talk about a topic, taking turns through the model, until the turn limit, the
 * token budget, a reply whose continue score says the talk is done, or a speaker who is no
 * longer available. The transcript is stored as a conversation session; each speaker's state
 * pays for its turns and both relationships move by the conversation's mean continue score.
 */
import { type ChatMessage, countChatTokens, countTokens } from '@choir/llm';
import { classifyError, NO_MODEL_HINT, type ToolContext, ToolError } from '@choir/server-kit';
import { CONTINUE_RULES, continueScore } from './continue-score.js';
import { NEUTRAL_EXCHANGE, spendExchange } from './interactions.js';
import { applyInteraction, availability, type InteractionState } from './interaction-state.js';
import { round6 } from './numbers.js';
import type { Persona } from './persona.js';
import { buildPersonaPrompt } from './persona-prompt.js';
import { updateRelationship } from './relationships.js';
import { currentState, type Runtime } from './runtime.js';
import { relationshipOrNew, saveRelationship } from './store/relationships.js';
import { appendTurns, finishConversation, insertSession, newSessionId } from './store/sessions.js';

export type StopReason = 'max_turns' | 'token_budget' | 'continue_score' | 'unavailable' | 'model_error';

export interface ConverseRequest {
  a: Persona;
  b: Persona;
  topic: string;
  maxTurns: number;
  tokenBudget: number;
  maxReplyTokens: number;
}

export interface ConverseTurn {
  turnNumber: number;
  speaker: Persona;
  content: string;
  continueScore: number;
  tokens: number;
  promptTokens: number;
  processingMs: number;
  model: string;
}

export interface ConverseOutcome {
  /** Null when the transcript could not be stored. */
  conversationId: string | null;
  turns: ConverseTurn[];
  stopReason: StopReason;
  tokensUsed: number;
  quality: number;
  error: string | null;
  stored: boolean;
  storeError: string | null;
}

function messagesFor(
  speaker: Persona,
  listener: Persona,
  topic: string,
  turns: readonly ConverseTurn[],
): ChatMessage[] {
  // Every request starts with a user message and alternates from there, which all providers accept.
  const messages: ChatMessage[] = [];
  if (turns.length === 0 || turns[0]!.speaker.id === speaker.id) {
    messages.push({
      role: 'user',
      content: `(${listener.name} is here. Start a conversation about: ${topic})`,
    });
  }
  for (const turn of turns) {
    messages.push({ role: turn.speaker.id === speaker.id ? 'assistant' : 'user', content: turn.content });
  }
  return messages;
}

export async function converse(
  rt: Runtime,
  ctx: ToolContext,
  req: ConverseRequest,
): Promise<ConverseOutcome> {
  if (!ctx.modelAvailable) {
    throw new ToolError('MODEL_UNAVAILABLE', 'a conversation between personas needs a model', NO_MODEL_HINT);
  }
  const startedAt = rt.now();
  const states = new Map<string, InteractionState>([
    [req.a.id, await currentState(rt.db, req.a.id, startedAt)],
    [req.b.id, await currentState(rt.db, req.b.id, startedAt)],
  ]);
  const relationships = new Map([
    [req.a.id, await relationshipOrNew(rt.db, req.a.id, req.b.id)],
    [req.b.id, await relationshipOrNew(rt.db, req.b.id, req.a.id)],
  ]);
  const turns: ConverseTurn[] = [];
  let tokensUsed = 0;
  let stopReason: StopReason = 'max_turns';
  let error: string | null = null;

  for (let i = 0; i < req.maxTurns; i++) {
    const speaker = i % 2 === 0 ? req.a : req.b;
    const listener = i % 2 === 0 ? req.b : req.a;
    const state = states.get(speaker.id)!;
    if (!availability(state).available) {
      stopReason = 'unavailable';
      break;
    }
    const system =
      buildPersonaPrompt({
        persona: speaker,
        state,
        available: true,
        partner: { id: listener.id, name: listener.name, relationship: relationships.get(speaker.id)! },
      }) +
      `\n\nYou are talking with ${listener.name} about: ${req.topic}\n` +
      'Reply with your next line of the conversation only (one to four sentences), without your name in front.';
    const messages = messagesFor(speaker, listener, req.topic, turns);
    const promptTokens = countChatTokens(messages, system);
    if (tokensUsed + promptTokens + req.maxReplyTokens > req.tokenBudget) {
      if (turns.length === 0) {
        throw new ToolError(
          'INVALID_INPUT',
          `token_budget ${req.tokenBudget} does not fit one turn: the first request needs ${promptTokens} prompt tokens plus max_reply_tokens ${req.maxReplyTokens}`,
        );
      }
      stopReason = 'token_budget';
      break;
    }
    const started = performance.now();
    let text: string;
    let model: string;
    try {
      const result = await ctx.generate({
        system,
        messages,
        maxTokens: req.maxReplyTokens,
        temperature: 0.9,
        purpose: 'persona_converse',
        signal: ctx.signal,
      });
      text = result.text.trim();
      model = result.model;
    } catch (failure) {
      // Nothing said yet: fail the call and store nothing. Otherwise keep what was said.
      if (turns.length === 0 || (failure instanceof ToolError && failure.code === 'CANCELLED')) throw failure;
      stopReason = 'model_error';
      error =
        failure instanceof ToolError ? `${failure.code}: ${failure.message}` : (failure as Error).message;
      break;
    }
    const processingMs = Math.round(performance.now() - started);
    const after = applyInteraction(state, NEUTRAL_EXCHANGE, rt.now());
    states.set(speaker.id, after);
    const previousOwn = [...turns].reverse().find((t) => t.speaker.id === speaker.id)?.content ?? null;
    const score = continueScore({
      socialEnergy: after.socialEnergy,
      interactionFatigue: after.interactionFatigue,
      reply: text,
      previousOwnTurn: previousOwn,
    });
    const tokens = countTokens(text);
    tokensUsed += promptTokens + tokens;
    turns.push({
      turnNumber: i + 1,
      speaker,
      content: text,
      continueScore: score,
      tokens,
      promptTokens,
      processingMs,
      model,
    });
    await ctx.progress(i + 1, req.maxTurns, `${speaker.name}: ${text}`);
    if (score < CONTINUE_RULES.stopBelow) {
      stopReason = 'continue_score';
      break;
    }
  }

  const quality = turns.length
    ? round6(turns.reduce((sum, t) => sum + t.continueScore, 0) / turns.length)
    : 0;
  const conversationId = newSessionId('conversation');
  const now = rt.now();
  const write = rt.db.transaction().execute(async (trx) => {
    await insertSession(
      trx,
      {
        id: conversationId,
        kind: 'conversation',
        personaId: req.a.id,
        partnerId: req.b.id,
        topic: req.topic,
      },
      startedAt,
    );
    await appendTurns(
      trx,
      conversationId,
      turns.map((t) => ({
        speaker_id: t.speaker.id,
        role: t.speaker.id === req.a.id ? 'assistant' : 'user',
        content: t.content,
        response_type: 'generated',
        continue_score: t.continueScore,
        tokens: t.tokens,
        prompt_tokens: t.promptTokens,
        processing_ms: t.processingMs,
        model: t.model,
      })),
      now,
    );
    await finishConversation(trx, conversationId, stopReason);
    for (const [self, other] of [
      [req.a, req.b],
      [req.b, req.a],
    ] as const) {
      // Each line costs its speaker one exchange, charged against the state as stored now, so an
      // interaction recorded elsewhere while the conversation ran is not overwritten.
      const spoken = turns.filter((t) => t.speaker.id === self.id).length;
      for (let k = 0; k < spoken; k++) await spendExchange(trx, self.id, now);
      const updated = updateRelationship(relationships.get(self.id)!, { quality, minutes: 0 });
      await saveRelationship(trx, self.id, other.id, updated, now);
    }
  });
  // The transcript cost model calls; if the database refuses it, it is still returned (stored: false).
  const storeError = await write.then(
    () => null,
    (failure: unknown) => {
      const info = classifyError(failure);
      if (info.code !== 'STORAGE') throw failure;
      ctx.logger.error({ err: failure }, 'storing the conversation failed');
      return `the conversation was not saved: ${info.message}`;
    },
  );
  return {
    conversationId: storeError ? null : conversationId,
    turns,
    stopReason,
    tokensUsed,
    quality,
    error,
    stored: storeError === null,
    storeError,
  };
}
