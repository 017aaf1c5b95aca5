import {
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { assistant, type Harness, harness, user } from './setup.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const text = (r: { contents: unknown[] }) => JSON.parse((r.contents[0] as { text: string }).text);

describe('resources', () => {
  it('lists and reads history://conversations and history://conversations/{id}', async () => {
    h = await harness();
    await h.call('history_append', { conversation_id: 'c1', events: [user('hello'), assistant('hi')] });
    await h.call('history_update_conversation', { conversation_id: 'c1', title: 'Greeting' });
    const { resources } = await h.client.listResources();
    expect(resources.map((r) => [r.uri, r.name])).toEqual([
      ['history://conversations', 'conversations'],
      ['history://conversations/c1', 'Greeting'],
    ]);
    const { resourceTemplates } = await h.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual([
      'history://conversations/{conversation_id}',
    ]);

    const list = text(await h.client.readResource({ uri: 'history://conversations' }));
    expect(list).toMatchObject({
      conversations: [{ conversation_id: 'c1', title: 'Greeting', event_count: 2 }],
      has_more: false,
    });
    const one = text(await h.client.readResource({ uri: 'history://conversations/c1' }));
    expect(one.conversation).toMatchObject({ conversation_id: 'c1', event_count: 2 });
    expect(one.events.map((e: { seq: number; content: string }) => [e.seq, e.content])).toEqual([
      [1, 'hello'],
      [2, 'hi'],
    ]);
    expect(one.has_earlier_events).toBe(false);
    await expect(h.client.readResource({ uri: 'history://conversations/missing' })).rejects.toThrow(
      /not found/,
    );
  });

  it('notifies subscribers when a conversation changes, and stops after unsubscribe', async () => {
    h = await harness();
    expect(h.client.getServerCapabilities()?.resources).toMatchObject({ subscribe: true, listChanged: true });
    const updated: string[] = [];
    let listChanges = 0;
    h.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updated.push(n.params.uri);
    });
    h.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      listChanges++;
    });
    // Subscribing before the conversation exists is allowed: its first append notifies.
    await h.client.subscribeResource({ uri: 'history://conversations/c1' });
    await h.client.subscribeResource({ uri: 'history://conversations' });
    await h.call('history_append', { conversation_id: 'c1', events: [user('one')] });
    await h.call('history_append', { conversation_id: 'other', events: [user('x')] });
    expect(updated).toEqual([
      'history://conversations/c1',
      'history://conversations',
      'history://conversations',
    ]);
    expect(listChanges).toBe(2);

    updated.length = 0;
    await h.call('history_append', { conversation_id: 'c1', request_id: 'r', events: [user('two')] });
    await h.call('history_append', { conversation_id: 'c1', request_id: 'r', events: [user('two')] }); // duplicate: no change
    expect(updated).toEqual(['history://conversations/c1', 'history://conversations']);

    updated.length = 0;
    await h.client.unsubscribeResource({ uri: 'history://conversations/c1' });
    await h.call('history_append', { conversation_id: 'c1', events: [user('three')] });
    expect(updated).toEqual(['history://conversations']);
  });

  it('refuses subscriptions to URIs that are not its own', async () => {
    h = await harness();
    await expect(h.client.subscribeResource({ uri: 'file:///etc/passwd' })).rejects.toThrow(
      /not a chat-history resource/,
    );
    await expect(h.client.subscribeResource({ uri: 'history://conversations/bad id' })).rejects.toThrow();
  });
});
