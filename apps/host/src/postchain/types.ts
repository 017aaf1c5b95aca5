/** What the PostChain's phases take and give: plain data, no MCP, so each is testable alone. */
import type { Citation, Prior, PriorJudgement } from '@choir/contracts';
import type { CallToolOptions, ToolFailure, ToolOutcome } from './tool-caller.js';

/** The tool caller a phase gets: already bound to the phase's deadline and the turn's cancellation. */
export type PhaseCall = <T = Record<string, unknown>>(
  tool: string,
  args: Record<string, unknown>,
  options?: Pick<CallToolOptions, 'onProgressText'>,
) => Promise<ToolOutcome<T>>;

export interface PhaseContext {
  call: PhaseCall;
  /** Streams text to the user as part of this phase (delta events). */
  emitDelta(text: string): void;
}

export interface PhaseResult<O> {
  output: O;
  /** One line (or the answer) for people. */
  text: string;
  /** Whether a model produced the output; absent when the phase generates nothing. */
  generated?: boolean;
}

/** Thrown by a phase that cannot produce its output; the driver reports it and the turn goes on. */
export class PhaseFailure extends Error {
  override readonly name = 'PhaseFailure';
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }

  static from(error: ToolFailure, tool: string): PhaseFailure {
    return new PhaseFailure(error.code, `${tool}: ${error.message}`, error.hint);
  }
}

export interface ContextMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ActionOutput {
  text: string;
  generated: boolean;
  model?: string;
  persona_id?: string;
  persona_name?: string;
  /** Kept for Yield, which speaks in the same voice. */
  persona_prompt?: string;
  /** How many earlier messages the first answer was given. */
  context_messages: number;
  /** Where those came from: the chat-history server's token-aware window, or the host's memory. */
  context_source: 'history' | 'memory' | 'none';
  /** What went wrong on the way without sinking the phase (e.g. persona unavailable). */
  notes: string[];
}

export interface ExperienceOutput {
  priors: Prior[];
  max_similarity: number;
  novelty: number;
  mode: string;
}

export interface IntentionOutput {
  session_id?: string;
  thought_id?: string;
  /** The model's reading of what the user wants; null when no model wrote one. */
  intent: string | null;
  confidence?: number;
  generated: boolean;
}

export type LinkType = 'relates' | 'supports' | 'contradicts' | 'elaborates';

export interface ObservationLink {
  target_id: string;
  type: LinkType;
  weight: number;
}

export interface ObservationOutput {
  tags: string[];
  links: ObservationLink[];
  generated: boolean;
}

export interface UnderstandingOutput extends PriorJudgement {
  generated: boolean;
  /** How the judgement was made: `model` (reasoning_reflect), the host's no-model rule, or no priors. */
  method: 'model' | 'rule' | 'no_priors';
  quality?: number;
  critique?: string;
  session_id?: string;
}

export interface YieldOutput {
  answer: string;
  citations: Citation[];
  dropped_citations: string[];
  should_continue: boolean;
  next_phase: 'action' | null;
  generated: boolean;
  model?: string;
}

/** Where the turn's final answer came from. */
export type AnswerSource = 'yield' | 'action_fallback' | 'none';

/** The output of the turn's last Yield event (`final: true`): the answer the user gets. */
export interface FinalAnswer {
  final: true;
  answer: string;
  citations: Citation[];
  source: AnswerSource;
  generated: boolean;
  model?: string;
  /** Why the answer did not come from Yield, when it did not. */
  reason?: string;
}
