import { afterEach, describe, expect, it } from 'vitest';
import type { LinearOutput } from '../src/tools/linear.js';
import { type Harness, harness, scriptedModel } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

interface Search {
  results: { thought_id: string; session_id: string; snippet: string; status: string; score: number }[];
  next_cursor: string | null;
}
interface Metrics {
  total_calls: number;
  by_mode: {
    mode: string;
    provider: string;
    count: number;
    success_count: number;
    success_rate: number;
    p50_ms: number;
  }[];
}

describe('reasoning_search', () => {
  it('finds thoughts by word stems, ranked, filtered and paged', async () => {
    h = await harness();
    const a = await h.ok<LinearOutput>('reasoning_linear', { content: 'The runner was running a marathon' });
    await h.ok('reasoning_linear', { content: 'Cats sleep all day', session_id: a.session_id });
    const b = await h.ok<LinearOutput>('reasoning_linear', { content: 'She runs every morning' });
    const all = await h.ok<Search>('reasoning_search', { query: 'run' });
    expect(all.results.map((r) => r.thought_id).sort()).toEqual([a.thought_id, b.thought_id].sort());
    expect(all.results[0]!.snippet).toMatch(/\[/);
    const inA = await h.ok<Search>('reasoning_search', { query: 'run', session_id: a.session_id });
    expect(inA.results.map((r) => r.thought_id)).toEqual([a.thought_id]);
    const both = await h.ok<Search>('reasoning_search', { query: 'run cats' });
    expect(both.results).toEqual([]);
    const either = await h.ok<Search>('reasoning_search', { query: 'run cats', match: 'any', limit: 2 });
    expect(either.results).toHaveLength(2);
    expect(either.next_cursor).not.toBeNull();
  });

  it('leaves abandoned thoughts out unless asked', async () => {
    h = await harness();
    const a = await h.ok<LinearOutput>('reasoning_linear', { content: 'kept idea' });
    const cp = await h.ok<{ checkpoint_id: string }>('reasoning_checkpoint_create', {
      session_id: a.session_id,
      name: 'c',
    });
    await h.ok('reasoning_linear', { content: 'abandoned idea', session_id: a.session_id });
    await h.ok('reasoning_backtrack', { checkpoint_id: cp.checkpoint_id });
    expect((await h.ok<Search>('reasoning_search', { query: 'idea' })).results).toHaveLength(1);
    const withAbandoned = await h.ok<Search>('reasoning_search', { query: 'idea', include_abandoned: true });
    expect(withAbandoned.results.map((r) => r.status).sort()).toEqual(['abandoned', 'active']);
  });

  it('survives FTS syntax in the query and refuses a query without words', async () => {
    h = await harness();
    await h.ok('reasoning_linear', { content: 'quoted "thing" here' });
    expect((await h.ok<Search>('reasoning_search', { query: '"thing* (' })).results).toHaveLength(1);
    expect(
      (await h.ok<Search>('reasoning_search', { query: 'NEAR( "thing* OR', match: 'any' })).results,
    ).toHaveLength(1);
    expect((await h.call('reasoning_search', { query: '!!!' })).code).toBe('INVALID_INPUT');
    expect((await h.call('reasoning_search', { query: 'x', session_id: 'ses_nope' })).code).toBe('NOT_FOUND');
  });
});

describe('reasoning_metrics', () => {
  it('counts calls per mode and provider with success rates, excluding refused input', async () => {
    const model = scriptedModel({
      linear: (_p: unknown, n: number) =>
        n === 1 ? { thought: 'ok', confidence: 0.5, next_thought_needed: false } : 'not json at all',
    });
    h = await harness({ model });
    await h.ok('reasoning_linear', { content: 'q1' }); // sampling, ok
    await h.ok('reasoning_linear', { content: 'q1' }); // cache, ok
    await h.call('reasoning_linear', { content: 'q2' }); // sampling, fails validation twice
    await h.ok('reasoning_linear', { content: 'mine', record_only: true }); // none, ok
    await h.call('reasoning_linear', { content: 'x', session_id: 'ses_nope' }); // refused: not counted
    const m = await h.ok<Metrics>('reasoning_metrics');
    expect(m.total_calls).toBe(4);
    expect(m.by_mode.map((r) => [r.mode, r.provider, r.count, r.success_count, r.success_rate])).toEqual([
      ['linear', 'cache', 1, 1, 1],
      ['linear', 'none', 1, 1, 1],
      ['linear', 'sampling', 2, 1, 0.5],
    ]);
    const filtered = await h.ok<Metrics>('reasoning_metrics', { mode: 'tree' });
    expect(filtered.total_calls).toBe(0);
    const future = await h.ok<Metrics>('reasoning_metrics', { since: '2999-01-01T00:00:00Z' });
    expect(future.total_calls).toBe(0);
    expect((await h.call('reasoning_metrics', { since: 'yesterday' })).code).toBe('INVALID_INPUT');
  });
});
