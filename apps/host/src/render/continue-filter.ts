/**
 * Streams Yield's text to the terminal without its trailing `CONTINUE: yes|no` line (the action
 * server strips that line from the final answer; the live stream must not show it either).
 * Text passes through at once, except a line that could still turn out to be the CONTINUE line,
 * which is held until it can be decided.
 */
const CONTINUE_WORD = 'continue';
/** Characters a model may put before the word (markdown emphasis, quotes, list marks). */
const LEAD = /^[ \t>*_#`-]*/;

export class ContinueLineFilter {
  private held = '';
  /** True while the current line has been judged not a CONTINUE line (and is being streamed). */
  private passing = false;

  /** Feeds a delta; returns what can be shown now. */
  push(delta: string): string {
    let out = '';
    for (const char of delta) {
      if (this.passing) {
        out += char;
        if (char === '\n') this.passing = false;
        continue;
      }
      this.held += char;
      if (char === '\n') {
        // A whole line was held: show it unless it is the CONTINUE line.
        if (!isContinueLine(this.held)) out += this.held;
        this.held = '';
        continue;
      }
      if (!couldBeContinueLine(this.held)) {
        out += this.held;
        this.held = '';
        this.passing = true;
      }
    }
    return out;
  }

  /** The end of the stream: whatever is held, unless it is the CONTINUE line. */
  end(): string {
    const rest = this.held;
    this.held = '';
    this.passing = false;
    return isContinueLine(rest) ? '' : rest;
  }
}

function couldBeContinueLine(partial: string): boolean {
  const body = partial.replace(LEAD, '').toLowerCase();
  if (body.length <= CONTINUE_WORD.length) return CONTINUE_WORD.startsWith(body);
  return body.startsWith(CONTINUE_WORD);
}

export function isContinueLine(line: string): boolean {
  return /^[ \t>*_#`-]*continue[*_`]*[ \t]*[:=]/i.test(line.trim());
}
