/**
 * One in-character chat exchange in a persisted session: pick or start the session, fold old
 * turns into the summary past the threshold, answer (model, or the persona's fallback line
 * when none is available — marked as such), and store both turns with token counts, processing
 * time and a computed continue score.
 */
import { type ChatMessage, countChatTokens, countTokens } from '@choir/llm';
import { classifyError, type ToolContext, ToolError } from '@choir/server-kit';
import { continueScore } from './continue-score.js';
import { NEUTRAL_EXCHANGE, spendExchange } from './interactions.js';
import { applyInteraction, availability } from './interaction-state.js';
import { recall } from './memory-service.js';
import type { Partner } from './partners.js';
import { fallbackResponse, type Persona } from './persona.js';
import { buildPersonaPrompt } from './persona-prompt.js';
import { currentState, type Runtime, statusView } from './runtime.js';
import {
  extractiveSummary,
  isExpired,
  type SummaryTurn,
  summaryRequest,
  turnsToFold,
} from './session-context.js';
import { recordAccess } from './store/memories.js';
import { findRelationship } from './store/relationships.js';
import type { SessionsTable, TurnsTable } from './store/schema.js';
import {
  appendTurns,
  getSession,
  insertSession,
  latestChatSession,
  markExpired,
  newSessionId,
  saveSummary,
  turnsAfter,
} from './store/sessions.js';
import { ms } from './store/time.js';

export const CHAT_RULES = {
  /** Memories recalled into the prompt for each message. */
  memoriesPerMessage: 3,
  replyTemperature: 0.8,
  /** Room for a model-written summary (the prompt asks for about 450 words). */
  summaryMaxTokens: 800,
} as const;

export interface ChatRequest {
  persona: Persona;
  partner: Partner;
  message: string;
  sessionId: string | null;
  maxTokens: number;
  useMemories: boolean;
}

interface SessionPlan {
  existing: SessionsTable | null;
  expiredId: string | null;
}

async function planSession(rt: Runtime, req: ChatRequest, now: number): Promise<SessionPlan> {
  let session: SessionsTable | null;
  if (req.sessionId) {
    session = await getSession(rt.db, req.sessionId);
    if (!session) throw new ToolError('NOT_FOUND', `no session ${req.sessionId}`);
    if (session.kind !== 'chat') {
      throw new ToolError(
        'INVALID_INPUT',
        `${req.sessionId} is a persona-to-persona conversation, not a chat`,
      );
    }
    if (session.persona_id !== req.persona.id || session.partner_id !== req.partner.id) {
      throw new ToolError(
        'INVALID_INPUT',
        `session ${req.sessionId} is between ${session.persona_id} and ${session.partner_id}, not ${req.persona.id} and ${req.partner.id}`,
      );
    }
  } else {
    session = await latestChatSession(rt.db, req.persona.id, req.partner.id);
  }
  if (session && (session.status !== 'active' || isExpired(ms(session.last_activity), now))) {
    return { existing: null, expiredId: session.id };
  }
  return { existing: session, expiredId: null };
}

function speakerName(turn: Pick<TurnsTable, 'role'>, persona: Persona, partner: Partner): string {
  return turn.role === 'assistant' ? persona.name : partner.kind === 'user' ? 'User' : partner.name;
}

interface SummaryPlan {
  text: string;
  kind: 'model' | 'extractive' | 'mixed';
  through: number;
  expectedThrough: number;
  folded: number;
}

async function planSummary(
  ctx: ToolContext,
  session: SessionsTable,
  turns: TurnsTable[],
  req: ChatRequest,
): Promise<{ plan: SummaryPlan | null; note: string | null }> {
  const fold = turnsToFold(turns.length);
  if (fold === 0) return { plan: null, note: null };
  const folded = turns.slice(0, fold);
  const summaryTurns: SummaryTurn[] = folded.map((t) => ({
    speaker: speakerName(t, req.persona, req.partner),
    content: t.content,
  }));
  const base = {
    through: folded[folded.length - 1]!.turn_number,
    expectedThrough: session.summarized_through,
    folded: fold,
  };
  if (!ctx.modelAvailable) {
    const kind =
      session.summary_kind === 'model' || session.summary_kind === 'mixed' ? 'mixed' : 'extractive';
    return { plan: { ...base, text: extractiveSummary(session.summary, summaryTurns), kind }, note: null };
  }
  try {
    const request = summaryRequest(session.summary, summaryTurns);
    const result = await ctx.generate({
      system: request.system,
      messages: [{ role: 'user', content: request.prompt }],
      maxTokens: CHAT_RULES.summaryMaxTokens,
      purpose: 'persona_summary',
      signal: ctx.signal,
    });
    const kind =
      session.summary_kind === 'extractive' || session.summary_kind === 'mixed' ? 'mixed' : 'model';
    return { plan: { ...base, text: result.text.trim(), kind }, note: null };
  } catch (error) {
    if (error instanceof ToolError && error.code === 'CANCELLED') throw error;
    // Not folded this time: the turns stay verbatim and the next message tries again.
    ctx.logger.warn({ err: (error as Error).message }, 'summarising the session failed');
    return { plan: null, note: `older turns were not summarised: ${(error as Error).message}` };
  }
}

export interface ChatOutcome {
  sessionId: string;
  newSession: boolean;
  expiredSessionId: string | null;
  reply: string;
  generated: boolean;
  model: string | null;
  fallbackReason: string | null;
  turnNumber: number;
  continueScore: number;
  messageTokens: number;
  replyTokens: number;
  promptTokens: number | null;
  processingMs: number;
  summarized: { folded: number; kind: string } | null;
  summaryNote: string | null;
  memoriesUsed: string[];
  memoryNote: string | null;
  status: ReturnType<typeof statusView>;
  /** False when the database refused the write; the reply is still returned. */
  stored: boolean;
  storeNote: string | null;
}

export async function chat(rt: Runtime, ctx: ToolContext, req: ChatRequest): Promise<ChatOutcome> {
  const started = rt.now();
  const { existing, expiredId } = await planSession(rt, req, started);
  const unsummarized = existing ? await turnsAfterSummary(rt, existing) : [];
  const { plan: summary, note: summaryNote } = existing
    ? await planSummary(ctx, existing, unsummarized, req)
    : { plan: null, note: null };
  const recent = summary ? unsummarized.slice(summary.folded) : unsummarized;
  const summaryText = summary?.text ?? existing?.summary ?? null;

  let memories: { id: string; content: string }[] = [];
  let memoryNote: string | null = null;
  if (req.useMemories) {
    try {
      const found = await recall(
        rt,
        req.persona,
        {
          query: req.message,
          limit: CHAT_RULES.memoriesPerMessage,
          mode: 'hybrid',
          types: null,
          visibilities: null,
          includeOthers: false,
          minImportance: 0,
        },
        ctx.signal,
        { recordAccess: false },
      );
      memories = found.map((m) => ({ id: m.row.id, content: m.row.content }));
    } catch (error) {
      if (error instanceof ToolError && error.code === 'INVALID_INPUT') {
        memoryNote = 'the message has no words to search memories with';
      } else if (error instanceof ToolError && error.code === 'CANCELLED') {
        throw error;
      } else {
        memoryNote = `memories were not searched: ${(error as Error).message}`;
        ctx.logger.warn({ err: (error as Error).message }, 'memory recall for chat failed');
      }
    }
  }

  const now = rt.now();
  const state = await currentState(rt.db, req.persona.id, now);
  const relationship = await findRelationship(rt.db, req.persona.id, req.partner.id);
  const system = buildPersonaPrompt({
    persona: req.persona,
    state,
    available: availability(state).available,
    partner: { id: req.partner.id, name: req.partner.name, relationship },
    memories: memories.map((m) => m.content),
    summary: summaryText,
  });
  const messages: ChatMessage[] = [
    ...recent.map((t) => ({ role: t.role as ChatMessage['role'], content: t.content })),
    { role: 'user', content: req.message },
  ];

  const replyIndex = Math.floor((existing?.turn_count ?? 0) / 2);
  const generationStart = performance.now();
  let reply: string;
  let generated = false;
  let model: string | null = null;
  let fallbackReason: string | null = null;
  let promptTokens: number | null = null;
  if (!ctx.modelAvailable) {
    reply = fallbackResponse(req.persona, replyIndex);
    fallbackReason = 'no model is available (no client sampling, no provider configured)';
  } else {
    try {
      const result = await ctx.generate({
        system,
        messages,
        maxTokens: req.maxTokens,
        temperature: CHAT_RULES.replyTemperature,
        purpose: 'persona_chat',
        signal: ctx.signal,
      });
      reply = result.text.trim();
      generated = true;
      model = result.model;
      promptTokens = countChatTokens(messages, system);
    } catch (error) {
      if (!(error instanceof ToolError) || (error.code !== 'MODEL_UNAVAILABLE' && error.code !== 'TIMEOUT')) {
        throw error;
      }
      reply = fallbackResponse(req.persona, replyIndex);
      fallbackReason = `${error.code}: ${error.message}`;
    }
  }
  const processingMs = Math.round(performance.now() - generationStart);

  const after = applyInteraction(state, NEUTRAL_EXCHANGE, now);
  const previousOwn = [...recent].reverse().find((t) => t.role === 'assistant')?.content ?? null;
  const score = continueScore({
    socialEnergy: after.socialEnergy,
    interactionFatigue: after.interactionFatigue,
    reply,
    previousOwnTurn: previousOwn,
  });
  const messageTokens = countTokens(req.message);
  const replyTokens = countTokens(reply);

  const sessionId = existing?.id ?? newSessionId('chat');
  const write = rt.db.transaction().execute(async (trx) => {
    if (!existing) {
      if (expiredId) await markExpired(trx, expiredId);
      await insertSession(
        trx,
        { id: sessionId, kind: 'chat', personaId: req.persona.id, partnerId: req.partner.id, topic: null },
        now,
      );
    }
    const saved = summary ? await saveSummary(trx, sessionId, summary) : false;
    const numbers = await appendTurns(
      trx,
      sessionId,
      [
        {
          speaker_id: req.partner.id,
          role: 'user',
          content: req.message,
          response_type: 'message',
          continue_score: null,
          tokens: messageTokens,
          prompt_tokens: null,
          processing_ms: null,
          model: null,
        },
        {
          speaker_id: req.persona.id,
          role: 'assistant',
          content: reply,
          response_type: generated ? 'generated' : 'fallback',
          continue_score: score,
          tokens: replyTokens,
          prompt_tokens: promptTokens,
          processing_ms: processingMs,
          model,
        },
      ],
      now,
    );
    const finalState = await spendExchange(trx, req.persona.id, now);
    await recordAccess(
      trx,
      memories.map((m) => m.id),
      now,
    );
    return { numbers, saved, finalState, stored: true, storeNote: null as string | null };
  });
  // A reply already produced is not thrown away because the database refused the write: it is
  // returned with stored: false and the reason (the seed's "continue with a memory-only session").
  const { numbers, saved, finalState, stored, storeNote } = await write.catch((error: unknown) => {
    const info = classifyError(error);
    if (info.code !== 'STORAGE') throw error;
    ctx.logger.error({ err: error }, 'storing the chat exchange failed');
    const next = existing?.turn_count ?? 0;
    return {
      numbers: [next + 1, next + 2],
      saved: false,
      finalState: after,
      stored: false,
      storeNote: `this exchange was not saved: ${info.message}` as string | null,
    };
  });

  return {
    sessionId,
    newSession: !existing,
    expiredSessionId: expiredId,
    reply,
    generated,
    model,
    fallbackReason,
    turnNumber: numbers[1]!,
    continueScore: score,
    messageTokens,
    replyTokens,
    promptTokens,
    processingMs,
    summarized: summary && saved ? { folded: summary.folded, kind: summary.kind } : null,
    summaryNote,
    memoriesUsed: memories.map((m) => m.id),
    memoryNote,
    status: statusView(req.persona, finalState),
    stored,
    storeNote,
  };
}

function turnsAfterSummary(rt: Runtime, session: SessionsTable): Promise<TurnsTable[]> {
  return turnsAfter(rt.db, session.id, session.summarized_through);
}
