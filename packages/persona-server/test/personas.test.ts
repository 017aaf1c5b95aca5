import { callTool } from '@choir/server-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, rowCounts } from './helpers.js';

let h: Harness;
afterEach(async () => h?.close());

const newPersona = {
  name: 'Captain Nemo',
  description: 'A reclusive submarine captain.',
  traits: ['brooding', 'brilliant'],
  backstory: 'Built the Nautilus and sailed away from the world.',
  speaking_style: 'Grave and formal.',
  fallback_responses: ['The sea keeps my answer for now.'],
};

describe('tool catalogue', () => {
  it('lists every persona tool with a valid name, an output schema and truthful annotations', async () => {
    h = await harness();
    const { tools } = await h.client.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual([
      'persona_chat',
      'persona_converse',
      'persona_create',
      'persona_delete',
      'persona_forget',
      'persona_get',
      'persona_list',
      'persona_memory_upkeep',
      'persona_prompt',
      'persona_recall',
      'persona_record_interaction',
      'persona_relationship_get',
      'persona_relationship_list',
      'persona_remember',
      'persona_session_get',
      'persona_status',
      'persona_update',
    ]);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
      expect(tool.outputSchema).toBeDefined();
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    const readOnly = tools
      .filter((t) => t.annotations?.readOnlyHint)
      .map((t) => t.name)
      .sort();
    expect(readOnly).toEqual([
      'persona_get',
      'persona_list',
      'persona_prompt',
      'persona_relationship_get',
      'persona_relationship_list',
      'persona_session_get',
      'persona_status',
    ]);
    expect(byName.get('persona_delete')?.annotations?.destructiveHint).toBe(true);
    expect(byName.get('persona_forget')?.annotations?.destructiveHint).toBe(true);
    expect(byName.get('persona_chat')?.annotations?.destructiveHint).toBe(false);
  });
});

describe('persona_list and persona_get', () => {
  it('lists the built-ins and pages with a cursor', async () => {
    h = await harness();
    const all = await callTool(h.client, 'persona_list', {});
    expect(all.data).toMatchObject({
      personas: [
        { id: 'aria', name: 'Aria', built_in: true, available: true },
        { id: 'kira', name: 'Kira', built_in: true, available: true },
      ],
      next_cursor: null,
    });
    const first = await callTool<{ personas: { id: string }[]; next_cursor: string }>(
      h.client,
      'persona_list',
      { limit: 1 },
    );
    expect(first.data.personas.map((p) => p.id)).toEqual(['aria']);
    const second = await callTool<{ personas: { id: string }[]; next_cursor: string | null }>(
      h.client,
      'persona_list',
      {
        limit: 1,
        cursor: first.data.next_cursor,
      },
    );
    expect(second.data.personas.map((p) => p.id)).toEqual(['kira']);
    expect(second.data.next_cursor).toBeNull();
    const bad = await callTool(h.client, 'persona_list', { cursor: 'garbage' });
    expect(bad).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
  });

  it('gets a persona by id or by name in any case, and says NOT_FOUND otherwise', async () => {
    h = await harness();
    const kira = await callTool(h.client, 'persona_get', { persona: 'KIRA' });
    expect(kira.isError).toBe(false);
    expect(kira.data).toMatchObject({
      persona: { id: 'kira', name: 'Kira', built_in: true },
      status: { persona_id: 'kira', social_energy: 100, interaction_fatigue: 0, available: true },
      memory_count: 0,
    });
    expect((kira.data as { persona: { traits: string[] } }).persona.traits).toContain('precise');
    const missing = await callTool(h.client, 'persona_get', { persona: 'nobody' });
    expect(missing).toMatchObject({ isError: true, code: 'NOT_FOUND' });
    expect(missing.text).toContain('no persona with id or name "nobody"');
  });
});

describe('persona_create, persona_update, persona_delete', () => {
  it('creates a persona with an id from its name, with a prompt in the menu', async () => {
    h = await harness();
    const created = await callTool(h.client, 'persona_create', newPersona);
    expect(created.isError).toBe(false);
    expect(created.data).toMatchObject({
      persona: {
        id: 'captain_nemo',
        name: 'Captain Nemo',
        built_in: false,
        traits: ['brooding', 'brilliant'],
      },
      status: { social_energy: 100, current_priority: 'normal', available: true },
    });
    const { prompts } = await h.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual([
      'persona_aria',
      'persona_captain_nemo',
      'persona_kira',
    ]);
    const got = await callTool(h.client, 'persona_get', { persona: 'captain nemo' });
    expect(got.data).toMatchObject({ persona: { id: 'captain_nemo' } });
  });

  it('refuses duplicate names (any case), reserved ids and bad fields, writing nothing', async () => {
    h = await harness();
    const before = await rowCounts(h.store);
    const dupName = await callTool(h.client, 'persona_create', { ...newPersona, name: 'aria' });
    expect(dupName).toMatchObject({ isError: true, code: 'CONFLICT' });
    const dupId = await callTool(h.client, 'persona_create', { ...newPersona, id: 'kira' });
    expect(dupId).toMatchObject({ isError: true, code: 'CONFLICT' });
    const reserved = await callTool(h.client, 'persona_create', { ...newPersona, id: 'user' });
    expect(reserved).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
    const noTraits = await callTool(h.client, 'persona_create', { ...newPersona, traits: [] });
    expect(noTraits).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
    expect(noTraits.text).toContain('traits');
    const badId = await callTool(h.client, 'persona_create', { ...newPersona, id: 'Has Spaces' });
    expect(badId).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
    expect(await rowCounts(h.store)).toEqual(before);
  });

  it('updates fields and priority, and rejects empty or conflicting updates without writing', async () => {
    h = await harness();
    const updated = await callTool(h.client, 'persona_update', {
      persona: 'aria',
      speaking_style: 'Only in rhyme.',
      current_priority: 'low',
    });
    expect(updated.data).toMatchObject({
      persona: { id: 'aria', speaking_style: 'Only in rhyme.', built_in: true },
      status: { current_priority: 'low' },
      changed: ['speaking_style', 'current_priority'],
    });
    const before = await rowCounts(h.store);
    const nothing = await callTool(h.client, 'persona_update', { persona: 'aria' });
    expect(nothing).toMatchObject({ isError: true, code: 'INVALID_INPUT' });
    const clash = await callTool(h.client, 'persona_update', { persona: 'aria', name: 'KIRA' });
    expect(clash).toMatchObject({ isError: true, code: 'CONFLICT' });
    const missing = await callTool(h.client, 'persona_update', { persona: 'ghost', name: 'Ghost' });
    expect(missing).toMatchObject({ isError: true, code: 'NOT_FOUND' });
    expect(await rowCounts(h.store)).toEqual(before);
    const aria = await callTool(h.client, 'persona_get', { persona: 'aria' });
    expect(aria.data).toMatchObject({ persona: { name: 'Aria', speaking_style: 'Only in rhyme.' } });
  });

  it('never deletes a built-in, and deletes a created persona with everything about it', async () => {
    h = await harness();
    const before = await rowCounts(h.store);
    const builtIn = await callTool(h.client, 'persona_delete', { persona: 'Aria' });
    expect(builtIn).toMatchObject({ isError: true, code: 'CONFLICT' });
    expect(await rowCounts(h.store)).toEqual(before);

    await callTool(h.client, 'persona_create', newPersona);
    await callTool(h.client, 'persona_remember', {
      persona: 'captain_nemo',
      content: 'The Nautilus runs on sodium.',
    });
    await callTool(h.client, 'persona_record_interaction', {
      persona: 'captain_nemo',
      with: 'kira',
      quality: 0.9,
    });
    await callTool(h.client, 'persona_chat', { persona: 'captain_nemo', message: 'Where are we?' });
    expect(await rowCounts(h.store)).toMatchObject({
      memories: 1,
      relationships: 2,
      sessions: 1,
      turns: 2,
      memory_vectors: 1,
    });

    const deleted = await callTool(h.client, 'persona_delete', { persona: 'captain_nemo' });
    expect(deleted.data).toEqual({
      persona_id: 'captain_nemo',
      deleted: true,
      memories_deleted: 1,
      sessions_deleted: 1,
      relationships_deleted: 2,
    });
    expect(await rowCounts(h.store)).toEqual({ ...before, memory_vectors: 0 });
    const { prompts } = await h.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['persona_aria', 'persona_kira']);
    const recall = await callTool(h.client, 'persona_recall', {
      persona: 'kira',
      query: 'Nautilus sodium',
      include_others: true,
    });
    expect(recall.data).toMatchObject({ memories: [] });
  });
});

describe('prompts and resources', () => {
  it('offers one prompt per persona whose text carries the persona and its state', async () => {
    h = await harness();
    const { prompts } = await h.client.listPrompts();
    expect(prompts.find((p) => p.name === 'persona_kira')).toMatchObject({ title: 'Speak as Kira' });
    const got = await h.client.getPrompt({ name: 'persona_kira' });
    const text = (got.messages[0]!.content as { text: string }).text;
    expect(text).toContain('You are Kira.');
    expect(text).toContain('Current state: social energy 100/100');
    expect(text).toContain('answer me as Kira');
  });

  it('serves persona://personas and persona://personas/{id}', async () => {
    h = await harness();
    const list = await h.client.readResource({ uri: 'persona://personas' });
    const body = JSON.parse((list.contents[0] as { text: string }).text);
    expect(body).toMatchObject({ total: 2, truncated: false });
    expect(body.personas.map((p: { uri: string }) => p.uri)).toEqual([
      'persona://personas/aria',
      'persona://personas/kira',
    ]);
    const one = await h.client.readResource({ uri: 'persona://personas/aria' });
    const aria = JSON.parse((one.contents[0] as { text: string }).text);
    expect(aria).toMatchObject({
      persona: { id: 'aria', name: 'Aria' },
      status: { available: true },
      memory_count: 0,
    });
    const { resources } = await h.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual([
      'persona://personas',
      'persona://personas/aria',
      'persona://personas/kira',
    ]);
    await expect(h.client.readResource({ uri: 'persona://personas/nobody' })).rejects.toThrow(
      /no persona nobody/,
    );
  });
});
