/** The prompts of the three phases this server speaks for, built from plain data. */
import type { Prior } from '@choir/contracts';
import { CONTINUE_INSTRUCTION } from './decision.js';
import { bestPriors, quotePrior } from './extractive.js';

export interface ContextMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface PromptMessages {
  system: string;
  messages: ContextMessage[];
}

export const DEFAULT_PERSONA =
  'You are a helpful, careful assistant. You answer plainly and say what you do not know.';
/** Bounds on what goes into a prompt, whatever the caller passes (the input limits are far larger). */
export const PROMPT_LIMITS = {
  contextMessages: 40,
  respondPriors: 5,
  respondPriorChars: 800,
  yieldPriors: 12,
  yieldPriorChars: 1_500,
  noteChars: 4_000,
} as const;

/** A phase's output as the caller passed it: text, or JSON shown compactly. */
export type PhaseNote = string | Record<string, unknown> | unknown[];

export function renderNote(note: PhaseNote, maxChars: number = PROMPT_LIMITS.noteChars): string {
  const text = typeof note === 'string' ? note.trim() : JSON.stringify(note);
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

/** `[id] content` lines, best first, each capped. */
export function renderPriors(priors: readonly Prior[], count: number, maxChars: number): string {
  return bestPriors(priors, count)
    .map((p) => `[${p.id}] ${quotePrior(p.content, maxChars)}`)
    .join('\n');
}

/**
 * The recent conversation as alternating turns ending before the new user message: the last
 * `contextMessages`, same-role neighbours joined; assistant words before any user message go
 * into the system prompt, since several providers require the first message to be the user's.
 */
export function conversationTurns(
  context: readonly ContextMessage[],
  limit: number = PROMPT_LIMITS.contextMessages,
): { opening: string | null; turns: ContextMessage[] } {
  const turns: ContextMessage[] = [];
  for (const message of context.slice(-limit)) {
    const content = message.content.trim();
    if (!content) continue;
    const last = turns.at(-1);
    if (last && last.role === message.role) last.content += `\n\n${content}`;
    else turns.push({ role: message.role, content });
  }
  const opening = turns[0]?.role === 'assistant' ? turns.shift()!.content : null;
  return { opening, turns };
}

/** Appends the new user message, joining it to a trailing user turn. */
function withUserMessage(turns: ContextMessage[], message: string): ContextMessage[] {
  const last = turns.at(-1);
  if (last?.role === 'user')
    return [...turns.slice(0, -1), { role: 'user', content: `${last.content}\n\n${message}` }];
  return [...turns, { role: 'user', content: message }];
}

export interface RespondInput {
  message: string;
  persona_prompt?: string;
  context?: readonly ContextMessage[];
  priors?: readonly Prior[];
}

export function respondPrompt(input: RespondInput): PromptMessages {
  const { opening, turns } = conversationTurns(input.context ?? []);
  const parts = [
    input.persona_prompt?.trim() || DEFAULT_PERSONA,
    "Give a short first answer to the user's latest message: a few sentences at most. A fuller answer " +
      'may follow later; do not mention that.',
  ];
  if (opening) parts.push(`Earlier in this conversation you said:\n${opening}`);
  const priors = renderPriors(
    input.priors ?? [],
    PROMPT_LIMITS.respondPriors,
    PROMPT_LIMITS.respondPriorChars,
  );
  if (priors)
    parts.push(`Passages from memory that may be relevant (they may also be irrelevant):\n${priors}`);
  return { system: parts.join('\n\n'), messages: withUserMessage(turns, input.message.trim()) };
}

export interface YieldInput {
  message: string;
  first_answer?: string;
  priors: readonly Prior[];
  intent?: PhaseNote;
  observations?: PhaseNote;
  understanding?: PhaseNote;
  persona_prompt?: string;
  cycle: number;
  max_cycles: number;
}

export function yieldPrompt(input: YieldInput): PromptMessages {
  const lastCycle = input.cycle >= input.max_cycles;
  const system = [
    input.persona_prompt?.trim() || DEFAULT_PERSONA,
    "Write the final answer to the user's message. You are given a quick first answer, passages from " +
      'memory with ids, and notes from earlier steps. Use what is relevant and correct the first answer ' +
      'where it is wrong. Address the user directly; do not describe these steps.',
    'When a claim rests on a passage, cite it right after the claim by writing its id in square ' +
      'brackets, e.g. [exp_12], or [exp_12, exp_3] for several. Cite only ids listed under Passages; ' +
      'never invent one. Do not cite where no passage supports the claim.',
    CONTINUE_INSTRUCTION,
    lastCycle
      ? `This is pass ${input.cycle} of ${input.max_cycles}, the last: end with CONTINUE: no.`
      : `This is pass ${input.cycle} of ${input.max_cycles}.`,
  ].join('\n\n');
  const sections = [`User message:\n${input.message.trim()}`];
  if (input.first_answer?.trim()) sections.push(`First answer:\n${input.first_answer.trim()}`);
  if (input.intent !== undefined) sections.push(`Intent:\n${renderNote(input.intent)}`);
  if (input.observations !== undefined) sections.push(`Observations:\n${renderNote(input.observations)}`);
  if (input.understanding !== undefined) sections.push(`Understanding:\n${renderNote(input.understanding)}`);
  const priors = renderPriors(input.priors, PROMPT_LIMITS.yieldPriors, PROMPT_LIMITS.yieldPriorChars);
  sections.push(`Passages:\n${priors || '(none)'}`);
  return { system, messages: [{ role: 'user', content: sections.join('\n\n') }] };
}

export interface FollowupInput {
  message: string;
  context?: readonly ContextMessage[];
  candidates?: readonly string[];
}

export function followupPrompt(input: FollowupInput): PromptMessages {
  const { opening, turns } = conversationTurns(input.context ?? [], 10);
  const lines = [`The user's message:\n${input.message.trim()}`];
  if (opening) lines.unshift(`Earlier the assistant said:\n${opening}`);
  if (turns.length) {
    lines.unshift(`Recent conversation:\n${turns.map((t) => `${t.role}: ${t.content}`).join('\n')}`);
  }
  if (input.candidates?.length) {
    lines.push(
      `Readings of the message to choose between:\n${input.candidates.map((c) => `- ${c}`).join('\n')}`,
    );
  }
  return {
    system:
      "The user's message is ambiguous. Ask the one short clarifying question whose answer would " +
      'resolve it. Reply with the question only: one sentence, ending with a question mark.',
    messages: [{ role: 'user', content: lines.join('\n\n') }],
  };
}

/** The question the caller's candidates spell out, for when no model is asked. */
export function candidatesQuestion(candidates: readonly string[]): string {
  return `Which did you mean: ${candidates.map((c, i) => `(${i + 1}) ${c.trim()}`).join(', ')}?`;
}
