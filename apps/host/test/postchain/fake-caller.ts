/** A scripted ToolCaller for phase and driver tests: answers by tool name and records every call. */
import type { CallToolOptions, ToolCaller, ToolOutcome } from '../../src/postchain/tool-caller.js';
import { abortFailure } from '../../src/postchain/tool-caller.js';

export type Answer =
  | Record<string, unknown>
  | ToolOutcome<unknown>
  | ((args: Record<string, unknown>, options: CallToolOptions) => unknown);

export interface RecordedCall {
  tool: string;
  args: Record<string, unknown>;
}

export const ok = (data: Record<string, unknown>, text = ''): ToolOutcome<unknown> => ({
  ok: true,
  data,
  text,
});
export const err = (code: string, message = 'failed'): ToolOutcome<unknown> => ({
  ok: false,
  error: { code, message },
  text: `${code}: ${message}`,
});

function isOutcome(value: unknown): value is ToolOutcome<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'ok' in value &&
    typeof (value as { ok: unknown }).ok === 'boolean'
  );
}

export class FakeCaller implements ToolCaller {
  readonly calls: RecordedCall[] = [];
  constructor(private readonly answers: Record<string, Answer>) {}

  set(tool: string, answer: Answer): void {
    this.answers[tool] = answer;
  }

  argsOf(tool: string): Record<string, unknown> | undefined {
    return this.calls.find((c) => c.tool === tool)?.args;
  }

  count(tool: string): number {
    return this.calls.filter((c) => c.tool === tool).length;
  }

  async call<T>(
    tool: string,
    args: Record<string, unknown>,
    options: CallToolOptions = {},
  ): Promise<ToolOutcome<T>> {
    this.calls.push({ tool, args });
    const answer = this.answers[tool];
    if (answer === undefined) return err('TOOL_UNAVAILABLE', `no fake for ${tool}`) as ToolOutcome<T>;
    if (typeof answer !== 'function') {
      return (isOutcome(answer) ? answer : ok(answer)) as ToolOutcome<T>;
    }
    const signal = options.signal;
    const produced = answer(args, options);
    // A function may return a promise that never settles: the signal must still end the call.
    const value = await Promise.race([
      Promise.resolve(produced),
      new Promise((resolve) => {
        if (signal?.aborted) resolve(abortFailure(signal, tool));
        signal?.addEventListener('abort', () => resolve(abortFailure(signal, tool)), { once: true });
      }),
    ]);
    return (isOutcome(value) ? value : ok(value as Record<string, unknown>)) as ToolOutcome<T>;
  }
}

/** Answers for every PostChain tool, no model anywhere (the servers' no-model paths). */
export function noModelAnswers(): Record<string, Answer> {
  return {
    persona_prompt: { persona_id: 'p_aria', name: 'Aria', prompt: 'You are Aria.', available: true },
    history_context: { conversation_id: 'c1', events: [], tokens_used: 0, omitted_events: 0, budget: 2500 },
    action_respond: { text: 'No model is configured.', generated: false },
    experience_search: {
      priors: [
        { id: 'e1', score: 0.03, scores: {}, content: 'the cache uses LRU' },
        { id: 'e2', score: 0.02, scores: {}, content: 'cache size is 100' },
        { id: 'e3', score: 0.01, scores: {}, content: 'unrelated note' },
      ],
      max_similarity: 0.4,
      novelty: 0.6,
      mode: 'hybrid',
    },
    reasoning_linear: {
      session_id: 's1',
      thought_id: 't1',
      thought: 'framing',
      confidence: 0.5,
      generated: false,
    },
    experience_observe: {
      tags: ['cache'],
      links: [{ target_id: 'e1', type: 'relates', weight: 0.4 }],
      generated: false,
    },
    reasoning_reflect: err('MODEL_UNAVAILABLE', 'no model is available'),
    action_yield: {
      answer: 'From memory: the cache uses LRU [e1].',
      citations: [{ prior_id: 'e1' }],
      dropped_citations: [],
      should_continue: false,
      next_phase: null,
      generated: false,
    },
    history_append: { conversation_id: 'c1', seqs: [1, 2, 3], duplicate: false },
    experience_record: (args) => ({ id: args.role === 'user' ? 'e_user' : 'e_answer', duplicate: false }),
    experience_cite: (args) => ({
      citing_id: args.citing_id,
      recorded: (args.cited_ids as string[]).length,
      rewards: [],
    }),
    persona_record_interaction: { persona_id: 'p_aria', status: {} },
  };
}
