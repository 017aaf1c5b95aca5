/**
 * Two server processes on one data dir (two client windows on one machine), doing mixed reads
 * and writes at the same time: no error surfaces, and nothing is lost or doubled.
 */
import { callTool } from '@choir/server-kit/testing';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { corpus } from '../src/corpus.js';
import { inspectDb } from '../src/db-inspect.js';
import {
  type ChoirServerName,
  type Connected,
  choirBuilt,
  choirDbFile,
  connectChoir,
  removeDir,
  tempDir,
} from '../src/servers.js';

const ROUNDS = Number(process.env.TWO_PROCESS_ROUNDS ?? 60);

/** Calls a tool; a failure of any kind is collected as an error string, never thrown. */
async function attempt(
  errors: string[],
  who: string,
  client: Client,
  tool: string,
  args: Record<string, unknown>,
) {
  try {
    const outcome = await callTool(client, tool, args);
    if (outcome.isError) errors.push(`${who} ${tool}: ${outcome.text.split('\n')[0]}`);
    return outcome.data;
  } catch (error) {
    errors.push(`${who} ${tool} threw: ${(error as Error).message}`);
    return {};
  }
}

async function withTwo(
  server: ChoirServerName,
  env: Record<string, string>,
  body: (a: Connected, b: Connected, dir: string) => Promise<void>,
) {
  const dir = tempDir(`two-${server}`);
  // Start the first alone: it creates and migrates the file, as the first window would.
  const a = await connectChoir(server, dir, env);
  const b = await connectChoir(server, dir, env);
  try {
    await body(a, b, dir);
  } finally {
    await Promise.all([a.close(), b.close()]);
    const inspector = inspectDb(choirDbFile(server, dir));
    const integrity = await inspector.integrityCheck();
    inspector.close();
    removeDir(dir);
    expect(integrity).toEqual(['ok']);
  }
}

describe('two processes on one database file', () => {
  it.skipIf(!choirBuilt('chat-history'))(
    'chat-history: interleaved appends and reads, seqs without gaps',
    async () => {
      await withTwo('chat-history', { CHAT_HISTORY_RETENTION: 'unlimited' }, async (a, b) => {
        const errors: string[] = [];
        const work = async (who: string, client: Client) => {
          for (let i = 0; i < ROUNDS; i++) {
            await attempt(errors, who, client, 'history_append', {
              conversation_id: 'shared',
              request_id: `${who}-${i}`,
              events: [{ type: 'user_message', role: 'user', content: `${who} says ${i}` }],
            });
            await attempt(errors, who, client, 'history_append', {
              conversation_id: `own-${who}`,
              events: [
                { type: 'user_message', role: 'user', content: `question ${i}` },
                { type: 'assistant_message', role: 'assistant', content: `answer ${i}` },
              ],
            });
            await attempt(errors, who, client, 'history_get', { conversation_id: 'shared', limit: 20 });
            await attempt(errors, who, client, 'history_context', {
              conversation_id: `own-${who}`,
              max_tokens: 1000,
              reserve_tokens: 200,
            });
            if (i % 10 === 0) await attempt(errors, who, client, 'history_list_conversations', {});
          }
        };
        await Promise.all([work('a', a.client), work('b', b.client)]);
        expect(errors).toEqual([]);

        const events: { seq: number; content: string }[] = [];
        let after = 0;
        for (;;) {
          const page = (await attempt(errors, 'check', a.client, 'history_get', {
            conversation_id: 'shared',
            after_seq: after,
            limit: 200,
          })) as { events?: { seq: number; content: string }[]; next_after_seq?: number | null };
          events.push(...(page.events ?? []));
          if (page.next_after_seq === null || page.next_after_seq === undefined) break;
          after = page.next_after_seq;
        }
        expect(errors).toEqual([]);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 2 * ROUNDS }, (_, i) => i + 1));
        expect(new Set(events.map((e) => e.content)).size).toBe(2 * ROUNDS);
      });
    },
  );

  it.skipIf(!choirBuilt('experience'))('experience: records and searches from both', async () => {
    await withTwo('experience', {}, async (a, b) => {
      const errors: string[] = [];
      const texts = corpus(11, ROUNDS * 2);
      const ids = new Set<string>();
      const work = async (who: string, client: Client, offset: number) => {
        for (let i = 0; i < ROUNDS; i++) {
          const data = await attempt(errors, who, client, 'experience_record', {
            content: texts[offset + i],
            role: 'user',
            thread_id: `thread-${who}`,
          });
          if (typeof data.id === 'string') ids.add(data.id);
          await attempt(errors, who, client, 'experience_search', { query: texts[offset + i], top_k: 5 });
        }
      };
      await Promise.all([work('a', a.client, 0), work('b', b.client, ROUNDS)]);
      expect(errors).toEqual([]);
      const stats = await attempt(errors, 'check', b.client, 'experience_stats', {});
      expect(errors).toEqual([]);
      expect(stats.experiences).toBe(ids.size);
    });
  });

  it.skipIf(!choirBuilt('reasoning'))('reasoning: two sessions of linear thoughts, and reads', async () => {
    await withTwo('reasoning', {}, async (a, b) => {
      const errors: string[] = [];
      const work = async (who: string, client: Client) => {
        let sessionId: string | undefined;
        for (let i = 0; i < ROUNDS; i++) {
          const data = await attempt(errors, who, client, 'reasoning_linear', {
            content: `${who} thought ${i}`,
            ...(sessionId ? { session_id: sessionId } : {}),
          });
          if (typeof data.session_id === 'string') sessionId = data.session_id;
          if (i % 5 === 0) await attempt(errors, who, client, 'reasoning_session_list', {});
        }
        return sessionId;
      };
      const [sa, sb] = await Promise.all([work('a', a.client), work('b', b.client)]);
      expect(errors).toEqual([]);
      expect(sa).toBeDefined();
      expect(sb).toBeDefined();
      expect(sa).not.toBe(sb);
    });
  });
});
