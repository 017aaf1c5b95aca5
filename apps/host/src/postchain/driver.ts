/**
 * Runs one turn of the PostChain: Action → Experience → Intention → Observation →
 * Understanding → Yield, repeated while Yield asks for another cycle (up to maxCycles); then the
 * after-turn writes. Each phase runs under its own deadline; a phase that fails or times out is
 * reported as an error event and the turn goes on with what it has. The last event of a turn is
 * always a Yield event whose output is the FinalAnswer (`final: true`).
 */
import {
  type ConversationState,
  PHASES,
  type PhaseEvent,
  type PhaseName,
  type PhaseRecord,
  type Prior,
  type Turn,
} from '@choir/contracts';
import { withTurn } from '../conversation/state.js';
import { finalAnswer, type PhaseFailureInfo } from './final-answer.js';
import { type PersistReport, persistTurn, type TurnUsage } from './persist.js';
import { runAction } from './phases/action.js';
import { runExperience } from './phases/experience.js';
import { runIntention } from './phases/intention.js';
import { runObservation } from './phases/observation.js';
import { runUnderstanding } from './phases/understanding.js';
import { runYield } from './phases/yield.js';
import { AbortReason, type ToolCaller } from './tool-caller.js';
import {
  type ActionOutput,
  type ExperienceOutput,
  type FinalAnswer,
  type IntentionOutput,
  type ObservationOutput,
  type PhaseContext,
  PhaseFailure,
  type PhaseResult,
  type UnderstandingOutput,
  type YieldOutput,
} from './types.js';

export interface TurnSettings {
  persona: string;
  maxCycles: number;
  phases: Record<PhaseName, boolean>;
  timeouts: Record<PhaseName, number> & { persist: number };
}

/** Where text streamed by the host's own model (sampling answers) goes: the running phase. */
export class DeltaRouter {
  private sink: ((text: string) => void) | null = null;
  set(sink: ((text: string) => void) | null): void {
    this.sink = sink;
  }
  push(text: string): void {
    this.sink?.(text);
  }
}

/** What the host's model spent during a turn (fed by the sampling handler). */
export class UsageMeter {
  input = 0;
  output = 0;
  model: string | undefined;
  add(usage: { inputTokens?: number; outputTokens?: number } | undefined, model?: string): void {
    this.input += usage?.inputTokens ?? 0;
    this.output += usage?.outputTokens ?? 0;
    if (model) this.model = model;
  }
  reset(): void {
    this.input = 0;
    this.output = 0;
    this.model = undefined;
  }
  snapshot(): TurnUsage {
    return {
      ...(this.input ? { input_tokens: this.input } : {}),
      ...(this.output ? { output_tokens: this.output } : {}),
    };
  }
}

export interface TurnOptions {
  caller: ToolCaller;
  settings: TurnSettings;
  emit: (event: PhaseEvent) => void;
  /** Fires when the user cancels the turn (Ctrl-C). */
  signal?: AbortSignal;
  deltas?: DeltaRouter;
  usage?: UsageMeter;
  /** false: skip the after-turn writes (tests of the chain alone). */
  persist?: boolean;
  now?: () => Date;
}

export interface TurnResult {
  state: ConversationState;
  turn: Turn;
  final: FinalAnswer;
  cancelled: boolean;
  persisted?: PersistReport;
}

interface CycleOutputs {
  action?: ActionOutput;
  experience?: ExperienceOutput;
  intention?: IntentionOutput;
  observation?: ObservationOutput;
  understanding?: UnderstandingOutput;
  yield?: YieldOutput;
  errors: Partial<Record<PhaseName, PhaseFailureInfo | 'disabled'>>;
}

export async function runTurn(
  state: ConversationState,
  message: string,
  options: TurnOptions,
): Promise<TurnResult> {
  const now = options.now ?? (() => new Date());
  const { settings, caller } = options;
  const turnIndex = state.turns.length;
  const startedAt = now().toISOString();
  const records: PhaseRecord[] = [];
  const memory = state.messages.map((m) => ({ role: m.role, content: m.content }));
  let sessionId = state.reasoning_session_id;
  let priors: Prior[] = [];
  let outputs: CycleOutputs = { errors: {} };
  let cycle = 0;
  options.usage?.reset();

  const base = (phase: PhaseName, cycleNo: number) => ({
    conversation_id: state.id,
    turn: turnIndex,
    cycle: cycleNo,
    phase,
  });
  const emit = (event: PhaseEvent) => options.emit(event);
  const cancelled = () => options.signal?.aborted === true;

  async function phase<O>(
    name: PhaseName,
    cycleNo: number,
    run: (ctx: PhaseContext) => Promise<PhaseResult<O>>,
  ): Promise<O | undefined> {
    if (!settings.phases[name]) {
      emit({
        ...base(name, cycleNo),
        status: 'skipped',
        at: now().toISOString(),
        elapsed_ms: 0,
        text: 'switched off',
      });
      records.push({ phase: name, cycle: cycleNo, status: 'skipped', elapsed_ms: 0, text: 'switched off' });
      outputs.errors[name] = 'disabled';
      return undefined;
    }
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const limit = settings.timeouts[name];
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new AbortReason('TIMEOUT', `the ${name} phase passed its ${limit} ms limit`)),
      limit,
    );
    const onCancel = () => controller.abort(new AbortReason('CANCELLED', 'the turn was cancelled'));
    options.signal?.addEventListener('abort', onCancel, { once: true });
    if (options.signal?.aborted) onCancel();

    // Text from the host's model (sampling) is the live stream; a tool's progress text repeats it
    // once the model is done, so after any sampling delta the progress ones are dropped.
    let sawSampling = false;
    const delta = (source: 'sampling' | 'progress', text: string) => {
      if (!text || controller.signal.aborted) return;
      if (source === 'sampling') sawSampling = true;
      else if (sawSampling) return;
      emit({ ...base(name, cycleNo), status: 'delta', at: now().toISOString(), text });
    };
    options.deltas?.set((text) => delta('sampling', text));
    const ctx: PhaseContext = {
      emitDelta: (text) => delta('progress', text),
      call: (tool, args, callOptions) =>
        caller.call(tool, args, {
          signal: controller.signal,
          timeoutMs: Math.max(1, limit - elapsed()),
          ...(callOptions?.onProgressText ? { onProgressText: callOptions.onProgressText } : {}),
        }),
    };

    emit({ ...base(name, cycleNo), status: 'running', at: now().toISOString() });
    try {
      // The deadline also bounds the phase's own work between calls.
      const running = run(ctx);
      // If the deadline wins, the phase's own promise settles later; nobody waits for it then.
      running.catch(() => {});
      const result = await Promise.race([running, rejectOnAbort(controller.signal)]);
      const record: PhaseRecord = {
        phase: name,
        cycle: cycleNo,
        status: 'complete',
        elapsed_ms: elapsed(),
        text: result.text,
        output: result.output,
        ...(result.generated !== undefined ? { generated: result.generated } : {}),
      };
      records.push(record);
      if (name !== 'yield') {
        emit({
          ...base(name, cycleNo),
          status: 'complete',
          at: now().toISOString(),
          elapsed_ms: record.elapsed_ms,
          text: result.text,
          output: result.output,
          ...(result.generated !== undefined ? { generated: result.generated } : {}),
        });
      }
      return result.output;
    } catch (error) {
      const info = failureInfo(error, controller.signal);
      outputs.errors[name] = info;
      records.push({ phase: name, cycle: cycleNo, status: 'error', elapsed_ms: elapsed(), error: info });
      if (name !== 'yield') {
        emit({
          ...base(name, cycleNo),
          status: 'error',
          at: now().toISOString(),
          elapsed_ms: elapsed(),
          error: info,
        });
      }
      return undefined;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onCancel);
      options.deltas?.set(null);
    }
  }

  for (cycle = 1; cycle <= settings.maxCycles; cycle++) {
    const previous = outputs;
    outputs = { errors: {} };
    const cycleNo = cycle;
    outputs.action = await phase('action', cycleNo, (ctx) =>
      runAction(
        {
          conversationId: state.id,
          message,
          persona: settings.persona,
          memory,
          ...(priors.length ? { priors } : {}),
        },
        ctx,
      ),
    );
    if (cancelled()) break;
    outputs.experience = await phase('experience', cycleNo, (ctx) =>
      runExperience(
        { message: cycleNo === 1 ? message : `${message}\n\n${previous.yield?.answer ?? ''}`.trim() },
        ctx,
      ),
    );
    if (outputs.experience) priors = mergePriors(priors, outputs.experience.priors);
    if (cancelled()) break;
    outputs.intention = await phase('intention', cycleNo, (ctx) =>
      runIntention({ message, ...(sessionId ? { sessionId } : {}) }, ctx),
    );
    if (outputs.intention?.session_id) sessionId = outputs.intention.session_id;
    if (cancelled()) break;
    outputs.observation = await phase('observation', cycleNo, (ctx) =>
      runObservation({ message, priors, threadId: state.id }, ctx),
    );
    if (cancelled()) break;
    outputs.understanding = await phase('understanding', cycleNo, (ctx) =>
      runUnderstanding({ message, priors, ...(sessionId ? { sessionId } : {}) }, ctx),
    );
    if (cancelled()) break;
    const personaPrompt = outputs.action?.persona_prompt;
    outputs.yield = await phase('yield', cycleNo, (ctx) =>
      runYield(
        {
          conversationId: state.id,
          message,
          ...(outputs.action ? { firstAnswer: outputs.action.text } : {}),
          priors,
          ...(outputs.intention ? { intention: outputs.intention } : {}),
          ...(outputs.observation ? { observation: outputs.observation } : {}),
          ...(outputs.understanding ? { understanding: outputs.understanding } : {}),
          ...(personaPrompt ? { personaPrompt } : {}),
          cycle: cycleNo,
          maxCycles: settings.maxCycles,
        },
        ctx,
      ),
    );
    if (cancelled() || !outputs.yield?.should_continue) break;
    // Another cycle: announce the Yield of this one as complete, not final.
    const record = records[records.length - 1]!;
    emit({
      ...base('yield', cycleNo),
      status: 'complete',
      at: now().toISOString(),
      elapsed_ms: record.elapsed_ms,
      text: outputs.yield.answer,
      output: { ...outputs.yield, final: false },
      generated: outputs.yield.generated,
    });
  }
  const cyclesRun = Math.min(cycle, settings.maxCycles);

  const final = finalAnswer({
    ...(outputs.yield ? { yieldOutput: outputs.yield } : {}),
    ...(outputs.errors.yield ? { yieldError: outputs.errors.yield } : {}),
    ...(outputs.action ? { action: outputs.action } : {}),
    ...(outputs.errors.action ? { actionError: outputs.errors.action } : {}),
    cancelled: cancelled(),
  });
  const lastYield = [...records].reverse().find((r) => r.phase === 'yield' && r.cycle === cyclesRun);
  const yieldError = outputs.errors.yield;
  emit({
    ...base('yield', cyclesRun),
    status: final.source === 'yield' ? 'complete' : yieldError === 'disabled' ? 'skipped' : 'error',
    at: now().toISOString(),
    elapsed_ms: lastYield?.elapsed_ms ?? 0,
    text: final.answer,
    output: final,
    generated: final.generated,
    ...(final.source !== 'yield' && yieldError !== 'disabled'
      ? {
          error: yieldError ?? {
            code: cancelled() ? 'CANCELLED' : 'NOT_RUN',
            message: final.reason ?? 'Yield did not run',
          },
        }
      : {}),
  });

  const finishedAt = now().toISOString();
  const turn: Turn = {
    index: turnIndex,
    user_text: message,
    started_at: startedAt,
    finished_at: finishedAt,
    cycles: cyclesRun,
    phases: records,
    priors,
    ...(outputs.understanding
      ? {
          judgement: {
            kept: outputs.understanding.kept,
            pruned: outputs.understanding.pruned,
            should_yield: outputs.understanding.should_yield,
            ...(outputs.understanding.reason ? { reason: outputs.understanding.reason } : {}),
          },
        }
      : {}),
    answer: final.answer,
    citations: final.citations,
    generated: final.generated,
  };

  if (cancelled()) {
    // A cancelled turn leaves no trace: the user took it back.
    return { state, turn, final, cancelled: true };
  }

  const next = withTurn(state, turn, {
    ...(sessionId ? { reasoningSessionId: sessionId } : {}),
    persona: settings.persona,
    now: now(),
  });
  let persisted: PersistReport | undefined;
  if (options.persist !== false) {
    const enabledPhases = PHASES.filter((p) => settings.phases[p]).length;
    const model = options.usage?.model ?? final.model;
    persisted = await persistTurn(
      caller,
      {
        conversationId: state.id,
        turn,
        final,
        persona: settings.persona,
        ...(outputs.observation ? { observation: outputs.observation } : {}),
        ...(options.usage ? { usage: options.usage.snapshot() } : {}),
        ...(model ? { model } : {}),
        enabledPhases,
      },
      { timeoutMs: settings.timeouts.persist },
    );
  }
  return { state: next, turn, final, cancelled: false, ...(persisted ? { persisted } : {}) };
}

/** Priors of several cycles, each id once with its best score, best first. */
export function mergePriors(current: Prior[], found: Prior[]): Prior[] {
  const byId = new Map(current.map((p) => [p.id, p]));
  for (const prior of found) {
    const existing = byId.get(prior.id);
    if (!existing || prior.score > existing.score) byId.set(prior.id, prior);
  }
  return [...byId.values()].sort((a, b) => b.score - a.score);
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function failureInfo(error: unknown, signal: AbortSignal): PhaseFailureInfo {
  if (signal.aborted && signal.reason instanceof AbortReason) {
    return { code: signal.reason.code, message: signal.reason.message };
  }
  if (error instanceof PhaseFailure) return { code: error.code, message: error.message };
  if (error instanceof AbortReason) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: (error as Error)?.message ?? String(error) };
}
