import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { callTool, spawnServer, tempDataDir } from '@choir/server-kit/testing';
import { describe, expect, it } from 'vitest';
import { PACKAGE_DIR } from './helpers.js';

const BIN = resolve(PACKAGE_DIR, 'dist', 'index.js');

describe('the built bin over stdio', () => {
  it('serves tools, resources and prompts; two processes share one database; a restart keeps it', async () => {
    expect(existsSync(BIN), 'run pnpm build first').toBe(true);
    const dataDir = tempDataDir('choir-persona-stdio-');
    const env = { CHOIR_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    const [one, two] = await Promise.all([spawnServer(BIN, env), spawnServer(BIN, env)]);
    try {
      const { tools } = await one.client.listTools();
      expect(tools).toHaveLength(17);
      const prompt = await callTool(one.client, 'persona_prompt', {});
      expect(prompt.data).toMatchObject({ persona_id: 'aria', name: 'Aria', available: true });
      const remembered = await callTool<{ memory_id: string }>(one.client, 'persona_remember', {
        persona: 'kira',
        content: 'The catalogue of maps lives in drawer seven.',
      });
      expect(remembered.isError, remembered.text).toBe(false);
      // The second process sees the first one's write.
      const recalled = await callTool<{ memories: { id: string }[] }>(two.client, 'persona_recall', {
        persona: 'kira',
        query: 'maps drawer',
      });
      expect(recalled.data.memories.map((m) => m.id)).toEqual([remembered.data.memory_id]);
      const chat = await callTool(two.client, 'persona_chat', {
        persona: 'kira',
        message: 'Where are the maps?',
      });
      expect(chat.data).toMatchObject({ generated: false, turn_number: 2 });
      const resource = await one.client.readResource({ uri: 'persona://personas/kira' });
      expect(JSON.parse((resource.contents[0] as { text: string }).text)).toMatchObject({ memory_count: 1 });
      expect((await one.client.listPrompts()).prompts.map((p) => p.name)).toEqual([
        'persona_aria',
        'persona_kira',
      ]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
    expect(one.stderr()).toContain('"msg":"ready"');

    const again = await spawnServer(BIN, env);
    try {
      const chat = await callTool(again.client, 'persona_chat', { persona: 'kira', message: 'And now?' });
      expect(chat.data).toMatchObject({ turn_number: 4, new_session: false });
    } finally {
      await again.close();
    }
  });
});
