import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LanguageModel } from '@choir/llm';
import { openStore } from '@choir/storage';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { checkDatabase, checkModel, checkNode } from '../../src/doctor/checks.js';

function configIn(dataDir: string) {
  return loadConfig({ dataDir }, {}, tmpdir());
}

const fakeModel = (answer: () => Promise<string>): LanguageModel => ({
  provider: 'openai-compatible',
  model: 'fake',
  generateText: async () => ({ text: await answer(), model: 'fake-1' }),
  streamText: () => {
    throw new Error('not used');
  },
});

describe('doctor checks', () => {
  it('wants Node 20 or newer', () => {
    expect(checkNode('20.11.0').level).toBe('ok');
    expect(checkNode('18.19.0')).toEqual({
      name: 'node',
      level: 'fail',
      detail: 'v18.19.0; Choir needs Node 20 or newer',
    });
  });

  it('says whether the model answers', async () => {
    const ok = await checkModel({
      model: fakeModel(async () => 'OK'),
      description: 'openai-compatible:fake (from CHOIR_MODEL)',
    });
    expect(ok.level).toBe('ok');
    expect(ok.detail).toMatch(/^openai-compatible:fake \(from CHOIR_MODEL\); answered in \d+ ms \(fake-1\)$/);
    const down = await checkModel({
      model: fakeModel(async () => {
        throw new Error('cannot reach openai-compatible (ECONNREFUSED)');
      }),
      description: 'openai-compatible:fake',
    });
    expect(down).toMatchObject({
      level: 'fail',
      detail: 'openai-compatible:fake; does not answer: cannot reach openai-compatible (ECONNREFUSED)',
    });
    expect((await checkModel({ model: null, description: 'none: no model configured' })).level).toBe('warn');
    expect((await checkModel({ model: null, description: 'invalid: x', error: 'x' })).level).toBe('fail');
  });

  it('reports a database not created yet, one with pending migrations, and a broken one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'choir-doctor-'));
    const config = configIn(dataDir);
    expect(await checkDatabase('persona', config, {})).toMatchObject({
      level: 'ok',
      detail: expect.stringContaining('not created yet'),
    });

    // Only the storage package's own migrations applied: the server's are pending.
    const store = await openStore({ server: 'chat-history', env: { CHOIR_DATA_DIR: dataDir } });
    await store.close();
    const pending = await checkDatabase('chat-history', config, {});
    expect(pending.level).toBe('warn');
    expect(pending.detail).toMatch(/integrity ok; \d+ migrations applied, \d+ pending \(chat-history\/0001_/);

    writeFileSync(
      join(dataDir, 'reasoning.db'),
      'this is not a database, just some text that is long enough'.repeat(100),
    );
    expect((await checkDatabase('reasoning', config, {})).level).toBe('fail');
  });
});
