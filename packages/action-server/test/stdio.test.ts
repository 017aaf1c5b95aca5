/** The built bin over real stdio: start-up, migrations from dist, tools, sampling, clean stdout. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { callTool, samplingText, spawnServer, tempDataDir } from '@choir/server-kit/testing';
import { describe, expect, it } from 'vitest';
import { PRIORS } from './setup.js';

const bin = resolve(import.meta.dirname, '..', 'dist', 'index.js');

describe('choir-action-server over stdio', () => {
  it('serves the tools from the built bin and keeps stdout for the protocol', async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run pnpm build first`);
    const dataDir = tempDataDir('choir-action-stdio-');
    const spawned = await spawnServer(
      bin,
      { CHOIR_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      { sampling: () => samplingText('Finished in 1889 [exp_1], not 1900 [exp_999].\nCONTINUE: no') },
    );
    const transportErrors: Error[] = [];
    spawned.client.onerror = (error) => transportErrors.push(error);
    try {
      const { tools } = await spawned.client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        'action_followup',
        'action_log',
        'action_respond',
        'action_yield',
      ]);

      const r = await callTool(spawned.client, 'action_yield', {
        message: 'When was it built?',
        priors: PRIORS,
        cycle: 1,
        max_cycles: 1,
      });
      expect(r.data).toMatchObject({
        answer: 'Finished in 1889 [exp_1], not 1900.',
        citations: [{ prior_id: 'exp_1', quote: 'Finished in 1889' }],
        dropped_citations: ['exp_999'],
        generated: true,
        via: 'sampling',
      });
      const log = await callTool(spawned.client, 'action_log', {});
      expect(log.data.entries).toMatchObject([
        { phase: 'yield', outcome: 'generated', dropped_ids: ['exp_999'] },
      ]);
    } finally {
      await spawned.close();
    }
    expect(transportErrors).toEqual([]);
    expect(existsSync(join(dataDir, 'action.db'))).toBe(true);
    // pino writes JSON lines to stderr; "ready" proves logging went there, not to stdout.
    expect(spawned.stderr()).toContain('"msg":"ready"');
  });
});
