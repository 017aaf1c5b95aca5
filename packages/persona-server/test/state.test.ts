import { callTool } from '@choir/server-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR, type Harness, harness, rowCounts, T0 } from './helpers.js';

let h: Harness;
afterEach(async () => h?.close());

describe('persona_prompt', () => {
  it('defaults to Aria and returns the fields the host codes against', async () => {
    h = await harness();
    const r = await callTool<{ persona_id: string; name: string; prompt: string; available: boolean }>(
      h.client,
      'persona_prompt',
      {},
    );
    expect(r.isError).toBe(false);
    expect(r.data).toMatchObject({ persona_id: 'aria', name: 'Aria', available: true });
    expect(r.data.prompt).toContain('You are Aria. A travelling bard');
    expect(r.data.prompt).toContain('Personality: warm, playful');
    expect(r.data.prompt).toContain('Speaking style: Warm and lyrical');
    expect(r.data.prompt).toContain('You are talking with the user, whom you have not met before.');
    expect(r.text).toBe(r.data.prompt);
  });

  it('accepts a name in any case, reflects state and relationship, and rejects unknown personas', async () => {
    h = await harness();
    for (let i = 0; i < 3; i++) {
      await callTool(h.client, 'persona_record_interaction', {
        persona: 'kira',
        quality: 1,
        duration_seconds: 6000,
      });
    }
    const r = await callTool<{ persona_id: string; prompt: string; available: boolean }>(
      h.client,
      'persona_prompt',
      {
        persona: 'KIRA',
      },
    );
    expect(r.data.persona_id).toBe('kira');
    // three 100-minute interactions: fatigue 4 + 50 each → 100 (capped)
    expect(r.data.available).toBe(false);
    expect(r.data.prompt).toContain('You are worn out right now');
    expect(r.data.prompt).toContain('You have spoken 3 times before and regard them as a friend.');
    expect(await callTool(h.client, 'persona_prompt', { persona: 'zed' })).toMatchObject({
      isError: true,
      code: 'NOT_FOUND',
    });
  });
});

describe('persona_status and persona_record_interaction', () => {
  it('records an interaction with exact state and relationship arithmetic', async () => {
    h = await harness();
    const r = await callTool(h.client, 'persona_record_interaction', {
      persona: 'aria',
      quality: 0.8,
      duration_seconds: 600,
    });
    expect(r.isError).toBe(false);
    expect(r.data).toEqual({
      persona_id: 'aria',
      with: 'user',
      with_kind: 'user',
      status: {
        persona_id: 'aria',
        name: 'Aria',
        social_energy: 94.4, // 100 − (3 + 0.5·10)·0.7
        interaction_fatigue: 9,
        available_time: 230,
        current_priority: 'normal',
        mood: 0.15,
        mood_label: 'content',
        last_interaction: new Date(T0).toISOString(),
        available: true,
        unavailable_reason: null,
        available_in_hours: 0,
        as_of: new Date(T0).toISOString(),
      },
      relationship: {
        persona_id: 'aria',
        with: 'user',
        affinity: 0.12, // 0 + 0.2·(0.6 − 0)
        trust: 0.53, // 0.5 + 0.1·0.6·0.5
        respect: 0.53, // 0.5 + 0.1·(0.8 − 0.5)
        intimacy: 0.032, // 0.02·0.8·(1 + 10/10)
        interaction_count: 1,
        type: 'acquaintance',
        last_interaction: new Date(T0).toISOString(),
      },
      partner_status: null,
    });
  });

  it('computes recovery when read: energy back, fatigue and mood faded', async () => {
    h = await harness();
    await callTool(h.client, 'persona_record_interaction', {
      persona: 'aria',
      quality: 0,
      duration_seconds: 60 * 60,
    });
    const right = await callTool(h.client, 'persona_status', { persona: 'aria' });
    // cost (3 + 30)·1.5 = 49.5; fatigue 4 + 30 = 34; mood 0.25·(−1) = −0.25
    expect(right.data).toMatchObject({
      social_energy: 50.5,
      interaction_fatigue: 34,
      mood: -0.25,
      available_time: 180,
    });
    h.clock.now += 2 * HOUR;
    const later = await callTool(h.client, 'persona_status', { persona: 'aria' });
    expect(later.data).toMatchObject({
      social_energy: 70.5,
      interaction_fatigue: 17,
      mood: -0.198425, // −0.25·0.5^(2/6)
      mood_label: 'subdued',
      available_time: 200,
      as_of: new Date(T0 + 2 * HOUR).toISOString(),
    });
    expect(right.text).toContain('Aria: energy 50.5/100, fatigue 34.0/100');
  });

  it('says when an exhausted persona will be available again', async () => {
    h = await harness();
    await callTool(h.client, 'persona_update', { persona: 'kira', current_priority: 'low' });
    await callTool(h.client, 'persona_record_interaction', {
      persona: 'kira',
      quality: 0,
      duration_seconds: 3600,
    });
    const status = await callTool(h.client, 'persona_status', { persona: 'kira' });
    // energy 50.5 ≥ 40 needed at low priority → available; a second hour drops it to 1
    expect(status.data).toMatchObject({ available: true });
    await callTool(h.client, 'persona_record_interaction', {
      persona: 'kira',
      quality: 0,
      duration_seconds: 3600,
    });
    const tired = await callTool(h.client, 'persona_status', { persona: 'kira' });
    expect(tired.data).toMatchObject({
      social_energy: 1,
      available: false,
      unavailable_reason: 'social energy 1 is below 40 (priority low)',
      available_in_hours: 3.9,
    });
    h.clock.now += 3.9 * HOUR;
    expect((await callTool(h.client, 'persona_status', { persona: 'kira' })).data).toMatchObject({
      available: true,
    });
  });

  it('updates both sides when two personas interact', async () => {
    h = await harness();
    const r = await callTool(h.client, 'persona_record_interaction', {
      persona: 'aria',
      with: 'Kira',
      quality: 1,
    });
    expect(r.data).toMatchObject({
      with: 'kira',
      with_kind: 'persona',
      relationship: { affinity: 0.2, trust: 0.55, interaction_count: 1 },
      partner_status: { persona_id: 'kira', social_energy: 98.5 },
    });
    const back = await callTool(h.client, 'persona_relationship_get', { persona: 'kira', with: 'aria' });
    expect(back.data).toMatchObject({
      exists: true,
      relationship: { persona_id: 'kira', with: 'aria', affinity: 0.2, interaction_count: 1 },
    });
  });

  it('rejects bad input and writes nothing', async () => {
    h = await harness();
    const before = await rowCounts(h.store);
    const cases: [Record<string, unknown>, string][] = [
      [{ persona: 'aria', quality: 1.5 }, 'INVALID_INPUT'],
      [{ persona: 'aria', quality: -0.1 }, 'INVALID_INPUT'],
      [{ persona: 'aria' }, 'INVALID_INPUT'],
      [{ persona: 'aria', quality: 0.5, duration_seconds: -1 }, 'INVALID_INPUT'],
      [{ persona: 'aria', with: 'Aria', quality: 0.5 }, 'INVALID_INPUT'],
      [{ persona: 'aria', with: '<script>', quality: 0.5 }, 'INVALID_INPUT'],
      [{ persona: 'nobody', quality: 0.5 }, 'NOT_FOUND'],
    ];
    for (const [args, code] of cases) {
      const r = await callTool(h.client, 'persona_record_interaction', args);
      expect(r, JSON.stringify(args)).toMatchObject({ isError: true, code });
    }
    expect(await rowCounts(h.store)).toEqual(before);
    const status = await callTool(h.client, 'persona_status', { persona: 'aria' });
    expect(status.data).toMatchObject({ social_energy: 100, last_interaction: null });
  });
});

describe('relationships', () => {
  it('reads a stranger before any interaction and becomes a friend after two perfect ones', async () => {
    h = await harness();
    const before = await callTool(h.client, 'persona_relationship_get', { persona: 'aria' });
    expect(before.data).toEqual({
      exists: false,
      relationship: {
        persona_id: 'aria',
        with: 'user',
        affinity: 0,
        trust: 0.5,
        respect: 0.5,
        intimacy: 0,
        interaction_count: 0,
        type: 'stranger',
        last_interaction: null,
      },
    });
    await callTool(h.client, 'persona_record_interaction', { persona: 'aria', quality: 1 });
    await callTool(h.client, 'persona_record_interaction', { persona: 'aria', quality: 1 });
    const after = await callTool(h.client, 'persona_relationship_get', { persona: 'aria', with: 'USER' });
    expect(after.data).toMatchObject({
      exists: true,
      relationship: {
        affinity: 0.36,
        trust: 0.595,
        respect: 0.595,
        intimacy: 0.0396,
        interaction_count: 2,
        type: 'friend',
      },
    });
  });

  it('lists relationships a page at a time', async () => {
    h = await harness();
    for (const other of ['user', 'kira', 'bob', 'alice@example.com']) {
      await callTool(h.client, 'persona_record_interaction', { persona: 'aria', with: other, quality: 0.7 });
    }
    const first = await callTool<{ relationships: { with: string }[]; next_cursor: string }>(
      h.client,
      'persona_relationship_list',
      { persona: 'aria', limit: 3 },
    );
    expect(first.data.relationships.map((r) => r.with)).toEqual(['alice@example.com', 'bob', 'kira']);
    const rest = await callTool<{ relationships: { with: string }[]; next_cursor: string | null }>(
      h.client,
      'persona_relationship_list',
      { persona: 'aria', limit: 3, cursor: first.data.next_cursor },
    );
    expect(rest.data.relationships.map((r) => r.with)).toEqual(['user']);
    expect(rest.data.next_cursor).toBeNull();
  });
});
