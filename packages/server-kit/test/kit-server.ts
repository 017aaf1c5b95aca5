/** A tiny server built with the kit, for testing the kit itself. */
import type { LanguageModel, TextRequest } from '@choir/llm';
import { type Generated, sql } from 'kysely';
import { z } from 'zod';
import { createChoirServer, defineTool, registerTools, ToolError } from '../src/index.js';
import type { ServerDeps } from '../src/settings.js';

export interface KitDB {
  notes: { id: Generated<number>; body: string };
}

export const calls = { echo: 0 };

export function createKitServer(deps: ServerDeps<KitDB>) {
  const mcp = createChoirServer({ name: 'kit', version: '0.0.0' });
  registerTools(
    mcp,
    [
      defineTool({
        name: 'kit_echo',
        description: 'Echo text back.',
        input: z.object({ text: z.string().min(1), times: z.number().int().min(1).max(5).default(1) }),
        output: z.object({ echoed: z.string() }),
        annotations: { readOnlyHint: true },
        async handler(args) {
          calls.echo++;
          return { text: args.text, data: { echoed: args.text.repeat(args.times) } };
        },
      }),
      defineTool({
        name: 'kit_note_add',
        description: 'Store a note.',
        input: z.object({ body: z.string().min(1) }),
        output: z.object({ id: z.number() }),
        async handler(args) {
          if (args.body === 'reserved') throw new ToolError('CONFLICT', 'that note is reserved');
          const result = await deps.store.db
            .insertInto('notes')
            .values({ body: args.body })
            .executeTakeFirst();
          return { text: 'stored', data: { id: Number(result.insertId) } };
        },
      }),
      defineTool({
        name: 'kit_crash',
        description: 'Throws an unexpected error.',
        input: z.object({}),
        output: z.object({}),
        async handler() {
          throw new TypeError('undefined is not a function');
        },
      }),
      defineTool({
        name: 'kit_bad_output',
        description: 'Returns data that breaks its own output schema.',
        input: z.object({}),
        output: z.object({ n: z.number() }),
        async handler() {
          return { text: 'oops', data: { n: 'not a number' as unknown as number } };
        },
      }),
      defineTool({
        name: 'kit_progress',
        description: 'Reports progress three times.',
        input: z.object({}),
        output: z.object({ steps: z.number() }),
        async handler(_args, ctx) {
          for (let i = 1; i <= 3; i++) await ctx.progress(i, 3, `step ${i}`);
          return { text: 'done', data: { steps: 3 } };
        },
      }),
      defineTool({
        name: 'kit_generate',
        description: 'Asks for text, optionally structured.',
        input: z.object({ prompt: z.string(), structured: z.boolean().default(false) }),
        output: z.object({
          text: z.string(),
          via: z.string(),
          data: z.unknown().optional(),
          repaired: z.boolean(),
        }),
        async handler(args, ctx) {
          const result = await ctx.generate({
            messages: [{ role: 'user', content: args.prompt }],
            purpose: 'test',
            schema: args.structured ? z.object({ answer: z.number() }) : undefined,
          });
          return {
            text: result.text,
            data: { text: result.text, via: result.via, data: result.data, repaired: result.repaired },
          };
        },
      }),
      defineTool({
        name: 'kit_slow_write',
        description: 'Waits, then writes a note (for shutdown tests).',
        input: z.object({ body: z.string(), wait_ms: z.number().int().min(0).max(10_000) }),
        output: z.object({ id: z.number() }),
        async handler(args, ctx) {
          await new Promise((resolve) => setTimeout(resolve, args.wait_ms));
          ctx.logger.info('writing after wait');
          const result = await sql`INSERT INTO notes (body) VALUES (${args.body})`.execute(deps.store.db);
          return { text: 'stored', data: { id: Number(result.insertId) } };
        },
      }),
    ],
    deps,
  );
  return mcp;
}

/** A provider double: records requests and answers from a script. */
export function scriptedModel(answers: string[]): LanguageModel & { requests: TextRequest[] } {
  const requests: TextRequest[] = [];
  const next = () => answers.shift() ?? '';
  return {
    provider: 'openai-compatible',
    model: 'scripted',
    requests,
    async generateText(request) {
      requests.push(request);
      return { text: next(), model: 'scripted' };
    },
    streamText(request) {
      requests.push(request);
      const text = next();
      return {
        textStream: (async function* () {
          yield* text.split(' ').map((w, i) => (i ? ` ${w}` : w));
        })(),
        result: Promise.resolve({ text, model: 'scripted' }),
      };
    },
  };
}
