import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callTool, connectInMemory, openTestStore, testDeps } from '../src/testing.js';
import { calls, createKitServer, type KitDB } from './kit-server.js';

const migrationsDir = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));

describe('tool dispatch', () => {
  let store: Awaited<ReturnType<typeof openTestStore<KitDB>>>;
  beforeEach(async () => {
    store = await openTestStore<KitDB>('kit', migrationsDir);
  });
  afterEach(async () => {
    await store.close();
  });

  const noteCount = async () =>
    Number((await store.client.execute('SELECT count(*) AS n FROM notes')).rows[0]?.n ?? -1);

  it('lists tools with JSON schemas for input and output', async () => {
    const client = await connectInMemory(createKitServer(testDeps(store)));
    const { tools } = await client.listTools();
    const echo = tools.find((t) => t.name === 'kit_echo');
    expect(echo?.inputSchema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' }, times: { type: 'integer' } },
      required: ['text'],
    });
    expect(echo?.outputSchema).toMatchObject({ type: 'object', properties: { echoed: { type: 'string' } } });
    expect(echo?.annotations).toEqual({ readOnlyHint: true });
  });

  it('returns text and structured content that match the output schema', async () => {
    const client = await connectInMemory(createKitServer(testDeps(store)));
    const result = await callTool(client, 'kit_echo', { text: 'ab', times: 2 });
    expect(result).toMatchObject({ isError: false, text: 'ab', data: { echoed: 'abab' } });
  });

  it('rejects invalid arguments with INVALID_INPUT naming the field, before the handler runs', async () => {
    const client = await connectInMemory(createKitServer(testDeps(store)));
    const before = calls.echo;
    const result = await callTool(client, 'kit_echo', { text: 'x', times: 9 });
    expect(result.isError).toBe(true);
    expect(result.code).toBe('INVALID_INPUT');
    expect(result.text).toMatch(/^INVALID_INPUT: times: /);
    const missing = await callTool(client, 'kit_echo', {});
    expect(missing.text).toMatch(/text: /);
    expect(calls.echo).toBe(before);
  });

  it('rejects oversized strings before any work and writes nothing', async () => {
    const client = await connectInMemory(createKitServer(testDeps(store)));
    const result = await callTool(client, 'kit_note_add', { body: 'x'.repeat(100_001) });
    expect(result.code).toBe('INVALID_INPUT');
    expect(result.text).toContain('body: string of 100001 characters exceeds the limit of 100000');
    expect(await noteCount()).toBe(0);
  });

  it('turns a ToolError into its code and an unexpected exception into INTERNAL, and keeps serving', async () => {
    const client = await connectInMemory(createKitServer(testDeps(store)));
    const conflict = await callTool(client, 'kit_note_add', { body: 'reserved' });
    expect(conflict).toMatchObject({
      isError: true,
      code: 'CONFLICT',
      text: 'CONFLICT: that note is reserved',
    });
    const crash = await callTool(client, 'kit_crash');
    expect(crash).toMatchObject({ isError: true, code: 'INTERNAL' });
    expect(crash.text).not.toContain('undefined is not a function');
    const after = await callTool(client, 'kit_note_add', { body: 'still alive' });
    expect(after).toMatchObject({ isError: false, data: { id: 1 } });
  });

  it('refuses to return data that breaks the output schema', async () => {
    const client = await connectInMemory(createKitServer(testDeps(store)));
    expect(await callTool(client, 'kit_bad_output')).toMatchObject({ isError: true, code: 'INTERNAL' });
  });

  it('answers an unknown tool with a protocol error', async () => {
    const client = await connectInMemory(createKitServer(testDeps(store)));
    await expect(client.callTool({ name: 'kit_nope', arguments: {} })).rejects.toThrow(
      /Unknown tool: kit_nope/,
    );
  });

  it('sends progress notifications when the caller passes a progress token', async () => {
    const client = await connectInMemory(createKitServer(testDeps(store)));
    const seen: string[] = [];
    const result = await callTool(
      client,
      'kit_progress',
      {},
      { onprogress: (p) => seen.push(`${p.progress}/${p.total} ${p.message}`) },
    );
    expect(result.data).toEqual({ steps: 3 });
    expect(seen).toEqual(['1/3 step 1', '2/3 step 2', '3/3 step 3']);
  });
});
