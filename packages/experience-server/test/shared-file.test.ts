/**
 * Two server processes on one database file, as with two client windows. They must be real
 * processes: libSQL waits for a lock synchronously, so two stores in one Node process would
 * block each other's event loop.
 */
import { join } from 'node:path';
import { callTool, type SpawnedServer, spawnServer, tempDataDir } from '@choir/server-kit/testing';
import { afterEach, describe, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '..', 'dist', 'index.js');
const servers: SpawnedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('two server processes on one database file', () => {
  it('record concurrently without losing or duplicating anything', async () => {
    const env = { CHOIR_DATA_DIR: tempDataDir('choir-exp-shared-') };
    const [a, b] = await Promise.all([spawnServer(bin, env), spawnServer(bin, env)]);
    servers.push(a!, b!);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        callTool<{ id: string }>((i % 2 ? a! : b!).client, 'experience_record', {
          content: `concurrent note ${i} about subject ${i * 13}`,
          role: 'user',
          thread_id: `w${i % 2}`,
        }),
      ),
    );
    expect(results.filter((r) => r.isError).map((r) => r.text)).toEqual([]);
    expect(new Set(results.map((r) => r.data.id)).size).toBe(20);
    // Each sees the other's writes.
    for (const server of [a!, b!]) {
      const stats = await callTool<{ experiences: number }>(server.client, 'experience_stats');
      expect(stats.data.experiences).toBe(20);
      const found = await callTool<{ priors: unknown[] }>(server.client, 'experience_search', {
        query: 'concurrent note',
        thread_id: 'w0',
        top_k: 20,
        mode: 'keyword',
      });
      expect(found.data.priors).toHaveLength(10);
    }
  });
});
