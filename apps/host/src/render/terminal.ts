/**
 * The live view of a turn. In a terminal: one status line per phase with a ticking elapsed
 * time, the first and final answers streamed as they are written, citations at the end. When
 * stdout is not a terminal: plain lines, one per phase event, and the answer at the end.
 */
import type { PhaseEvent, PhaseName, Prior } from '@choir/contracts';
import type { FinalAnswer } from '../postchain/types.js';
import { ContinueLineFilter } from './continue-filter.js';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

const LABEL: Record<PhaseName, string> = {
  action: 'Action',
  experience: 'Experience',
  intention: 'Intention',
  observation: 'Observation',
  understanding: 'Understanding',
  yield: 'Yield',
};
const STREAMED: ReadonlySet<PhaseName> = new Set(['action', 'yield']);
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Style {
  dim(text: string): string;
  bold(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

export function makeStyle(color: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    color ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    dim: wrap(2, 22),
    bold: wrap(1, 22),
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export class TerminalRenderer {
  private readonly live: boolean;
  private readonly style: Style;
  private current: { phase: PhaseName; started: number; streaming: boolean } | null = null;
  private ticker: NodeJS.Timeout | undefined;
  private frame = 0;
  private filter = new ContinueLineFilter();
  private priors = new Map<string, Prior>();
  private yieldStreamed = false;

  constructor(
    private readonly out: Output,
    options: { color?: boolean; live?: boolean } = {},
  ) {
    this.live = options.live ?? out.isTTY === true;
    this.style = makeStyle(options.color ?? (this.live && !process.env.NO_COLOR));
  }

  notice(text: string): void {
    this.clearLive();
    const [first, ...rest] = text.split('\n');
    this.out.write(`${this.style.yellow('!')} ${first}\n${rest.map((line) => `  ${line}\n`).join('')}`);
  }

  info(text: string): void {
    this.clearLive();
    this.out.write(`${text}\n`);
  }

  event(event: PhaseEvent): void {
    if (event.phase === 'experience' && event.status === 'complete') this.rememberPriors(event.output);
    if (this.live) this.liveEvent(event);
    else this.plainEvent(event);
  }

  private rememberPriors(output: unknown): void {
    const priors = (output as { priors?: Prior[] } | undefined)?.priors ?? [];
    for (const prior of priors) this.priors.set(prior.id, prior);
  }

  private plainEvent(event: PhaseEvent): void {
    const tag = `[${event.phase}]`;
    if (event.status === 'running') {
      this.out.write(`${tag} running${event.cycle > 1 ? ` (cycle ${event.cycle})` : ''}\n`);
    } else if (event.status === 'complete' || event.status === 'skipped' || event.status === 'error') {
      const final = isFinal(event.output);
      const summary =
        event.status === 'error'
          ? `${event.error?.code}: ${event.error?.message}`
          : final
            ? answerSummary(event.output as FinalAnswer)
            : oneLine(event.text ?? '');
      const model = event.generated === false && event.status !== 'error' ? ' (no model)' : '';
      this.out.write(`${tag} ${event.status} ${formatSeconds(event.elapsed_ms ?? 0)}${model} ${summary}\n`);
      if (final) this.printFinal(event.output as FinalAnswer, false);
    }
    // Deltas are not shown line by line: the complete event carries the whole text.
  }

  private liveEvent(event: PhaseEvent): void {
    const s = this.style;
    switch (event.status) {
      case 'running': {
        this.clearLive();
        this.current = { phase: event.phase, started: Date.now(), streaming: false };
        if (event.phase === 'yield') {
          this.filter = new ContinueLineFilter();
          this.yieldStreamed = false;
        }
        this.drawRunning();
        this.ticker = setInterval(() => this.drawRunning(), 100);
        this.ticker.unref();
        return;
      }
      case 'delta': {
        if (!STREAMED.has(event.phase) || !this.current || this.current.phase !== event.phase) return;
        const text = event.phase === 'yield' ? this.filter.push(event.text ?? '') : (event.text ?? '');
        if (!text) return;
        if (!this.current.streaming) {
          this.stopTicker();
          this.out.write(`\r\x1b[2K  ${s.cyan('▸')} ${LABEL[event.phase]}\n\n`);
          this.current.streaming = true;
          if (event.phase === 'yield') this.yieldStreamed = true;
        }
        this.out.write(event.phase === 'action' ? s.dim(text) : text);
        return;
      }
      default: {
        this.stopTicker();
        const streaming = this.current?.phase === event.phase && this.current.streaming;
        if (streaming) {
          const rest = event.phase === 'yield' ? this.filter.end() : '';
          this.out.write(`${event.phase === 'action' ? s.dim(rest) : rest}\n\n`);
        }
        this.current = null;
        const final = isFinal(event.output);
        const mark =
          event.status === 'complete' ? s.green('✓') : event.status === 'skipped' ? s.dim('–') : s.red('✗');
        const time = s.dim(formatSeconds(event.elapsed_ms ?? 0).padStart(6));
        let detail: string;
        if (event.status === 'error')
          detail = s.red(`${event.error?.code}: ${oneLine(event.error?.message ?? '')}`);
        else if (final) detail = answerSummary(event.output as FinalAnswer);
        // The first answer is shown in full (streamed, or printed below), not summarised.
        else if (event.phase === 'action' && event.status === 'complete') detail = 'first answer';
        else detail = oneLine(event.text ?? '');
        const model = event.generated === false ? s.dim(' (no model)') : '';
        this.out.write(`\r\x1b[2K  ${mark} ${LABEL[event.phase].padEnd(13)} ${time}  ${detail}${model}\n`);
        if (event.phase === 'action' && event.status === 'complete' && !streaming && event.text) {
          this.out.write(`${indent(s.dim(event.text))}\n`);
        }
        if (final)
          this.printFinal(event.output as FinalAnswer, this.yieldStreamed && event.status === 'complete');
      }
    }
  }

  private printFinal(final: FinalAnswer, alreadyStreamed: boolean): void {
    const s = this.style;
    if (!alreadyStreamed) {
      const heading =
        final.source === 'action_fallback'
          ? s.yellow('Answer (fallback: the first answer, because Yield did not complete)')
          : final.source === 'none'
            ? s.red('No answer')
            : s.bold('Answer');
      this.out.write(`\n${heading}${final.generated ? '' : s.dim(' — no model')}\n\n${final.answer}\n`);
    }
    if (final.citations.length) {
      this.out.write(`\n${s.bold('Sources')}\n`);
      for (const citation of final.citations) {
        const prior = this.priors.get(citation.prior_id);
        const text = prior ? oneLine(prior.content, 100) : '';
        this.out.write(`  ${s.cyan(`[${citation.prior_id}]`)} ${text}\n`);
      }
    }
    this.out.write('\n');
  }

  private drawRunning(): void {
    if (!this.current) return;
    const s = this.style;
    const spinner = SPINNER[this.frame++ % SPINNER.length]!;
    const time = s.dim(formatSeconds(Date.now() - this.current.started).padStart(6));
    this.out.write(`\r\x1b[2K  ${s.cyan(spinner)} ${LABEL[this.current.phase].padEnd(13)} ${time}`);
  }

  private stopTicker(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** Before printing anything else, take the spinner line off the screen. */
  private clearLive(): void {
    this.stopTicker();
    if (this.live && this.current && !this.current.streaming) this.out.write('\r\x1b[2K');
  }

  close(): void {
    this.clearLive();
    this.current = null;
  }
}

function isFinal(output: unknown): boolean {
  return (output as { final?: unknown } | undefined)?.final === true;
}

function answerSummary(final: FinalAnswer): string {
  const cites = final.citations.length;
  const source =
    final.source === 'yield'
      ? 'final answer'
      : final.source === 'action_fallback'
        ? 'fallback answer'
        : 'no answer';
  return `${source}${cites ? `, ${cites} citation${cites === 1 ? '' : 's'}` : ''}`;
}

function oneLine(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
