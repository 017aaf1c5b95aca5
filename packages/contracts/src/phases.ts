import { z } from 'zod';

/** The PostChain's six phases, in order (AEIOU-Y). */
export const PHASES = ['action', 'experience', 'intention', 'observation', 'understanding', 'yield'] as const;
export const PhaseName = z.enum(PHASES);
export type PhaseName = z.infer<typeof PhaseName>;

export const PhaseStatus = z.enum(['running', 'delta', 'complete', 'error', 'skipped']);
export type PhaseStatus = z.infer<typeof PhaseStatus>;

export const ErrorInfo = z.object({
  code: z.string(),
  message: z.string(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

/** One event of a turn, as streamed to the terminal or printed as NDJSON with --json. */
export const PhaseEvent = z.object({
  conversation_id: z.string(),
  turn: z.number().int().nonnegative(),
  cycle: z.number().int().positive(),
  phase: PhaseName,
  status: PhaseStatus,
  /** ISO time the event was emitted. */
  at: z.string(),
  /** Milliseconds since the phase started (complete/error/skipped). */
  elapsed_ms: z.number().nonnegative().optional(),
  /** Streamed text (delta) or the phase's text summary (complete). */
  text: z.string().optional(),
  /** The phase's structured output (complete). */
  output: z.unknown().optional(),
  /** Whether a model produced the output, or a no-model path did. */
  generated: z.boolean().optional(),
  error: ErrorInfo.optional(),
});
export type PhaseEvent = z.infer<typeof PhaseEvent>;
