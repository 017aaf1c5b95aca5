import { afterEach, describe, expect, it } from 'vitest';
import type { LinearOutput } from '../src/tools/linear.js';
import { type Harness, harness } from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

interface SessionList {
  sessions: { session_id: string; mode: string; title: string; thought_count: number }[];
  next_cursor: string | null;
}
interface SessionGet {
  session: { session_id: string; mode: string };
  counts: Record<string, number>;
  thoughts: { seq: number; content: string; status: string }[];
  next_cursor: string | null;
}

describe('reasoning_session_list', () => {
  it('pages through sessions, newest first', async () => {
    h = await harness();
    const ids: string[] = [];
    for (const content of ['first', 'second', 'third']) {
      ids.push((await h.ok<LinearOutput>('reasoning_linear', { content })).session_id);
    }
    const page1 = await h.ok<SessionList>('reasoning_session_list', { limit: 2 });
    expect(page1.sessions.map((s) => s.title)).toEqual(['third', 'second']);
    expect(page1.sessions[0]).toMatchObject({ mode: 'linear', thought_count: 1 });
    const page2 = await h.ok<SessionList>('reasoning_session_list', { limit: 2, cursor: page1.next_cursor });
    expect(page2.sessions.map((s) => s.title)).toEqual(['first']);
    expect(page2.next_cursor).toBeNull();
  });

  it('refuses a forged cursor and a limit out of range', async () => {
    h = await harness();
    expect((await h.call('reasoning_session_list', { cursor: 'abc' })).code).toBe('INVALID_INPUT');
    expect((await h.call('reasoning_session_list', { limit: 0 })).code).toBe('INVALID_INPUT');
    expect((await h.call('reasoning_session_list', { limit: 101 })).code).toBe('INVALID_INPUT');
  });
});

describe('reasoning_session_get', () => {
  it('returns the thoughts in order, a page at a time, with counts', async () => {
    h = await harness();
    const { session_id } = await h.ok<LinearOutput>('reasoning_linear', { content: 't1' });
    for (const content of ['t2', 't3', 't4', 't5']) await h.ok('reasoning_linear', { content, session_id });
    const page1 = await h.ok<SessionGet>('reasoning_session_get', { session_id, limit: 3 });
    expect(page1.thoughts.map((t) => t.content)).toEqual(['t1', 't2', 't3']);
    expect(page1.counts).toEqual({
      thoughts: 5,
      active_thoughts: 5,
      branches: 0,
      checkpoints: 0,
      graph_nodes: 0,
      graph_edges: 0,
    });
    const page2 = await h.ok<SessionGet>('reasoning_session_get', {
      session_id,
      limit: 3,
      cursor: page1.next_cursor,
    });
    expect(page2.thoughts.map((t) => t.seq)).toEqual([4, 5]);
    expect(page2.next_cursor).toBeNull();
  });

  it('is NOT_FOUND for an unknown session', async () => {
    h = await harness();
    const r = await h.call('reasoning_session_get', { session_id: 'ses_missing' });
    expect(r.code).toBe('NOT_FOUND');
    expect(r.text).toContain('ses_missing');
  });
});
