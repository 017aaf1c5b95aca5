/**
 * Kill storm: a client appends chat-history events while the server is kill -9'd and restarted
 * 30 times. Every append that was acknowledged must be present exactly once at the end (an
 * append in flight at the kill is retried with the same request_id after the restart), seqs
 * have no gaps, and PRAGMA integrity_check on the file is ok.
 */
import { callTool } from '@choir/server-kit/testing';
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/corpus.js';
import { inspectDb } from '../src/db-inspect.js';
import { type Connected, choirBuilt, choirDbFile, connectChoir, removeDir, tempDir } from '../src/servers.js';

const KILLS = Number(process.env.KILL_STORM_KILLS ?? 30);
const SEED = Number(process.env.KILL_STORM_SEED ?? 9);
const CONVERSATION = 'storm';
/** Unlimited retention: with a token limit, old events are pruned by design and could not be counted. */
const ENV = { CHAT_HISTORY_RETENTION: 'unlimited' };

interface Append {
  requestId: string;
  contents: string[];
}

interface Acked {
  seqs: number[];
  /** Events sent in the append. */
  size: number;
  /** How the ack came: first try, or a retry after a restart (duplicate says the first had landed). */
  via: 'first' | 'retry-new' | 'retry-duplicate';
}

function appendArgs(append: Append) {
  return {
    conversation_id: CONVERSATION,
    request_id: append.requestId,
    events: append.contents.map((content) => ({ type: 'user_message', role: 'user', content })),
  };
}

async function appendOnce(server: Connected, append: Append) {
  const outcome = await callTool<{ seqs: number[]; duplicate: boolean }>(
    server.client,
    'history_append',
    appendArgs(append),
  );
  if (outcome.isError) throw new Error(`history_append refused ${append.requestId}: ${outcome.text}`);
  return outcome.data;
}

async function readAll(server: Connected) {
  const events: { seq: number; content: string }[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await callTool<{
      events: { seq: number; content: string }[];
      next_after_seq?: number | null;
    }>(server.client, 'history_get', { conversation_id: CONVERSATION, after_seq: afterSeq, limit: 200 });
    if (page.isError) throw new Error(`history_get failed: ${page.text}`);
    events.push(...page.data.events);
    if (page.data.next_after_seq === null || page.data.next_after_seq === undefined) break;
    afterSeq = page.data.next_after_seq;
  }
  return events;
}

describe('kill storm: chat-history under kill -9', () => {
  it.skipIf(!choirBuilt('chat-history'))(
    `keeps every acknowledged append exactly once through ${KILLS} kills, and the file intact`,
    async () => {
      const rng = createRng(SEED);
      const dir = tempDir('kill-storm');
      const acked = new Map<string, Acked>();
      let unacked: Append[] = [];
      let next = 0;
      const newAppend = (): Append => {
        const requestId = `req-${next++}`;
        const size = 1 + Math.floor(rng() * 3);
        return { requestId, contents: Array.from({ length: size }, (_, k) => `${requestId}/${k}`) };
      };

      for (let round = 0; round < KILLS; round++) {
        const server = await connectChoir('chat-history', dir, ENV);
        // Retry what was in flight at the last kill, with the same request ids.
        for (const append of unacked) {
          const data = await appendOnce(server, append);
          acked.set(append.requestId, {
            seqs: data.seqs,
            size: append.contents.length,
            via: data.duplicate ? 'retry-duplicate' : 'retry-new',
          });
        }
        unacked = [];
        // Two writers keep appends in flight; the kill lands at a seeded moment among them.
        let killed = false;
        const writer = async () => {
          while (!killed) {
            const append = newAppend();
            unacked.push(append);
            try {
              const data = await appendOnce(server, append);
              acked.set(append.requestId, { seqs: data.seqs, size: append.contents.length, via: 'first' });
              unacked = unacked.filter((a) => a !== append);
            } catch (error) {
              if (!killed) throw error;
              return;
            }
          }
        };
        const writers = [writer(), writer()];
        await new Promise((resolve) => setTimeout(resolve, 30 + rng() * 150));
        killed = true;
        await server.transport.kill9();
        await Promise.all(writers);
      }

      const server = await connectChoir('chat-history', dir, ENV);
      for (const append of unacked) {
        const data = await appendOnce(server, append);
        acked.set(append.requestId, {
          seqs: data.seqs,
          size: append.contents.length,
          via: data.duplicate ? 'retry-duplicate' : 'retry-new',
        });
      }
      const events = await readAll(server);
      await server.close();

      const inspector = inspectDb(choirDbFile('chat-history', dir));
      const integrity = await inspector.integrityCheck();
      inspector.close();
      removeDir(dir);

      const retried = [...acked.values()].filter((a) => a.via !== 'first');
      console.log(
        `kill storm: seed ${SEED}, ${KILLS} kills, ${acked.size} appends acknowledged, ${events.length} events, ` +
          `${retried.length} retried after a kill (${retried.filter((a) => a.via === 'retry-duplicate').length} had landed before it)`,
      );

      // Every acknowledged append: each of its events exactly once, at the seqs it was told.
      const byContent = new Map<string, number[]>();
      for (const event of events)
        byContent.set(event.content, [...(byContent.get(event.content) ?? []), event.seq]);
      const problems: string[] = [];
      for (const [requestId, ack] of acked) {
        if (ack.seqs.length !== ack.size)
          problems.push(`${requestId}: ${ack.size} events sent, ${ack.seqs.length} seqs back`);
        for (let k = 0; k < ack.size; k++) {
          const seqs = byContent.get(`${requestId}/${k}`) ?? [];
          if (seqs.length !== 1) problems.push(`${requestId}/${k} present ${seqs.length} times (${ack.via})`);
          else if (seqs[0] !== ack.seqs[k])
            problems.push(`${requestId}/${k} at seq ${seqs[0]}, acknowledged as ${ack.seqs[k]}`);
        }
      }
      expect(problems).toEqual([]);
      // Nothing but acknowledged appends, and seqs 1..n without gaps.
      const expectedEvents = [...acked.values()].reduce((sum, a) => sum + a.size, 0);
      expect(events.length).toBe(expectedEvents);
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
      expect(integrity).toEqual(['ok']);
      expect(acked.size).toBeGreaterThan(KILLS);
    },
    240_000,
  );
});
