/**
 * A provider from the server's environment (no sampling): each mode sends its purpose, so
 * Langbase picks PIPE_<PURPOSE>, and the pipe variables the reasoning plan lists.
 */
import type { LanguageModel, TextRequest } from '@choir/llm';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

function fakeLangbase(answers: Record<string, unknown>): LanguageModel & { requests: TextRequest[] } {
  const requests: TextRequest[] = [];
  return {
    provider: 'langbase',
    model: 'choir',
    requests,
    async generateText(request) {
      requests.push(request);
      return { text: JSON.stringify(answers[request.purpose ?? '']), model: `pipe-for-${request.purpose}` };
    },
    streamText() {
      throw new Error('not used');
    },
  };
}

describe('generation through a provider', () => {
  it('passes purpose and pipe variables, and metrics name the provider', async () => {
    const provider = fakeLangbase({
      linear: { thought: 'first step', confidence: 0.6, next_thought_needed: true },
      divergent: {
        perspectives: [
          { label: 'a', content: 'A', confidence: 0.5 },
          { label: 'b', content: 'B', confidence: 0.5 },
        ],
        challenged_assumptions: [],
        synthesis: 'AB',
      },
      got_score: { score: 0.4, rationale: 'meh' },
    });
    h = await harness({ provider });
    const step = await h.ok<{ session_id: string; model: string }>('reasoning_linear', {
      content: 'Solve x',
      context: 'algebra',
    });
    expect(step.model).toBe('pipe-for-linear');
    await h.ok('reasoning_divergent', { content: 'Traffic', num_perspectives: 2 });
    const g = await h.ok<{ session_id: string; root_node_id: string }>('reasoning_got_init', {
      content: 'root',
    });
    await h.ok('reasoning_got_score', {
      session_id: g.session_id,
      node_id: g.root_node_id,
      criteria: 'rigour',
    });

    expect(provider.requests.map((r) => [r.purpose, Object.keys(r.variables ?? {}).sort()])).toEqual([
      ['linear', ['context', 'history', 'prompt']],
      ['divergent', ['context', 'num_paths', 'prompt']],
      ['got_score', ['context', 'criteria', 'node_content']],
    ]);
    expect(provider.requests[0]!.variables).toEqual({
      prompt: 'Solve x',
      context: 'algebra',
      history: '(none yet)',
    });
    expect(provider.requests[1]!.variables?.num_paths).toBe('2');
    const metrics = await h.ok<{ by_mode: { mode: string; provider: string }[] }>('reasoning_metrics');
    expect(metrics.by_mode.map((m) => [m.mode, m.provider])).toEqual([
      ['divergent', 'langbase'],
      ['got_init', 'none'],
      ['got_score', 'langbase'],
      ['linear', 'langbase'],
    ]);
  });
});
