/**
 * Whether Yield asks for another cycle. The model ends its answer with one line,
 * `CONTINUE: no` or `CONTINUE: yes — <what is missing>`; the line is taken out of the answer.
 * The cycle bound is applied here, not left to the model.
 */

export const CONTINUE_INSTRUCTION =
  'End your reply with one last line, exactly `CONTINUE: no` when the answer is complete, or ' +
  '`CONTINUE: yes — <what is missing>` when another pass of research and reasoning would change it.';

export interface ContinueLine {
  /** The answer without the CONTINUE line. */
  text: string;
  /** What the model asked for; null when it wrote no CONTINUE line. */
  requested: boolean | null;
  /** The model's words after `yes` / `no`, if any. */
  reason?: string;
}

const LINE =
  /^[ \t>*_#]*continue[*_]*[ \t]*[:=][*_]*[ \t]*[*_`]*(yes|no|true|false)\b[*_`]*[ \t]*(?:[-—–:,.][ \t]*)?(.*)$/gim;

/** Reads the last CONTINUE line, wherever the model put it, and removes every such line. */
export function readContinueLine(answer: string): ContinueLine {
  let requested: boolean | null = null;
  let reason: string | undefined;
  for (const match of answer.matchAll(LINE)) {
    const word = match[1]!.toLowerCase();
    requested = word === 'yes' || word === 'true';
    const rest = match[2]!.replace(/[*_`]+$/, '').trim();
    reason = rest || undefined;
  }
  const text = answer
    .replace(LINE, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return reason === undefined ? { text, requested } : { text, requested, reason };
}

export interface CycleDecision {
  should_continue: boolean;
  next_phase: 'action' | null;
  /** Why the model's request was not followed, when it was not. */
  overruled?: string;
}

/** Another cycle only when the model asks for one and the turn has cycles left. */
export function decideNextCycle(requested: boolean | null, cycle: number, maxCycles: number): CycleDecision {
  if (requested !== true) return { should_continue: false, next_phase: null };
  if (cycle >= maxCycles) {
    return {
      should_continue: false,
      next_phase: null,
      overruled: `the model asked for another cycle, but cycle ${cycle} of ${maxCycles} is the last`,
    };
  }
  return { should_continue: true, next_phase: 'action' };
}
