/**
 * A chat session's context window: sessions expire after a day of silence; once more than 50
 * turns are unsummarised, all but the 20 most recent are folded into the session summary.
 */
import { countTokens, truncateToTokens } from '@choir/llm';
import { HOUR_MS } from './numbers.js';

export const SESSION_RULES = {
  /** A session idle this long is expired; the next message starts a new one. */
  timeoutHours: 24,
  /** Summarise once the unsummarised turns exceed this… */
  summarizeAbove: 50,
  /** …keeping this many recent turns verbatim. */
  keepRecent: 20,
  /** The summary is kept within this many tokens. */
  summaryMaxTokens: 600,
  /** Each turn contributes at most this many tokens to an extractive summary. */
  extractiveTurnTokens: 40,
} as const;

export function isExpired(lastActivity: number, now: number): boolean {
  return now - lastActivity >= SESSION_RULES.timeoutHours * HOUR_MS;
}

/** How many of the oldest unsummarised turns to fold into the summary now. */
export function turnsToFold(unsummarized: number): number {
  return unsummarized > SESSION_RULES.summarizeAbove ? unsummarized - SESSION_RULES.keepRecent : 0;
}

export interface SummaryTurn {
  speaker: string;
  content: string;
}

export const EXTRACTIVE_HEADER =
  'Excerpts from earlier in this conversation (extractive, not a model summary):';

/**
 * The no-model summary: the first sentence of each folded turn, newest kept when the summary
 * outgrows its budget. Marked as excerpts so nobody mistakes it for a model's summary.
 */
export function extractiveSummary(previous: string | null, turns: readonly SummaryTurn[]): string {
  const previousLines = previous
    ? previous
        .split('\n')
        .filter((line) => line.trim() && line !== EXTRACTIVE_HEADER)
        .map((line) => (line.startsWith('- ') ? line : `- ${line}`))
    : [];
  const newLines = turns.map((t) => `- ${t.speaker}: ${firstSentence(t.content)}`);
  const lines = [...previousLines, ...newLines];
  const budget = SESSION_RULES.summaryMaxTokens - countTokens(EXTRACTIVE_HEADER) - 1;
  let used = 0;
  let start = lines.length;
  while (start > 0) {
    const cost = countTokens(lines[start - 1]!) + 1;
    if (used + cost > budget) break;
    used += cost;
    start--;
  }
  return [EXTRACTIVE_HEADER, ...lines.slice(start)].join('\n');
}

export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const match = /^.*?[.!?](?=\s|$)/.exec(flat);
  const sentence = match ? match[0] : flat;
  const cut = truncateToTokens(sentence, SESSION_RULES.extractiveTurnTokens);
  return cut.length < flat.length ? `${cut}…` : cut;
}

/** The request that asks a model to fold turns into the running summary. */
export function summaryRequest(previous: string | null, turns: readonly SummaryTurn[]) {
  const transcript = turns.map((t) => `${t.speaker}: ${t.content}`).join('\n');
  return {
    system:
      'You maintain the running summary of a conversation. Merge the earlier summary and the new ' +
      `transcript into one summary of at most ${Math.floor(SESSION_RULES.summaryMaxTokens * 0.75)} words: ` +
      'who said what that matters later (facts, names, decisions, feelings, open questions). ' +
      'Write plain prose, no preamble.',
    prompt: `${previous ? `Earlier summary:\n${previous}\n\n` : ''}New transcript:\n${transcript}`,
  };
}
