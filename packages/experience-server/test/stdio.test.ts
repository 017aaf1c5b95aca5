import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { callTool, spawnServer, tempDataDir } from '@choir/server-kit/testing';
import { describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'index.js');

describe('the built bin over real stdio', () => {
  it('serves the tools, and a restart keeps everything', async () => {
    expect(existsSync(bin), `${bin} is missing: run pnpm build first`).toBe(true);
    const dataDir = tempDataDir('choir-exp-stdio-');
    const env = { CHOIR_DATA_DIR: dataDir, LOG_LEVEL: 'info' };

    const first = await spawnServer(bin, env);
    try {
      const { tools } = await first.client.listTools();
      expect(tools).toHaveLength(10);
      const a = await callTool(first.client, 'experience_record', {
        content: 'The Rhine flows through six countries.',
        role: 'user',
        thread_id: 'geo',
        author: 'ana',
      });
      expect(a.data).toMatchObject({ id: 'exp_1', duplicate: false, novelty_reward: 100 });
      const b = await callTool(first.client, 'experience_record', {
        content: 'The Danube flows through ten countries, more than any other river.',
        role: 'assistant',
        thread_id: 'geo',
      });
      expect(b.data).toMatchObject({ id: 'exp_2' });
      await callTool(first.client, 'experience_observe', { experience_id: 'exp_2', prior_ids: ['exp_1'] });
      await callTool(first.client, 'experience_cite', { citing_id: 'exp_2', cited_ids: ['exp_1'] });
    } finally {
      await first.close();
    }
    // Logs went to stderr; stdout carried only protocol messages, or the client would have failed.
    expect(first.stderr()).toContain('ready');

    const second = await spawnServer(bin, env);
    try {
      const search = await callTool<{ priors: { id: string; thread_id: string }[] }>(
        second.client,
        'experience_search',
        {
          query: 'which river flows through the most countries',
        },
      );
      expect(search.isError).toBe(false);
      expect(search.data.priors.map((p) => p.id).sort()).toEqual(['exp_1', 'exp_2']);
      const links = await callTool<{ edges: { type: string }[] }>(second.client, 'experience_links', {
        id: 'exp_1',
      });
      expect(links.data.edges.map((e) => e.type).sort()).toEqual(['cites', 'relates']);
      const rewards = await callTool<{
        totals: { total: number; by_author: { author: string | null; total: number }[] };
      }>(second.client, 'experience_rewards', {});
      expect(rewards.data.totals.by_author.find((x) => x.author === 'ana')?.total).toBe(100.5);
      const again = await callTool(second.client, 'experience_record', {
        content: 'The Rhine flows through six countries.',
        role: 'user',
        thread_id: 'geo',
      });
      expect(again.data).toMatchObject({ id: 'exp_1', duplicate: true });
    } finally {
      await second.close();
    }
  });
});
