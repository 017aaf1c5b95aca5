import { openStore } from '@choir/storage';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActionDB,
  type ActionStore,
  countGenerations,
  listGenerations,
  recordGeneration,
} from './store.js';

const migrationsDir = resolve(import.meta.dirname, '..', '..', '..', 'migrations', 'action');
let store: ActionStore;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'choir-action-store-'));
  store = await openStore<ActionDB>({ server: 'action', migrationsDir, env: { CHOIR_DATA_DIR: dir } });
});
afterAll(async () => {
  await store.close();
});

describe('generation log', () => {
  it('records entries and pages through them newest first with filters', async () => {
    const at = new Date('2025-01-02T03:04:05.000Z');
    const first = await recordGeneration(
      store,
      {
        phase: 'yield',
        outcome: 'generated',
        via: 'sampling',
        model: 'm1',
        inputTokens: 10,
        outputTokens: 20,
        latencyMs: 30,
        conversationId: 'c1',
        cycle: 1,
        citedIds: ['exp_1'],
        droppedIds: ['exp_9'],
        shouldContinue: false,
        output: 'answer [exp_1]',
      },
      at,
    );
    await recordGeneration(store, { phase: 'action', outcome: 'extractive', output: 'notice' }, at);
    await recordGeneration(
      store,
      { phase: 'yield', outcome: 'degraded', reason: 'TIMEOUT: slow', output: 'x' },
      at,
    );
    expect(await countGenerations(store)).toBe(3);

    const page1 = await listGenerations(store, { limit: 2 });
    expect(page1.entries.map((e) => e.phase)).toEqual(['yield', 'action']);
    expect(page1.hasMore).toBe(true);
    const page2 = await listGenerations(store, { limit: 2, beforeId: page1.entries[1]!.id });
    expect(page2.hasMore).toBe(false);
    expect(page2.entries).toEqual([
      {
        id: first,
        created_at: '2025-01-02T03:04:05.000Z',
        phase: 'yield',
        outcome: 'generated',
        generated: true,
        via: 'sampling',
        model: 'm1',
        input_tokens: 10,
        output_tokens: 20,
        latency_ms: 30,
        conversation_id: 'c1',
        cycle: 1,
        cited_ids: ['exp_1'],
        dropped_ids: ['exp_9'],
        should_continue: false,
        reason: null,
        output: 'answer [exp_1]',
      },
    ]);

    const yields = await listGenerations(store, { limit: 10, phase: 'yield', generated: false });
    expect(yields.entries.map((e) => [e.outcome, e.reason])).toEqual([['degraded', 'TIMEOUT: slow']]);
    expect((await listGenerations(store, { limit: 10, conversationId: 'c1' })).entries).toHaveLength(1);
  });

  it('refuses an unknown phase at the database', async () => {
    await expect(
      recordGeneration(store, { phase: 'nope' as 'action', outcome: 'generated', output: '' }),
    ).rejects.toThrow(/CHECK constraint/);
  });
});
