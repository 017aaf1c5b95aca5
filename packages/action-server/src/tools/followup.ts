/**
 * action_followup — one clarifying question for an ambiguous request, asked to the user
 * through MCP elicitation when the client supports it.
 */
import {
  defineTool,
  invalidInput,
  NO_MODEL_HINT,
  type ServerDeps,
  type ToolContext,
  ToolError,
} from '@choir/server-kit';
import type { ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ActionConfig } from '../config.js';
import { generatedFields, logGeneration } from '../log-writer.js';
import { describeFailure, tryGenerate } from '../model-call.js';
import { candidatesQuestion, followupPrompt } from '../prompts.js';
import { ConversationIdSchema, ContextMessageSchema, LogIdSchema, ViaSchema } from '../schemas.js';
import type { ActionDB } from '../store.js';

export const MAX_CANDIDATES = 10;
const MAX_QUESTION_CHARS = 500;
/** One question, one sentence: anything longer is the model not following instructions. */
const QUESTION_MAX_TOKENS = 120;

const Input = z.object({
  message: z.string().describe("The user's ambiguous message"),
  context: z.array(ContextMessageSchema).optional().describe('Recent conversation, oldest first'),
  candidates: z
    .array(z.string().min(1).max(200))
    .max(MAX_CANDIDATES)
    .optional()
    .describe('Readings of the message to choose between; offered to the user as choices'),
  question: z
    .string()
    .max(MAX_QUESTION_CHARS)
    .optional()
    .describe('Ask this question instead of generating one'),
  ask_user: z.boolean().default(true).describe('Ask through elicitation when the client supports it'),
  conversation_id: ConversationIdSchema.optional(),
});

const Output = z.object({
  question: z.string(),
  question_source: z
    .enum(['model', 'caller', 'candidates'])
    .describe('model: generated; caller: the question argument; candidates: spelled out from them'),
  generated: z.boolean(),
  model: z.string().optional(),
  via: ViaSchema.optional(),
  asked: z.boolean().describe('Whether the question was put to the user through elicitation'),
  outcome: z.enum(['answered', 'declined', 'cancelled', 'not_asked']),
  answer: z.string().optional().describe("The user's answer (outcome answered)"),
  choice: z.string().optional().describe('The candidate the user chose, when candidates were given'),
  not_asked_reason: z.string().optional(),
  log_id: LogIdSchema,
});
type Output = z.input<typeof Output>;

interface Question {
  text: string;
  source: 'model' | 'caller' | 'candidates';
  model?: string;
  via?: 'sampling' | 'provider';
  logId: number | null;
}

export const followupTool = (deps: ServerDeps<ActionDB>, config: ActionConfig) =>
  defineTool({
    name: 'action_followup',
    title: 'Clarifying question',
    description:
      'One clarifying question for an ambiguous request: the `question` given, else one a model writes, ' +
      'else (no model) one spelled out from `candidates`. If the client supports MCP elicitation, the ' +
      'question is put to the user and the answer returned (outcome answered / declined / cancelled); ' +
      'otherwise outcome is not_asked and the caller asks. No model and neither question nor ' +
      'candidates: MODEL_UNAVAILABLE.',
    input: Input,
    output: Output,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async handler(args, ctx) {
      if (!args.message.trim()) throw invalidInput('message is empty');
      const candidates = args.candidates?.map((c) => c.trim());
      if (candidates?.some((c) => !c)) throw invalidInput('candidates must not be blank');
      if (candidates && new Set(candidates).size !== candidates.length) {
        throw invalidInput('candidates must be different from each other');
      }
      if (args.question !== undefined && !args.question.trim()) throw invalidInput('question is empty');

      const question = await chooseQuestion(deps, ctx, { ...args, candidates });
      const asked = await askUser(ctx, config, question.text, candidates, args.ask_user);
      const data: Output = {
        question: question.text,
        question_source: question.source,
        generated: question.source === 'model',
        ...(question.model ? { model: question.model, via: question.via } : {}),
        ...asked,
        log_id: question.logId,
      };
      return { text: forPeople(data), data };
    },
  });

async function chooseQuestion(
  deps: ServerDeps<ActionDB>,
  ctx: ToolContext,
  args: {
    message: string;
    context?: z.output<typeof ContextMessageSchema>[];
    candidates?: string[];
    question?: string;
    conversation_id?: string;
  },
): Promise<Question> {
  // The caller's own words are not this server's output, so they are not logged.
  if (args.question) return { text: args.question.trim(), source: 'caller', logId: null };
  const conversationId = args.conversation_id ?? null;
  if (!ctx.modelAvailable) {
    if (!args.candidates?.length) {
      throw new ToolError(
        'MODEL_UNAVAILABLE',
        'no model is available to write a clarifying question',
        `Pass \`question\` or \`candidates\`. ${NO_MODEL_HINT}`,
      );
    }
    const text = candidatesQuestion(args.candidates);
    const logId = await logGeneration(deps.store, ctx.logger, {
      phase: 'followup',
      outcome: 'extractive',
      conversationId,
      output: text,
    });
    return { text, source: 'candidates', logId };
  }
  const attempt = await tryGenerate(ctx, {
    ...followupPrompt(args),
    purpose: 'followup',
    maxTokens: QUESTION_MAX_TOKENS,
  });
  if (!attempt.ok) {
    await logGeneration(deps.store, ctx.logger, {
      phase: 'followup',
      outcome: 'failed',
      conversationId,
      reason: describeFailure(attempt.failure),
      output: '',
    });
    throw new ToolError(attempt.failure.code, attempt.failure.message);
  }
  const { result } = attempt;
  const text = oneQuestion(result.text);
  const logId = await logGeneration(deps.store, ctx.logger, {
    phase: 'followup',
    ...generatedFields(result),
    conversationId,
    output: text,
  });
  return { text, source: 'model', model: result.model, via: result.via, logId };
}

/** The model's reply on one line, capped; it was asked for one question and nothing else. */
export function oneQuestion(reply: string): string {
  const flat = reply.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_QUESTION_CHARS ? flat : `${flat.slice(0, MAX_QUESTION_CHARS - 1)}…`;
}

type Asked = Pick<Output, 'asked' | 'outcome' | 'answer' | 'choice' | 'not_asked_reason'>;

export function clientCanElicit(ctx: ToolContext): boolean {
  const elicitation = ctx.mcp.server.getClientCapabilities()?.elicitation as
    | Record<string, unknown>
    | undefined;
  if (!elicitation) return false;
  // An empty `elicitation: {}` is how clients before form/url modes declared form support.
  return Boolean(elicitation.form) || Object.keys(elicitation).length === 0;
}

async function askUser(
  ctx: ToolContext,
  config: ActionConfig,
  question: string,
  candidates: string[] | undefined,
  wanted: boolean,
): Promise<Asked> {
  if (!wanted) return { asked: false, outcome: 'not_asked', not_asked_reason: 'ask_user is false' };
  if (!clientCanElicit(ctx)) {
    return {
      asked: false,
      outcome: 'not_asked',
      not_asked_reason: 'the client does not support elicitation',
    };
  }
  let result: Awaited<ReturnType<typeof ctx.mcp.server.elicitInput>>;
  try {
    result = await ctx.mcp.server.elicitInput(elicitationRequest(question, candidates), {
      signal: ctx.signal,
      timeout: config.elicitationTimeoutMs,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw new ToolError('CANCELLED', 'the request was cancelled');
    ctx.logger.warn({ err: error }, 'elicitation failed');
    return {
      asked: false,
      outcome: 'not_asked',
      not_asked_reason: `elicitation failed: ${(error as Error).message.split('\n')[0]}`,
    };
  }
  if (result.action === 'decline') return { asked: true, outcome: 'declined' };
  if (result.action === 'cancel') return { asked: true, outcome: 'cancelled' };
  return { asked: true, outcome: 'answered', ...answerFrom(result.content ?? {}, candidates) };
}

/** The form: free text, or a choice among the candidates with an optional note. */
export function elicitationRequest(
  question: string,
  candidates: string[] | undefined,
): ElicitRequestFormParams {
  if (candidates?.length) {
    return {
      mode: 'form',
      message: question,
      requestedSchema: {
        type: 'object',
        properties: {
          choice: { type: 'string', title: 'Which did you mean?', enum: candidates },
          details: { type: 'string', title: 'Anything to add (optional)', maxLength: 2000 },
        },
        required: ['choice'],
      },
    };
  }
  return {
    mode: 'form',
    message: question,
    requestedSchema: {
      type: 'object',
      properties: { answer: { type: 'string', title: 'Your answer', minLength: 1, maxLength: 2000 } },
      required: ['answer'],
    },
  };
}

export function answerFrom(
  content: Record<string, unknown>,
  candidates: string[] | undefined,
): Pick<Output, 'answer' | 'choice'> {
  const text = (key: string) => (typeof content[key] === 'string' ? (content[key] as string).trim() : '');
  if (candidates?.length) {
    const choice = text('choice');
    const details = text('details');
    const answer = [choice, details].filter(Boolean).join(' — ');
    return choice ? { answer, choice } : { answer };
  }
  return { answer: text('answer') };
}

function forPeople(data: Output): string {
  switch (data.outcome) {
    case 'answered':
      return `Asked: ${data.question}\nThe user answered: ${data.answer}`;
    case 'declined':
      return `Asked: ${data.question}\nThe user declined to answer.`;
    case 'cancelled':
      return `Asked: ${data.question}\nThe user dismissed the question.`;
    default:
      return `Clarifying question (not asked: ${data.not_asked_reason}): ${data.question}`;
  }
}
