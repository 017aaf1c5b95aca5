import { callTool } from '@choir/server-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR, type Harness, harness, scriptedModel, textOf } from './helpers.js';

let h: Harness;
afterEach(async () => h?.close());

describe('restart', () => {
  it('keeps personas, state, relationships, memories and sessions', async () => {
    const before = scriptedModel(['Welcome, friend. What shall we sing?']);
    h = await harness({ sampling: before.handler });
    await callTool(h.client, 'persona_create', {
      name: 'Orin',
      description: 'A lighthouse keeper.',
      traits: ['quiet'],
      backstory: 'Kept the light at Vell for forty years.',
      speaking_style: 'Few words.',
      fallback_responses: ['The light is out for now.'],
    });
    await callTool(h.client, 'persona_record_interaction', {
      persona: 'aria',
      quality: 1,
      duration_seconds: 1200,
    });
    const memory = await callTool<{ memory_id: string }>(h.client, 'persona_remember', {
      persona: 'aria',
      content: 'The user plays the fiddle badly but with joy.',
      importance: 0.7,
    });
    const first = await callTool<{ session_id: string }>(h.client, 'persona_chat', { message: 'Hi Aria' });
    const { dataDir } = h;
    await h.close();

    const after = scriptedModel(['Of course I remember you.']);
    h = await harness({ dataDir, sampling: after.handler, now: h.clock.now + HOUR / 2 });
    const { prompts } = await h.client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain('persona_orin');
    expect((await callTool(h.client, 'persona_get', { persona: 'orin' })).data).toMatchObject({
      persona: { id: 'orin', backstory: 'Kept the light at Vell for forty years.' },
    });
    // 100 − (3 + 10)·0.5 = 93.5, then the chat's neutral exchange −3 = 90.5, then half an hour: +5
    expect((await callTool(h.client, 'persona_status', { persona: 'aria' })).data).toMatchObject({
      social_energy: 95.5,
    });
    expect((await callTool(h.client, 'persona_relationship_get', { persona: 'aria' })).data).toMatchObject({
      relationship: { interaction_count: 1, affinity: 0.2 },
    });
    const recalled = await callTool<{ memories: { id: string }[] }>(h.client, 'persona_recall', {
      persona: 'aria',
      query: 'fiddle',
    });
    expect(recalled.data.memories.map((m) => m.id)).toEqual([memory.data.memory_id]);
    const resumed = await callTool<{ session_id: string; turn_number: number; new_session: boolean }>(
      h.client,
      'persona_chat',
      { message: 'Remember me?' },
    );
    expect(resumed.data).toMatchObject({
      session_id: first.data.session_id,
      turn_number: 4,
      new_session: false,
    });
    expect(after.requests[0]!.messages.map((m) => textOf(m))).toEqual([
      'Hi Aria',
      'Welcome, friend. What shall we sing?',
      'Remember me?',
    ]);
  });
});
