import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractJson, generateStructured, jsonInstruction } from './structured.js';
import { LlmError, type TextRequest, type TextResult } from './types.js';

const Plan = z.object({
  title: z.string(),
  steps: z.array(z.object({ action: z.string(), minutes: z.number().int().positive() })).min(1),
});

/** A fake `generate` that answers from a list and records what it was asked. */
function scripted(...replies: string[]) {
  const requests: TextRequest[] = [];
  const generate = async (request: TextRequest): Promise<TextResult> => {
    requests.push(request);
    const text = replies.shift();
    if (text === undefined) throw new Error('no more replies');
    return { text, model: 'fake' };
  };
  return { generate, requests };
}

const valid = { title: 'Tea', steps: [{ action: 'boil water', minutes: 3 }] };
const ask: TextRequest = { system: 'You plan things.', messages: [{ role: 'user', content: 'Plan tea' }] };

describe('generateStructured', () => {
  it('returns validated data from a clean JSON reply, asking for JSON with the schema', async () => {
    const { generate, requests } = scripted(JSON.stringify(valid));
    const out = await generateStructured(generate, ask, Plan);
    expect(out).toEqual({
      data: valid,
      result: { text: JSON.stringify(valid), model: 'fake' },
      repaired: false,
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.system).toMatch(/^You plan things\.\n\n/);
    expect(requests[0]!.system).toContain('JSON Schema');
    expect(requests[0]!.system).toContain('"minutes"');
    expect(requests[0]!.messages).toEqual(ask.messages);
  });

  it('tolerates code fences and prose around the JSON', async () => {
    const reply = `Sure! Here is the plan:\n\`\`\`json\n${JSON.stringify(valid, null, 2)}\n\`\`\`\nEnjoy.`;
    const { generate } = scripted(reply);
    expect((await generateStructured(generate, ask, Plan)).data).toEqual(valid);
    const { generate: g2 } = scripted(`The answer is ${JSON.stringify(valid)} — hope that helps {sic}`);
    expect((await generateStructured(g2, ask, Plan)).data).toEqual(valid);
  });

  it('repairs once, showing the model its output and the validation issues', async () => {
    const bad = JSON.stringify({ title: 'Tea', steps: [{ action: 'boil', minutes: 'three' }] });
    const { generate, requests } = scripted(bad, JSON.stringify(valid));
    const out = await generateStructured(generate, ask, Plan);
    expect(out.repaired).toBe(true);
    expect(out.data).toEqual(valid);
    expect(requests).toHaveLength(2);
    const repair = requests[1]!;
    expect(repair.system).toBe(requests[0]!.system);
    expect(repair.messages.slice(0, 2)).toEqual([ask.messages[0], { role: 'assistant', content: bad }]);
    expect(repair.messages[2]!.role).toBe('user');
    expect(repair.messages[2]!.content).toContain('steps.0.minutes');
  });

  it('repairs a reply that is not JSON at all', async () => {
    const { generate, requests } = scripted('I think you should boil water.', JSON.stringify(valid));
    expect((await generateStructured(generate, ask, Plan)).repaired).toBe(true);
    expect(requests[1]!.messages[2]!.content).toContain('no parseable JSON');
  });

  it('throws bad_response with the issues when the repair is still invalid — no fallback', async () => {
    const { generate, requests } = scripted('{"title": 3}', '{"title": "Tea", "steps": []}');
    const error = await generateStructured(generate, ask, Plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).kind).toBe('bad_response');
    expect((error as LlmError).message).toContain('steps');
    expect(requests).toHaveLength(2);
  });

  it('passes provider errors through untouched and does not retry them', async () => {
    const requests: TextRequest[] = [];
    const failing = async (request: TextRequest): Promise<TextResult> => {
      requests.push(request);
      throw new LlmError('rate_limited', 'slow down', 429);
    };
    await expect(generateStructured(failing, ask, Plan)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(requests).toHaveLength(1);
  });

  it('works without a system prompt and with array schemas', async () => {
    const { generate, requests } = scripted('["a", "b"]');
    const out = await generateStructured(
      generate,
      { messages: [{ role: 'user', content: 'list' }] },
      z.array(z.string()),
    );
    expect(out.data).toEqual(['a', 'b']);
    expect(requests[0]!.system).toMatch(/^Respond with a single JSON value/);
  });
});

describe('extractJson', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['  [1,2]  ', [1, 2]],
    ['```\n{"a":1}\n```', { a: 1 }],
    ['Result: {"a": "has } brace and \\" quote"} done', { a: 'has } brace and " quote' }],
    ['{not json} then {"b": [1, {"c": 2}]}', { b: [1, { c: 2 }] }],
  ])('%s', (text, value) => {
    expect(extractJson(text)).toEqual({ ok: true, value });
  });

  it('reports when there is nothing to parse', () => {
    expect(extractJson('no json here {oops')).toMatchObject({ ok: false });
    expect(extractJson('')).toMatchObject({ ok: false });
  });
});

describe('jsonInstruction', () => {
  it('embeds the JSON Schema of the input side of the schema', () => {
    const text = jsonInstruction(z.object({ when: z.string().transform((s) => new Date(s)) }));
    expect(text).toContain('"when"');
    expect(text).toContain('"type":"string"');
  });
});
