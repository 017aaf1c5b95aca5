import { callTool } from '@choir/server-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/cursor.js';
import { recordGeneration } from '../src/store.js';
import { type Harness, harness } from './setup.js';

interface Page {
  entries: { id: number; output: string }[];
  next_cursor: string | null;
}
const ids = (page: Page) => page.entries.map((e) => e.id);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('action_log', () => {
  it('pages newest first with a cursor and filters', async () => {
    h = await harness();
    for (let i = 1; i <= 5; i++) {
      await recordGeneration(h.store, {
        phase: i % 2 ? 'yield' : 'action',
        outcome: i === 5 ? 'generated' : 'extractive',
        model: i === 5 ? 'm' : null,
        conversationId: i <= 2 ? 'a' : 'b',
        output: `${'x'.repeat(300)}${i}`,
      });
    }
    const first = await callTool<Page>(h.client, 'action_log', { limit: 2 });
    expect(ids(first.data)).toEqual([5, 4]);
    expect(first.data.entries[0]).toMatchObject({
      generated: true,
      output_chars: 301,
      output_truncated: true,
    });
    expect(first.data.entries[0]!.output.length).toBe(200);
    expect(first.data.next_cursor).toBe(encodeCursor(4));
    const second = await callTool<Page>(h.client, 'action_log', {
      limit: 2,
      cursor: first.data.next_cursor ?? undefined,
    });
    expect(ids(second.data)).toEqual([3, 2]);
    const third = await callTool<Page>(h.client, 'action_log', {
      limit: 2,
      cursor: second.data.next_cursor ?? undefined,
    });
    expect(ids(third.data)).toEqual([1]);
    expect(third.data.next_cursor).toBeNull();

    const yields = await callTool<Page>(h.client, 'action_log', {
      phase: 'yield',
      generated: false,
      include_output: true,
    });
    expect(ids(yields.data)).toEqual([3, 1]);
    expect(yields.data.entries[0]).toMatchObject({ output: `${'x'.repeat(300)}3`, output_truncated: false });
    const conv = await callTool<Page>(h.client, 'action_log', { conversation_id: 'a' });
    expect(ids(conv.data)).toEqual([2, 1]);
  });

  it('records what the other tools produced', async () => {
    h = await harness();
    await callTool(h.client, 'action_yield', { message: 'q', priors: [], cycle: 1, max_cycles: 1 });
    const r = await callTool(h.client, 'action_log', {});
    expect(r.data.entries).toMatchObject([
      { phase: 'yield', outcome: 'extractive', cycle: 1, should_continue: false },
    ]);
    expect(r.text).toMatch(/^#1 \S+ yield extractive$/);
  });

  it('rejects a foreign cursor or an oversized page', async () => {
    h = await harness();
    expect((await callTool(h.client, 'action_log', { cursor: 'abc' })).code).toBe('INVALID_INPUT');
    expect((await callTool(h.client, 'action_log', { limit: 101 })).code).toBe('INVALID_INPUT');
    expect((await callTool(h.client, 'action_log', { phase: 'experience' })).code).toBe('INVALID_INPUT');
  });

  it('says so when nothing matches', async () => {
    h = await harness();
    const r = await callTool(h.client, 'action_log', {});
    expect(r.data).toEqual({ entries: [], next_cursor: null });
    expect(r.text).toBe('No log entries match.');
  });
});

describe('tools/list', () => {
  it('lists the four tools with output schemas and truthful annotations', async () => {
    h = await harness();
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'action_respond',
      'action_yield',
      'action_followup',
      'action_log',
    ]);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^action_[a-z0-9_]{1,57}$/);
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.annotations?.destructiveHint).toBe(false);
      expect(tool.annotations?.readOnlyHint).toBe(tool.name === 'action_log');
    }
  });
});
