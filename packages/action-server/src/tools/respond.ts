/** action_respond — the Action phase: a quick first answer, streamed as progress when asked. */
import { Prior } from '@choir/contracts';
import { defineTool, invalidInput, type ServerDeps, type ToolContext, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import type { ActionConfig } from '../config.js';
import { noModelFirstAnswer } from '../extractive.js';
import { generatedFields, logGeneration } from '../log-writer.js';
import { describeFailure, tryGenerate, usageOf } from '../model-call.js';
import { respondPrompt } from '../prompts.js';
import {
  ConversationIdSchema,
  ContextMessageSchema,
  LogIdSchema,
  UsageSchema,
  ViaSchema,
} from '../schemas.js';
import type { ActionDB } from '../store.js';

const Input = z.object({
  message: z.string().describe("The user's message"),
  persona_prompt: z.string().optional().describe('System prompt of the persona speaking (persona_prompt)'),
  context: z
    .array(ContextMessageSchema)
    .optional()
    .describe('Recent conversation, oldest first (the last 40 are used)'),
  priors: z.array(Prior).optional().describe('Passages already retrieved, if any (the best 5 are shown)'),
  conversation_id: ConversationIdSchema.optional(),
});

const Output = z.object({
  text: z.string().describe('The first answer; without a model, a notice saying so and what was found'),
  generated: z.boolean().describe('true only when a model wrote text'),
  model: z.string().optional(),
  via: ViaSchema.optional(),
  usage: UsageSchema.optional(),
  latency_ms: z.number().int().nonnegative().optional(),
  log_id: LogIdSchema,
});

export const respondTool = (deps: ServerDeps<ActionDB>, config: ActionConfig) =>
  defineTool({
    name: 'action_respond',
    title: 'First answer (Action phase)',
    description:
      "A short first answer to the user's message, given an optional persona prompt, recent context and " +
      'priors. Pass a progress token to receive the text as it is generated (notifications/progress, ' +
      '`message` = the text delta). Without a model it says so plainly and lists what was found ' +
      '(generated: false). A model that fails or times out gives TIMEOUT / MODEL_UNAVAILABLE.',
    input: Input,
    output: Output,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async handler(args, ctx) {
      if (!args.message.trim()) throw invalidInput('message is empty');
      const priors = args.priors ?? [];
      const conversationId = args.conversation_id ?? null;

      if (!ctx.modelAvailable) {
        const { text, citations } = noModelFirstAnswer(priors);
        const logId = await logGeneration(deps.store, ctx.logger, {
          phase: 'action',
          outcome: 'extractive',
          conversationId,
          citedIds: citations.map((c) => c.prior_id),
          output: text,
        });
        return { text, data: { text, generated: false, log_id: logId } };
      }

      const prompt = respondPrompt({ ...args, priors });
      const stream = progressStream(ctx);
      const attempt = await tryGenerate(ctx, {
        ...prompt,
        purpose: 'action',
        maxTokens: config.respondMaxTokens,
        onDelta: stream.onDelta,
      });
      await stream.flushed();
      if (!attempt.ok) {
        await logGeneration(deps.store, ctx.logger, {
          phase: 'action',
          outcome: 'failed',
          conversationId,
          reason: describeFailure(attempt.failure),
          output: '',
        });
        throw new ToolError(
          attempt.failure.code,
          attempt.failure.message,
          'The first answer is optional: the turn can go on to action_yield, which answers extractively if the model still fails.',
        );
      }
      const { result } = attempt;
      const text = result.text.trim();
      const usage = usageOf(result);
      const logId = await logGeneration(deps.store, ctx.logger, {
        phase: 'action',
        ...generatedFields(result),
        conversationId,
        output: text,
      });
      return {
        text,
        data: {
          text,
          generated: true,
          model: result.model,
          via: result.via,
          ...(usage ? { usage } : {}),
          latency_ms: result.latencyMs,
          log_id: logId,
        },
      };
    },
  });

/**
 * Sends each text delta as a progress notification, in order: onDelta is synchronous, so the
 * sends are chained, and the tool waits for the chain before it returns its result.
 */
function progressStream(ctx: ToolContext): { onDelta?: (delta: string) => void; flushed(): Promise<void> } {
  if (!ctx.hasProgressToken) return { flushed: async () => {} };
  let sent = 0;
  let chain = Promise.resolve();
  return {
    onDelta(delta) {
      if (!delta) return;
      const progress = ++sent;
      chain = chain
        .then(() => ctx.progress(progress, undefined, delta))
        .catch((err: unknown) => ctx.logger.warn({ err }, 'could not send a progress notification'));
    },
    flushed: () => chain,
  };
}
