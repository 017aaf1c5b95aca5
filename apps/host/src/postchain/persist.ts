/**
 * After the turn: every event to chat-history, the user message and the answer to experience
 * (with the observation's tags and links), the citations, and the persona's interaction.
 * Each write is independent: one failing is reported as a warning and the others still happen.
 */
import type { PhaseRecord, Turn } from '@choir/contracts';
import type { ObservationOutput } from './types.js';
import type { FinalAnswer } from './types.js';
import type { ToolCaller } from './tool-caller.js';

export interface TurnUsage {
  input_tokens?: number;
  output_tokens?: number;
}

export interface PersistInput {
  conversationId: string;
  turn: Turn;
  final: FinalAnswer;
  persona: string;
  observation?: ObservationOutput;
  /** Tokens the host's model spent answering the servers during this turn. */
  usage?: TurnUsage;
  model?: string;
  /** Phases switched on in this turn (for the interaction quality). */
  enabledPhases: number;
}

export interface PersistReport {
  history_seqs?: number[];
  user_experience_id?: string;
  answer_experience_id?: string;
  citations_recorded?: number;
  persona_recorded: boolean;
  warnings: string[];
}

/** The request id that makes a retried history_append write nothing twice. */
export function historyRequestId(conversationId: string, turnIndex: number): string {
  return `${conversationId}:turn:${turnIndex}`;
}

/**
 * Interaction quality for the persona: the share of this turn's phases that completed, halved
 * when the answer is not Yield's own. A plain measure of how well the turn went, not a judgement
 * of the user.
 */
export function interactionQuality(
  records: readonly PhaseRecord[],
  enabledPhases: number,
  source: FinalAnswer['source'],
): number {
  if (enabledPhases === 0) return 0;
  const lastCycle = Math.max(0, ...records.map((r) => r.cycle));
  const completed = records.filter((r) => r.cycle === lastCycle && r.status === 'complete').length;
  const share = Math.min(1, completed / enabledPhases);
  const quality = source === 'yield' ? share : share / 2;
  return Math.round(quality * 100) / 100;
}

/** The history events of one turn, in order. */
export function historyEvents(input: PersistInput): Record<string, unknown>[] {
  const { turn, final } = input;
  const events: Record<string, unknown>[] = [
    {
      type: 'user_message',
      role: 'user',
      content: turn.user_text,
      extra: { turn: turn.index, persona: input.persona },
      timestamp: turn.started_at,
    },
  ];
  for (const record of turn.phases) {
    events.push({
      type: 'phase_output',
      role: 'assistant',
      content:
        record.text ?? (record.error ? `${record.error.code}: ${record.error.message}` : record.status),
      extra: {
        turn: turn.index,
        phase: record.phase,
        cycle: record.cycle,
        status: record.status,
        elapsed_ms: record.elapsed_ms,
        ...(record.generated !== undefined ? { generated: record.generated } : {}),
        ...(record.output !== undefined ? { output: slimOutput(record.output) } : {}),
        ...(record.error ? { error: record.error } : {}),
      },
    });
  }
  events.push({
    type: 'assistant_message',
    role: 'assistant',
    content: final.answer,
    ...(input.model ? { model: input.model } : {}),
    ...(input.usage && (input.usage.input_tokens || input.usage.output_tokens) ? { usage: input.usage } : {}),
    extra: {
      turn: turn.index,
      cycles: turn.cycles,
      source: final.source,
      generated: final.generated,
      citations: final.citations,
      ...(final.reason ? { reason: final.reason } : {}),
    },
    ...(turn.finished_at ? { timestamp: turn.finished_at } : {}),
  });
  return events;
}

/** Phase outputs as stored: the persona's system prompt is the persona server's, not the turn's. */
function slimOutput(output: unknown): unknown {
  if (output && typeof output === 'object' && 'persona_prompt' in output) {
    const { persona_prompt: _omitted, ...rest } = output as Record<string, unknown>;
    return rest;
  }
  return output;
}

export async function persistTurn(
  caller: ToolCaller,
  input: PersistInput,
  options: { timeoutMs: number },
): Promise<PersistReport> {
  const report: PersistReport = { persona_recorded: false, warnings: [] };
  const { conversationId, turn, final } = input;
  const call = <T>(tool: string, args: Record<string, unknown>) =>
    caller.call<T>(tool, args, { timeoutMs: options.timeoutMs });
  const warn = (what: string, error: { code: string; message: string }) =>
    report.warnings.push(`${what}: ${error.code}: ${error.message}`);

  const history = async () => {
    const result = await call<{ seqs?: number[] }>('history_append', {
      conversation_id: conversationId,
      request_id: historyRequestId(conversationId, turn.index),
      events: historyEvents(input),
    });
    if (result.ok) report.history_seqs = result.data.seqs ?? [];
    else warn('history not saved', result.error);
  };

  const experience = async () => {
    const user = await call<{ id: string }>('experience_record', {
      content: turn.user_text,
      role: 'user',
      thread_id: conversationId,
      author: 'user',
      ...(input.observation?.tags.length ? { tags: input.observation.tags } : {}),
      ...(input.observation?.links.length ? { links: input.observation.links } : {}),
    });
    if (user.ok) report.user_experience_id = user.data.id;
    else warn('message not added to memory', user.error);

    // Memory keeps what people said and what a model answered. A no-model answer is quotes of
    // stored passages or a notice: storing it would feed memory its own echo.
    if (!final.generated || final.source === 'none' || !final.answer.trim()) return;
    const answer = await call<{ id: string }>('experience_record', {
      content: final.answer,
      role: 'assistant',
      phase: 'yield',
      thread_id: conversationId,
      author: input.persona,
    });
    if (!answer.ok) {
      warn('answer not added to memory', answer.error);
      return;
    }
    report.answer_experience_id = answer.data.id;
    const cited = [...new Set(final.citations.map((c) => c.prior_id))].filter((id) => id !== answer.data.id);
    if (cited.length === 0) return;
    const cite = await call<{ recorded?: number }>('experience_cite', {
      citing_id: answer.data.id,
      cited_ids: cited,
    });
    if (cite.ok) report.citations_recorded = cite.data.recorded ?? cited.length;
    else warn('citations not recorded', cite.error);
  };

  const persona = async () => {
    const started = Date.parse(turn.started_at);
    const finished = turn.finished_at ? Date.parse(turn.finished_at) : Date.now();
    const result = await call('persona_record_interaction', {
      persona: input.persona,
      with: 'user',
      quality: interactionQuality(turn.phases, input.enabledPhases, final.source),
      duration_seconds: Math.max(0, Math.round((finished - started) / 100) / 10),
    });
    if (result.ok) report.persona_recorded = true;
    else warn('persona interaction not recorded', result.error);
  };

  await Promise.all([history(), experience(), persona()]);
  return report;
}
