/**
 * JSON output checked against a zod schema. The model is told the JSON Schema, its reply is
 * parsed leniently (fences and chatter around the JSON are tolerated) and validated strictly;
 * one repair round shows the model its own output and what was wrong with it. After that the
 * caller gets LlmError('bad_response') — never a default value dressed up as an answer.
 */
import { z } from 'zod';
import { LlmError, type TextRequest, type TextResult } from './types.js';

export interface StructuredResult<T> {
  data: T;
  /** The reply the data came from (the repaired one if a repair was needed). */
  result: TextResult;
  repaired: boolean;
}

const MAX_ISSUES_SHOWN = 8;

export async function generateStructured<T>(
  generate: (request: TextRequest) => Promise<TextResult>,
  request: TextRequest,
  schema: z.ZodType<T>,
): Promise<StructuredResult<T>> {
  const system = [request.system, jsonInstruction(schema)].filter(Boolean).join('\n\n');
  const first = await generate({ ...request, system });
  const attempt = parseStructured(first.text, schema);
  if (attempt.ok) return { data: attempt.data, result: first, repaired: false };

  const repair = await generate({
    ...request,
    system,
    messages: [
      ...request.messages,
      { role: 'assistant', content: first.text },
      {
        role: 'user',
        content:
          `Your reply was not valid: ${attempt.problem}\n` +
          'Reply again with only the corrected JSON value, matching the schema exactly.',
      },
    ],
  });
  const second = parseStructured(repair.text, schema);
  if (second.ok) return { data: second.data, result: repair, repaired: true };
  throw new LlmError(
    'bad_response',
    `model output failed validation after one repair attempt: ${second.problem}`,
  );
}

/** The system-prompt addition that asks for JSON matching `schema`. */
export function jsonInstruction(schema: z.ZodType): string {
  // `io: 'input'`: the model writes what the schema accepts, before any transforms run.
  const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return (
    'Respond with a single JSON value that conforms to this JSON Schema. Output only the JSON: ' +
    'no explanations, no Markdown code fences.\n' +
    JSON.stringify(jsonSchema)
  );
}

export type ParseOutcome<T> = { ok: true; data: T } | { ok: false; problem: string };

export function parseStructured<T>(text: string, schema: z.ZodType<T>): ParseOutcome<T> {
  const extracted = extractJson(text);
  if (!extracted.ok) return { ok: false, problem: extracted.problem };
  const checked = schema.safeParse(extracted.value);
  if (checked.success) return { ok: true, data: checked.data };
  return { ok: false, problem: summariseIssues(checked.error.issues) };
}

/**
 * The JSON value in a model's reply: the whole reply if it parses, else the contents of a
 * ```json fence, else the first balanced top-level object or array that parses.
 */
export function extractJson(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const candidates: string[] = [text.trim()];
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(text);
  if (fence?.[1]) candidates.push(fence[1].trim());
  for (const candidate of candidates) {
    const parsed = tryParse(candidate);
    if (parsed.ok) return parsed;
  }
  for (let start = 0; start < text.length; start++) {
    const ch = text[start];
    if (ch !== '{' && ch !== '[') continue;
    const end = matchingClose(text, start);
    if (end === -1) continue;
    const parsed = tryParse(text.slice(start, end + 1));
    if (parsed.ok) return parsed;
  }
  return { ok: false, problem: 'the reply contains no parseable JSON object or array' };
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!text) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Index of the bracket closing the one at `start`, skipping brackets inside strings; -1 if none. */
function matchingClose(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** `answer: expected string, received number; steps.2: required` — short enough for a prompt. */
export function summariseIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_SHOWN).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const more = issues.length > MAX_ISSUES_SHOWN ? `; and ${issues.length - MAX_ISSUES_SHOWN} more` : '';
  return shown.join('; ') + more;
}
