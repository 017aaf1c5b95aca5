/**
 * What a server acknowledges storing, it gives back unchanged: awkward but valid text (emoji,
 * astral letters, RTL, combining marks, CR/LF, BOM, a long multi-byte string) round-trips through
 * each server's write and read tools. Text that SQLite drivers are known to mangle (NUL, lone
 * surrogates) must be stored exactly or refused with INVALID_INPUT — never changed silently.
 */
import { callTool } from '@choir/server-kit/testing';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChoirServerName,
  type Connected,
  choirBuilt,
  connectChoir,
  removeDir,
  tempDir,
} from '../src/servers.js';

const VALID: Record<string, string> = {
  emoji: '💥🧨 ǅ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  rtl: 'مرحبا بالعالم',
  combining: 'e\u0301\u0301\u0301',
  whitespace: 'a\r\nb\tc',
  bom: '\uFEFFstarts with a BOM',
  long: 'é🧨'.repeat(5000),
};

/** A write tool and the read tool that returns what it stored, per server. */
const ROUND_TRIPS: Partial<Record<ChoirServerName, (client: Client, text: string) => Promise<RoundTrip>>> = {
  'chat-history': async (client, text) => {
    const conversation = `rt-${Math.random().toString(36).slice(2)}`;
    const write = await callTool(client, 'history_append', {
      conversation_id: conversation,
      events: [{ type: 'user_message', content: text }],
    });
    if (write.isError) return { refused: write.code };
    const read = await callTool<{ events: { content: string }[] }>(client, 'history_get', {
      conversation_id: conversation,
    });
    return { stored: read.data.events[0]?.content };
  },
  experience: async (client, text) => {
    const write = await callTool<{ id: string }>(client, 'experience_record', {
      content: text,
      role: 'user',
    });
    if (write.isError) return { refused: write.code };
    const read = await callTool<{ experiences: { content: string }[] }>(client, 'experience_get', {
      ids: [write.data.id],
    });
    return { stored: read.data.experiences[0]?.content };
  },
  reasoning: async (client, text) => {
    const write = await callTool<{ session_id: string }>(client, 'reasoning_linear', { content: text });
    if (write.isError) return { refused: write.code };
    const read = await callTool<{ thoughts: { content: string }[] }>(client, 'reasoning_session_get', {
      session_id: write.data.session_id,
    });
    return { stored: read.data.thoughts?.[0]?.content };
  },
};

type RoundTrip = { refused: string | undefined } | { stored: string | undefined };

describe.each(Object.keys(ROUND_TRIPS) as ChoirServerName[])('text round trip: %s server', (server) => {
  const roundTrip = ROUND_TRIPS[server]!;
  let connected: Connected;
  let dir: string;
  beforeAll(async () => {
    if (!choirBuilt(server)) return;
    dir = tempDir(`text-${server}`);
    connected = await connectChoir(server, dir);
  });
  afterAll(async () => {
    await connected?.close();
    if (dir) removeDir(dir);
  });

  it.skipIf(!choirBuilt(server))('gives back valid unicode exactly as it was stored', async () => {
    for (const [name, text] of Object.entries(VALID)) {
      expect(await roundTrip(connected.client, `${name} ${text}`), name).toEqual({
        stored: `${name} ${text}`,
      });
    }
  });

  // Found by this suite: SQLite's text binding stops at the first NUL and UTF-8 cannot hold a
  // lone surrogate, so such text was acknowledged and read back different. server-kit's input
  // limits now refuse both with INVALID_INPUT before any work.
  it('stores text with a NUL exactly, or refuses it', async () => {
    const outcome = await roundTrip(connected.client, 'before\u0000after');
    if ('refused' in outcome) expect(outcome.refused).toBe('INVALID_INPUT');
    else expect(outcome.stored).toBe('before\u0000after');
  });

  it('stores a lone surrogate exactly, or refuses it', async () => {
    const outcome = await roundTrip(connected.client, 'x\uD800y');
    if ('refused' in outcome) expect(outcome.refused).toBe('INVALID_INPUT');
    else expect(outcome.stored).toBe('x\uD800y');
  });
});
