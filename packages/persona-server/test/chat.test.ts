import { countChatTokens, countTokens } from '@choir/llm';
import { callTool } from '@choir/server-kit/testing';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { EXTRACTIVE_HEADER } from '../src/session-context.js';
import {
  HOUR,
  type Harness,
  harness,
  purposeOf,
  rowCounts,
  type SamplingParams,
  scriptedModel,
  textOf,
} from './helpers.js';

let h: Harness;
afterEach(async () => h?.close());

interface ChatData {
  session_id: string;
  persona_id: string;
  reply: string;
  generated: boolean;
  model: string | null;
  fallback_reason: string | null;
  turn_number: number;
  continue_score: number;
  tokens: { message: number; reply: number; prompt: number | null };
  processing_ms: number;
  new_session: boolean;
  expired_session_id: string | null;
  summarized: { folded: number; kind: string } | null;
  notes: string[];
  memories_used: string[];
  status: { social_energy: number; interaction_fatigue: number };
}

async function chat(args: Record<string, unknown>) {
  const r = await callTool<ChatData>(h.client, 'persona_chat', args);
  expect(r.isError, r.text).toBe(false);
  return r;
}

const ARIA_FALLBACKS = [
  'My lute has lost its tune for a moment — I cannot find the words just now. Ask me again a little later?',
  'The song is stuck in my throat; no words will come right now. Give me a breath and try again.',
];

describe('persona_chat without a model', () => {
  it("answers with the persona's fallback lines, marked generated: false, in a stored session", async () => {
    h = await harness();
    const first = await chat({ message: 'Hello Aria!' });
    expect(first.data).toEqual({
      session_id: expect.stringMatching(/^ses_[0-9a-f]{16}$/),
      persona_id: 'aria',
      reply: ARIA_FALLBACKS[0],
      generated: false,
      model: null,
      fallback_reason: 'no model is available (no client sampling, no provider configured)',
      turn_number: 2,
      continue_score: 0.983, // 0.3·0.97 + 0.2·0.96 + 0.25·1 (asks back) + 0.25·1 (nothing to repeat)
      tokens: { message: countTokens('Hello Aria!'), reply: countTokens(ARIA_FALLBACKS[0]!), prompt: null },
      processing_ms: expect.any(Number),
      new_session: true,
      expired_session_id: null,
      summarized: null,
      notes: [],
      memories_used: [],
      status: expect.objectContaining({ social_energy: 97, interaction_fatigue: 4 }),
      stored: true,
    });
    expect(first.text).toContain('Aria (fallback — no model is available');

    const second = await chat({ message: 'Are you there?' });
    expect(second.data).toMatchObject({
      session_id: first.data.session_id,
      reply: ARIA_FALLBACKS[1],
      turn_number: 4,
      new_session: false,
    });
    const session = await callTool(h.client, 'persona_session_get', { session_id: first.data.session_id });
    expect(session.data).toMatchObject({
      session: { kind: 'chat', persona_id: 'aria', partner_id: 'user', status: 'active', turn_count: 4 },
      next_cursor: null,
    });
    const turns = (
      session.data as {
        turns: { speaker_id: string; response_type: string; continue_score: number | null }[];
      }
    ).turns;
    expect(turns.map((t) => [t.speaker_id, t.response_type])).toEqual([
      ['user', 'message'],
      ['aria', 'fallback'],
      ['user', 'message'],
      ['aria', 'fallback'],
    ]);
    expect(turns[0]!.continue_score).toBeNull();
    expect(turns[1]!.continue_score).toBe(0.983);

    const page = await callTool<{ turns: { turn_number: number }[]; next_cursor: string }>(
      h.client,
      'persona_session_get',
      { session_id: first.data.session_id, limit: 3 },
    );
    expect(page.data.turns.map((t) => t.turn_number)).toEqual([1, 2, 3]);
    const rest = await callTool<{ turns: { turn_number: number }[]; next_cursor: string | null }>(
      h.client,
      'persona_session_get',
      { session_id: first.data.session_id, limit: 3, cursor: page.data.next_cursor },
    );
    expect(rest.data.turns.map((t) => t.turn_number)).toEqual([4]);
    expect(rest.data.next_cursor).toBeNull();
    expect(await callTool(h.client, 'persona_session_get', { session_id: 'ses_nope' })).toMatchObject({
      isError: true,
      code: 'NOT_FOUND',
    });
  });

  it('starts a new session after 24 hours of silence', async () => {
    h = await harness();
    const first = await chat({ persona: 'kira', message: 'Good morning.' });
    h.clock.now += 24 * HOUR;
    const next = await chat({ persona: 'kira', message: 'Back again.' });
    expect(next.data).toMatchObject({
      new_session: true,
      expired_session_id: first.data.session_id,
      turn_number: 2,
    });
    expect(next.data.session_id).not.toBe(first.data.session_id);
    expect(next.data.notes[0]).toBe(`session ${first.data.session_id} expired after 24 h of inactivity`);
    const old = await callTool(h.client, 'persona_session_get', { session_id: first.data.session_id });
    expect(old.data).toMatchObject({ session: { status: 'expired', turn_count: 2 } });
    // Naming the expired session explicitly also moves on to a new one.
    const explicit = await chat({ persona: 'kira', message: 'Hm.', session_id: first.data.session_id });
    expect(explicit.data).toMatchObject({ new_session: true, expired_session_id: first.data.session_id });
  });

  it('folds older turns into an extractive summary past 50 turns, keeping 20', async () => {
    h = await harness();
    let sessionId = '';
    for (let i = 1; i <= 26; i++) {
      const r = await chat({ message: `Message number ${i}. More words here.`, use_memories: false });
      sessionId = r.data.session_id;
      expect(r.data.summarized).toBeNull();
    }
    const r = await chat({ message: 'And now?', use_memories: false });
    expect(r.data).toMatchObject({ summarized: { folded: 32, kind: 'extractive' }, turn_number: 54 });
    const session = await callTool<{
      session: { summary: string; summarized_through: number; turn_count: number };
    }>(h.client, 'persona_session_get', { session_id: sessionId, limit: 1 });
    expect(session.data.session).toMatchObject({ summarized_through: 32, turn_count: 54 });
    const summary = session.data.session.summary.split('\n');
    expect(summary[0]).toBe(EXTRACTIVE_HEADER);
    expect(summary[1]).toBe('- User: Message number 1.…');
    expect(summary).toHaveLength(33);
    // turn 32 is Aria's 16th reply: fallback line 15 mod 3 = 0, cut to its first sentence
    expect(summary[32]).toBe(
      '- Aria: My lute has lost its tune for a moment — I cannot find the words just now.…',
    );
  });

  it('still returns the reply when the database refuses the write, and says so', async () => {
    h = await harness();
    await chat({ message: 'Saved.' });
    await sql`CREATE TRIGGER fail_turns BEFORE INSERT ON turns BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`.execute(
      h.store.db,
    );
    const before = await rowCounts(h.store);
    const r = await chat({ message: 'Not saved.' });
    expect(r.data).toMatchObject({ stored: false, reply: ARIA_FALLBACKS[1], turn_number: 4 });
    expect(r.data.notes[0]).toMatch(
      /^this exchange was not saved: storage error \(SQLITE_CONSTRAINT.*simulated disk failure/,
    );
    expect(await rowCounts(h.store)).toEqual(before);
    expect((await callTool(h.client, 'persona_status', { persona: 'aria' })).data).toMatchObject({
      social_energy: 97,
    });
  });

  it('rejects bad input and writes nothing', async () => {
    h = await harness();
    const other = await chat({ persona: 'kira', message: 'hi' });
    const before = await rowCounts(h.store);
    const cases: [Record<string, unknown>, string][] = [
      [{ message: '' }, 'INVALID_INPUT'],
      [{ message: '   ' }, 'INVALID_INPUT'],
      [{ message: 'hi', max_tokens: 5 }, 'INVALID_INPUT'],
      [{ message: 'hi', with: 'aria' }, 'INVALID_INPUT'],
      [{ message: 'hi', session_id: other.data.session_id }, 'INVALID_INPUT'],
      [{ message: 'hi', session_id: 'ses_missing' }, 'NOT_FOUND'],
      [{ persona: 'nobody', message: 'hi' }, 'NOT_FOUND'],
    ];
    for (const [args, code] of cases) {
      expect(await callTool(h.client, 'persona_chat', args), JSON.stringify(args)).toMatchObject({
        isError: true,
        code,
      });
    }
    expect(await rowCounts(h.store)).toEqual(before);
  });
});

describe('persona_chat with a model (sampling)', () => {
  it('sends the persona prompt and the session history, and stores a generated turn', async () => {
    const model = scriptedModel([
      'Well met, traveller! What tale brings you here?',
      'Then let us sing of it together.',
    ]);
    h = await harness({ sampling: model.handler });
    const first = await chat({ message: 'Hello!' });
    expect(first.data).toMatchObject({
      reply: 'Well met, traveller! What tale brings you here?',
      generated: true,
      model: 'scripted-model',
      fallback_reason: null,
      turn_number: 2,
    });
    const request = model.requests[0]!;
    expect(request.systemPrompt).toContain('You are Aria.');
    expect(request.maxTokens).toBe(600);
    expect(request.metadata).toEqual({ purpose: 'persona_chat' });
    expect(request.messages.map((m) => [m.role, textOf(m)])).toEqual([['user', 'Hello!']]);
    expect(first.data.tokens.prompt).toBe(
      countChatTokens([{ role: 'user', content: 'Hello!' }], request.systemPrompt as string),
    );

    const second = await chat({ message: 'A tale of the sea.', max_tokens: 100 });
    expect(second.data.turn_number).toBe(4);
    expect(model.requests[1]!.maxTokens).toBe(100);
    expect(model.requests[1]!.messages.map((m) => [m.role, textOf(m)])).toEqual([
      ['user', 'Hello!'],
      ['assistant', 'Well met, traveller! What tale brings you here?'],
      ['user', 'A tale of the sea.'],
    ]);
    const stored = await h.store.db
      .selectFrom('turns')
      .select(['turn_number', 'response_type', 'model', 'tokens', 'prompt_tokens'])
      .orderBy('turn_number')
      .execute();
    expect(stored[1]).toEqual({
      turn_number: 2,
      response_type: 'generated',
      model: 'scripted-model',
      tokens: countTokens('Well met, traveller! What tale brings you here?'),
      prompt_tokens: first.data.tokens.prompt,
    });
  });

  it('recalls relevant memories into the prompt and counts the access', async () => {
    const model = scriptedModel(['Ah, lighthouses — you told me you love them.']);
    h = await harness({ sampling: model.handler });
    const memory = await callTool<{ memory_id: string }>(h.client, 'persona_remember', {
      persona: 'aria',
      content: 'The user loves lighthouses and keeps a list of the ones they visited.',
    });
    await callTool(h.client, 'persona_remember', {
      persona: 'aria',
      content: 'Turnips grow well in cold soil.',
    });
    const r = await chat({ message: 'Do you know any lighthouses?' });
    expect(r.data.memories_used).toEqual([memory.data.memory_id]);
    expect(model.requests[0]!.systemPrompt).toContain(
      'Things you remember that may matter here:\n- The user loves lighthouses',
    );
    const row = await h.store.db
      .selectFrom('memories')
      .select('access_count')
      .where('id', '=', memory.data.memory_id)
      .executeTakeFirstOrThrow();
    expect(row.access_count).toBe(1);
  });

  it('summarises with the model past 50 turns and sends the summary instead of the old turns', async () => {
    const model = scriptedModel([
      (p: SamplingParams) =>
        purposeOf(p) === 'persona_summary' ? 'The user counted messages with Aria.' : 'Noted.',
    ]);
    h = await harness({ sampling: model.handler });
    for (let i = 1; i <= 26; i++) await chat({ message: `Count ${i}.`, use_memories: false });
    const r = await chat({ message: 'Summarise us.', use_memories: false });
    expect(r.data.summarized).toEqual({ folded: 32, kind: 'model' });
    const summaryRequest = model.requests.find((p) => purposeOf(p) === 'persona_summary')!;
    expect(textOf(summaryRequest.messages[0]!)).toContain('User: Count 1.\nAria: Noted.');
    const last = model.requests[model.requests.length - 1]!;
    expect(last.systemPrompt).toContain(
      'Earlier in this conversation:\nThe user counted messages with Aria.',
    );
    expect(last.messages).toHaveLength(21); // the 20 kept turns and the new message
    expect(textOf(last.messages[0]!)).toBe('Count 17.');
  });

  it('falls back, and says why, when sampling fails', async () => {
    h = await harness({
      sampling: () => {
        throw new Error('the host has no provider');
      },
    });
    const r = await chat({ persona: 'kira', message: 'What is entropy?' });
    expect(r.data).toMatchObject({
      generated: false,
      model: null,
      reply: 'I cannot consult my notes at the moment, so I will not guess. Please ask again shortly.',
    });
    expect(r.data.fallback_reason).toMatch(/^MODEL_UNAVAILABLE: sampling failed: .*the host has no provider/);
  });
});
