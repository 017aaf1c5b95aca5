import { callTool } from '@choir/server-kit/testing';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, harness, rowCounts, scriptedModel, textOf } from './helpers.js';

let h: Harness;
afterEach(async () => h?.close());

interface ConverseData {
  conversation_id: string;
  turns: {
    turn_number: number;
    speaker_id: string;
    content: string;
    continue_score: number;
    tokens: number;
    prompt_tokens: number;
  }[];
  stop_reason: string;
  tokens_used: number;
  quality: number;
  generated: boolean;
  model: string | null;
  error: string | null;
}

const LINES = [
  'Kira, have you ever mapped the stars?',
  'Yes — forty-two constellations so far. Which interests you?',
  'The Lute, of course! Shall we find it tonight?',
  'Perhaps another time. Goodbye.',
  'This line is never reached.',
];

describe('persona_converse', () => {
  it('alternates speakers until a reply says the talk is done, and stores the transcript', async () => {
    const model = scriptedModel(LINES);
    h = await harness({ sampling: model.handler });
    const progress: string[] = [];
    const r = await callTool<ConverseData>(
      h.client,
      'persona_converse',
      { persona_a: 'aria', persona_b: 'Kira', topic: 'the stars' },
      { onprogress: (p) => progress.push(p.message ?? '') },
    );
    expect(r.isError, r.text).toBe(false);
    expect(r.data).toMatchObject({
      persona_a: 'aria',
      persona_b: 'kira',
      stop_reason: 'continue_score',
      generated: true,
      model: 'scripted-model',
      error: null,
      quality: 0.779833, // mean of the four scores below
    });
    expect(r.data.turns.map((t) => [t.turn_number, t.speaker_id, t.content, t.continue_score])).toEqual([
      [1, 'aria', LINES[0], 0.983],
      [2, 'kira', LINES[1], 0.983],
      [3, 'aria', LINES[2], 0.949333], // novelty 14/15: "the" repeats from turn 1
      [4, 'kira', LINES[3], 0.204], // (0.282 + 0.184 + 0.1 + 0.25) · 0.25 for the goodbye
    ]);
    expect(r.data.tokens_used).toBe(r.data.turns.reduce((sum, t) => sum + t.prompt_tokens + t.tokens, 0));
    expect(progress).toEqual([
      `Aria: ${LINES[0]}`,
      `Kira: ${LINES[1]}`,
      `Aria: ${LINES[2]}`,
      `Kira: ${LINES[3]}`,
    ]);

    // Each speaker sees its own lines as assistant turns and always starts on a user message.
    expect(model.requests[0]!.systemPrompt).toContain('You are Aria.');
    expect(model.requests[0]!.systemPrompt).toContain('You are talking with Kira about: the stars');
    expect(model.requests[0]!.metadata).toEqual({ purpose: 'persona_converse' });
    expect(model.requests[1]!.messages.map((m) => [m.role, textOf(m)])).toEqual([['user', LINES[0]]]);
    expect(model.requests[2]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);

    const stored = await callTool(h.client, 'persona_session_get', { session_id: r.data.conversation_id });
    expect(stored.data).toMatchObject({
      session: {
        kind: 'conversation',
        persona_id: 'aria',
        partner_id: 'kira',
        topic: 'the stars',
        status: 'complete',
        stop_reason: 'continue_score',
        turn_count: 4,
      },
    });
    const rel = await callTool(h.client, 'persona_relationship_get', { persona: 'kira', with: 'aria' });
    expect(rel.data).toMatchObject({ relationship: { interaction_count: 1, affinity: 0.111933 } });
    const kira = await callTool(h.client, 'persona_status', { persona: 'kira' });
    expect(kira.data).toMatchObject({ social_energy: 94, interaction_fatigue: 8 });
  });

  it('stops at max_turns, or when the next speaker is unavailable', async () => {
    h = await harness({ sampling: scriptedModel(['A thought?', 'Another thought?', 'More?']).handler });
    const two = await callTool<ConverseData>(h.client, 'persona_converse', {
      persona_a: 'kira',
      persona_b: 'aria',
      topic: 'maps',
      max_turns: 2,
    });
    expect(two.data).toMatchObject({ stop_reason: 'max_turns' });
    expect(two.data.turns).toHaveLength(2);
    // exhaust Aria: 100 − (3 + 0.5·120)·1.5 = 5.5 < 20
    await callTool(h.client, 'persona_record_interaction', {
      persona: 'aria',
      quality: 0,
      duration_seconds: 7200,
    });
    const tired = await callTool<ConverseData>(h.client, 'persona_converse', {
      persona_a: 'kira',
      persona_b: 'aria',
      topic: 'maps',
    });
    expect(tired.data.stop_reason).toBe('unavailable');
    expect(tired.data.turns.map((t) => t.speaker_id)).toEqual(['kira']);
  });

  it('stops before a turn that would pass the token budget', async () => {
    const lines = ['First question?', 'First answer?', 'Second question?', 'Second answer?'];
    h = await harness({ sampling: scriptedModel(lines).handler });
    const free = await callTool<ConverseData>(h.client, 'persona_converse', {
      persona_a: 'aria',
      persona_b: 'kira',
      topic: 'budgets',
      max_turns: 3,
    });
    const [t1, t2, t3] = free.data.turns;
    await h.close();
    // The same conversation from scratch, with room for two turns but not a third.
    h = await harness({ sampling: scriptedModel(lines).handler });
    const budget =
      t1!.prompt_tokens + t1!.tokens + t2!.prompt_tokens + t2!.tokens + t3!.prompt_tokens + 300 - 1;
    const capped = await callTool<ConverseData>(h.client, 'persona_converse', {
      persona_a: 'aria',
      persona_b: 'kira',
      topic: 'budgets',
      max_turns: 3,
      token_budget: budget,
    });
    expect(capped.data).toMatchObject({ stop_reason: 'token_budget' });
    expect(capped.data.turns).toHaveLength(2);
    expect(capped.data.tokens_used).toBe(t1!.prompt_tokens + t1!.tokens + t2!.prompt_tokens + t2!.tokens);
  });

  it('keeps what was said when the model fails mid-conversation', async () => {
    let calls = 0;
    h = await harness({
      sampling: () => {
        calls++;
        if (calls === 3) throw new Error('provider went away');
        return {
          role: 'assistant',
          model: 'scripted-model',
          content: { type: 'text', text: `Line ${calls}?` },
        };
      },
    });
    const r = await callTool<ConverseData>(h.client, 'persona_converse', {
      persona_a: 'aria',
      persona_b: 'kira',
      topic: 'x',
    });
    expect(r.data).toMatchObject({ stop_reason: 'model_error' });
    expect(r.data.turns.map((t) => t.content)).toEqual(['Line 1?', 'Line 2?']);
    expect(r.data.error).toMatch(/^MODEL_UNAVAILABLE: sampling failed: .*provider went away/);
  });

  it('returns the transcript with stored: false when the database refuses it', async () => {
    h = await harness({ sampling: scriptedModel(['One?', 'Two?']).handler });
    await sql`CREATE TRIGGER fail_sessions BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END`.execute(
      h.store.db,
    );
    const before = await rowCounts(h.store);
    const r = await callTool<ConverseData & { stored: boolean; store_error: string }>(
      h.client,
      'persona_converse',
      {
        persona_a: 'aria',
        persona_b: 'kira',
        topic: 'x',
        max_turns: 2,
      },
    );
    expect(r.data).toMatchObject({ conversation_id: null, stored: false });
    expect(r.data.turns.map((t) => t.content)).toEqual(['One?', 'Two?']);
    expect(r.data.store_error).toMatch(/simulated disk failure/);
    expect(await rowCounts(h.store)).toEqual(before);
  });

  it('refuses without a model, on a failed first turn, or with bad input, and writes nothing', async () => {
    h = await harness();
    const before = await rowCounts(h.store);
    const none = await callTool(h.client, 'persona_converse', {
      persona_a: 'aria',
      persona_b: 'kira',
      topic: 'x',
    });
    expect(none).toMatchObject({ isError: true, code: 'MODEL_UNAVAILABLE' });
    expect(none.text).toContain('Hint: No model is available');
    expect(await rowCounts(h.store)).toEqual(before);
    await h.close();

    h = await harness({
      sampling: () => {
        throw new Error('down');
      },
    });
    const start = await rowCounts(h.store);
    expect(
      await callTool(h.client, 'persona_converse', { persona_a: 'aria', persona_b: 'kira', topic: 'x' }),
    ).toMatchObject({
      isError: true,
      code: 'MODEL_UNAVAILABLE',
    });
    const bad: [Record<string, unknown>, string][] = [
      [{ persona_a: 'aria', persona_b: 'ARIA', topic: 'x' }, 'INVALID_INPUT'],
      [{ persona_a: 'aria', persona_b: 'kira', topic: '' }, 'INVALID_INPUT'],
      [{ persona_a: 'aria', persona_b: 'kira', topic: 'x', max_turns: 21 }, 'INVALID_INPUT'],
      [
        { persona_a: 'aria', persona_b: 'kira', topic: 'x', token_budget: 500, max_reply_tokens: 400 },
        'INVALID_INPUT',
      ],
      [{ persona_a: 'aria', persona_b: 'nobody', topic: 'x' }, 'NOT_FOUND'],
    ];
    for (const [args, code] of bad) {
      expect(await callTool(h.client, 'persona_converse', args), JSON.stringify(args)).toMatchObject({
        isError: true,
        code,
      });
    }
    expect(await rowCounts(h.store)).toEqual(start);
  });
});
