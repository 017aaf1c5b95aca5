import { TOOL_NAME } from '@choir/server-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from './setup.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('tools/list', () => {
  it('lists every tool with a valid name, input and output schema, and truthful annotations', async () => {
    h = await harness();
    const { tools } = await h.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'history_append',
      'history_apply_retention',
      'history_context',
      'history_delete_conversation',
      'history_export',
      'history_get',
      'history_import',
      'history_list_conversations',
      'history_search',
      'history_update_conversation',
      'history_usage',
    ]);
    for (const tool of tools) {
      expect(tool.name).toMatch(TOOL_NAME);
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description?.length).toBeGreaterThan(40);
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t.annotations ?? {}]));
    const readOnly = tools
      .filter((t) => t.annotations?.readOnlyHint)
      .map((t) => t.name)
      .sort();
    expect(readOnly).toEqual([
      'history_context',
      'history_export',
      'history_get',
      'history_list_conversations',
      'history_search',
      'history_usage',
    ]);
    expect(byName.history_delete_conversation).toMatchObject({ destructiveHint: true });
    expect(byName.history_apply_retention).toMatchObject({ destructiveHint: true });
    // Retention is unlimited in this harness: an append deletes nothing.
    expect(byName.history_append).toMatchObject({ readOnlyHint: false, destructiveHint: false });
  });

  it('marks append and import destructive when a retention policy prunes after them', async () => {
    h = await harness({ env: { CHAT_HISTORY_RETENTION: 'token_limit' } });
    const { tools } = await h.client.listTools();
    const append = tools.find((t) => t.name === 'history_append')!;
    expect(append.annotations).toMatchObject({ destructiveHint: true });
    expect(append.description).toMatch(/token_limit retention policy then prunes/);
    expect(tools.find((t) => t.name === 'history_import')!.annotations).toMatchObject({
      destructiveHint: true,
    });
  });
});
