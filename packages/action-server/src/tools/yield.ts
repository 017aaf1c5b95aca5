/**
 * action_yield — the Yield phase: the final answer, citing priors by id, and whether another
 * cycle should follow. The turn must always end with an answer, so a model that fails here
 * does not make the call fail: the answer becomes extractive, `generated: false`, and
 * `degraded_reason` says what went wrong.
 */
import { Citation, Prior } from '@choir/contracts';
import { defineTool, invalidInput, type ServerDeps } from '@choir/server-kit';
import { z } from 'zod';
import { parseCitations } from '../citations.js';
import type { ActionConfig } from '../config.js';
import { decideNextCycle, readContinueLine } from '../decision.js';
import {
  degradedYieldHeader,
  extractiveAnswer,
  NO_MODEL_YIELD_HEADER,
  NOTHING_FOUND,
} from '../extractive.js';
import { generatedFields, logGeneration } from '../log-writer.js';
import { describeFailure, tryGenerate, usageOf } from '../model-call.js';
import { yieldPrompt } from '../prompts.js';
import { ConversationIdSchema, LogIdSchema, PhaseNoteSchema, UsageSchema, ViaSchema } from '../schemas.js';
import type { ActionDB } from '../store.js';

export const MAX_CYCLES_LIMIT = 20;

const Input = z.object({
  message: z.string().describe("The user's message"),
  first_answer: z.string().optional().describe("The Action phase's text"),
  priors: z.array(Prior).describe('Passages the answer may cite, with unique ids (the best 12 are shown)'),
  intent: PhaseNoteSchema.optional().describe('Intention phase output'),
  observations: PhaseNoteSchema.optional().describe('Observation phase output'),
  understanding: PhaseNoteSchema.optional().describe('Understanding phase output'),
  persona_prompt: z.string().optional(),
  cycle: z.number().int().min(1).describe('This cycle, counting from 1'),
  max_cycles: z.number().int().min(1).max(MAX_CYCLES_LIMIT),
  conversation_id: ConversationIdSchema.optional(),
});

const Output = z.object({
  answer: z.string(),
  citations: z.array(Citation).describe('Only ids among the priors given, in order of first citation'),
  dropped_citations: z.array(z.string()).describe('Ids the model cited that are not among the priors'),
  should_continue: z.boolean(),
  next_phase: z.enum(['action']).nullable(),
  generated: z.boolean().describe('false: extractive answer (no model, or the model failed)'),
  model: z.string().optional(),
  via: ViaSchema.optional(),
  usage: UsageSchema.optional(),
  latency_ms: z.number().int().nonnegative().optional(),
  degraded_reason: z
    .string()
    .optional()
    .describe('Set when a model was available but failed; the answer is then extractive'),
  continue_reason: z
    .string()
    .optional()
    .describe("The model's reason for another cycle, or why its request was overruled"),
  log_id: LogIdSchema,
});
type Output = z.input<typeof Output>;

export const yieldTool = (deps: ServerDeps<ActionDB>, config: ActionConfig) =>
  defineTool({
    name: 'action_yield',
    title: 'Final answer with citations (Yield phase)',
    description:
      "The final answer to the user's message from the first answer, the priors and the other phases' " +
      'outputs. The model cites priors as [id]; citations are checked against the priors given and ' +
      'unknown ids are dropped (reported in dropped_citations, removed from the answer). Returns ' +
      'should_continue / next_phase for another cycle, never past max_cycles. Always answers: without ' +
      'a model, or when the model fails, the answer quotes the best priors (generated: false).',
    input: Input,
    output: Output,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async handler(args, ctx) {
      if (!args.message.trim()) throw invalidInput('message is empty');
      if (args.cycle > args.max_cycles) {
        throw invalidInput(`cycle ${args.cycle} is past max_cycles ${args.max_cycles}`);
      }
      const duplicate = firstDuplicate(args.priors.map((p) => p.id));
      if (duplicate) throw invalidInput(`prior id ${duplicate} appears more than once`);
      const conversationId = args.conversation_id ?? null;
      const base = { phase: 'yield' as const, conversationId, cycle: args.cycle };

      const extractive = async (header: string, degradedReason?: string, dropped: string[] = []) => {
        const { text, citations } = extractiveAnswer(header, args.priors, NOTHING_FOUND);
        const logId = await logGeneration(deps.store, ctx.logger, {
          ...base,
          outcome: degradedReason ? 'degraded' : 'extractive',
          citedIds: citations.map((c) => c.prior_id),
          droppedIds: dropped,
          shouldContinue: false,
          reason: degradedReason ?? null,
          output: text,
        });
        const data: Output = {
          answer: text,
          citations,
          dropped_citations: dropped,
          should_continue: false,
          next_phase: null,
          generated: false,
          ...(degradedReason ? { degraded_reason: degradedReason } : {}),
          log_id: logId,
        };
        return { text, data };
      };

      if (!ctx.modelAvailable) return extractive(NO_MODEL_YIELD_HEADER);

      const attempt = await tryGenerate(ctx, {
        ...yieldPrompt(args),
        purpose: 'yield',
        maxTokens: config.yieldMaxTokens,
      });
      if (!attempt.ok) {
        const reason = describeFailure(attempt.failure);
        return extractive(degradedYieldHeader(reason), reason);
      }
      const { result } = attempt;
      const line = readContinueLine(result.text);
      const parsed = parseCitations(
        line.text,
        args.priors.map((p) => p.id),
      );
      if (!parsed.text) {
        const reason =
          'MODEL_UNAVAILABLE: the model gave no answer besides its CONTINUE line and unknown citations';
        return extractive(degradedYieldHeader(reason), reason, parsed.dropped);
      }
      const decision = decideNextCycle(line.requested, args.cycle, args.max_cycles);
      const continueReason = decision.overruled ?? (decision.should_continue ? line.reason : undefined);
      const usage = usageOf(result);
      const logId = await logGeneration(deps.store, ctx.logger, {
        ...base,
        ...generatedFields(result),
        citedIds: parsed.citations.map((c) => c.prior_id),
        droppedIds: parsed.dropped,
        shouldContinue: decision.should_continue,
        output: parsed.text,
      });
      const data: Output = {
        answer: parsed.text,
        citations: parsed.citations,
        dropped_citations: parsed.dropped,
        should_continue: decision.should_continue,
        next_phase: decision.next_phase,
        generated: true,
        model: result.model,
        via: result.via,
        ...(usage ? { usage } : {}),
        latency_ms: result.latencyMs,
        ...(continueReason ? { continue_reason: continueReason } : {}),
        log_id: logId,
      };
      return { text: forPeople(parsed.text, parsed.dropped), data };
    },
  });

function firstDuplicate(ids: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}

/** The answer, plus a note a person reading the raw tool result would want. */
function forPeople(answer: string, dropped: readonly string[]): string {
  if (dropped.length === 0) return answer;
  return `${answer}\n\n(Removed citations of ids that are not among the priors: ${dropped.join(', ')}.)`;
}
