/** reasoning_linear: the next step of a session's chain of thought. */
import { defineTool, invalidInput, type ToolContext, type ToolReturn } from '@choir/server-kit';
import { z } from 'zod';
import type { ReasoningDeps } from '../deps.js';
import { generateForMode } from '../generation.js';
import { type Invocation, tracked } from '../invocation.js';
import { LINEAR_SYSTEM, LinearAnswer, numbered } from '../prompts.js';
import { metadataJson, newId, nowIso } from '../store/ids.js';
import {
  insertSession,
  insertThought,
  lastActiveThought,
  nextThoughtSeq,
  recentThoughts,
  touchSession,
} from '../store/sessions.js';
import {
  APPENDS,
  Content,
  Id,
  NoCache,
  provenance,
  requireActiveBranch,
  requireBranch,
  requireSession,
  titleOf,
  Unit,
} from './shared.js';

/** How many earlier thoughts a model sees when it writes the next one. */
export const HISTORY_WINDOW = 12;
/** Confidence of a recorded thought when the caller gives none: neutral, and reported as a default. */
export const DEFAULT_RECORDED_CONFIDENCE = 0.5;

export const LinearInput = z.object({
  content: Content.describe(
    'with a model: the problem or instruction for the next step; without one (or with record_only): the thought itself',
  ),
  session_id: Id.optional().describe('continue this session; omit to start a new one'),
  branch_id: Id.optional().describe(
    "append to this branch (default: the session's focused branch, else the trunk)",
  ),
  context: z.string().optional().describe('background the model should take into account'),
  confidence: Unit.optional().describe('your confidence in a recorded thought, 0..1'),
  record_only: z
    .boolean()
    .optional()
    .describe('record content as the thought even when a model is available (nothing is generated)'),
  no_cache: NoCache,
  thought_number: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('sequential-thinking compatibility; echoed back'),
  total_thoughts: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('sequential-thinking compatibility; echoed back'),
  next_thought_needed: z.boolean().optional().describe('sequential-thinking compatibility; echoed back'),
});
export type LinearInput = z.output<typeof LinearInput>;

export const LinearOutput = z.object({
  session_id: z.string(),
  thought_id: z.string(),
  thought: z.string(),
  confidence: z.number(),
  /** model: the model's; caller: the confidence argument; default: DEFAULT_RECORDED_CONFIDENCE. */
  confidence_source: z.enum(['model', 'caller', 'default']),
  generated: z.boolean(),
  model: z.string().optional(),
  cached: z.boolean(),
  seq: z.number().int(),
  parent_id: z.string().nullable(),
  branch_id: z.string().nullable(),
  next_thought_needed: z.boolean().optional(),
  thought_number: z.number().int().optional(),
  total_thoughts: z.number().int().optional(),
});
export type LinearOutput = z.infer<typeof LinearOutput>;

export async function runLinear(
  deps: ReasoningDeps,
  ctx: ToolContext,
  invocation: Invocation,
  args: LinearInput,
): Promise<ToolReturn<LinearOutput>> {
  const db = deps.store.db;
  const session = args.session_id ? await requireSession(db, args.session_id) : undefined;
  let branchId: string | null = session?.active_branch_id ?? null;
  if (args.branch_id) {
    if (!session) throw invalidInput('branch_id needs a session_id');
    const branch = await requireBranch(db, session.id, args.branch_id);
    requireActiveBranch(branch);
    branchId = branch.id;
  }

  const generate = ctx.modelAvailable && !args.record_only;
  let thought = args.content;
  let confidence = args.confidence ?? DEFAULT_RECORDED_CONFIDENCE;
  let confidenceSource: LinearOutput['confidence_source'] =
    args.confidence === undefined ? 'default' : 'caller';
  let model: string | null = null;
  let cached = false;
  let nextNeeded = args.next_thought_needed;
  if (generate) {
    const history = session ? await recentThoughts(db, session.id, branchId, HISTORY_WINDOW) : [];
    const historyText = history.length ? numbered(history.map((t) => t.content)) : '(none yet)';
    const answer = await generateForMode(deps, ctx, invocation, {
      purpose: 'linear',
      system: LINEAR_SYSTEM,
      prompt:
        `Problem:\n${args.content}\n\n` +
        (args.context ? `Context:\n${args.context}\n\n` : '') +
        `Reasoning so far:\n${historyText}\n\nWrite the next step.`,
      variables: { prompt: args.content, context: args.context ?? '', history: historyText },
      schema: LinearAnswer,
      cacheInput: { history: history.map((t) => t.id) },
      noCache: args.no_cache,
    });
    thought = answer.data.thought;
    confidence = answer.data.confidence;
    confidenceSource = 'model';
    model = answer.model;
    cached = answer.cached;
    nextNeeded = answer.data.next_thought_needed;
  }

  const now = nowIso();
  const thoughtId = newId('th');
  const sessionId = session?.id ?? newId('ses');
  invocation.sessionId = sessionId;
  const { seq, parentId } = await db.transaction().execute(async (trx) => {
    if (!session)
      await insertSession(trx, { id: sessionId, mode: 'linear', title: titleOf(args.content), now });
    const seq = await nextThoughtSeq(trx, sessionId);
    const parent = session ? await lastActiveThought(trx, sessionId, branchId) : undefined;
    await insertThought(trx, {
      id: thoughtId,
      session_id: sessionId,
      seq,
      content: thought,
      confidence,
      mode: 'linear',
      kind: 'step',
      parent_id: parent?.id ?? null,
      branch_id: branchId,
      status: 'active',
      generated: generate ? 1 : 0,
      model,
      created_at: now,
      metadata: metadataJson({
        prompt: generate ? args.content : undefined,
        context: args.context,
        cached: cached || undefined,
        thought_number: args.thought_number,
        total_thoughts: args.total_thoughts,
        next_thought_needed: nextNeeded,
      }),
    });
    if (session) await touchSession(trx, sessionId, now);
    return { seq, parentId: parent?.id ?? null };
  });

  const data: LinearOutput = {
    session_id: sessionId,
    thought_id: thoughtId,
    thought,
    confidence,
    confidence_source: confidenceSource,
    generated: generate,
    ...(model ? { model } : {}),
    cached,
    seq,
    parent_id: parentId,
    branch_id: branchId,
    ...(nextNeeded !== undefined ? { next_thought_needed: nextNeeded } : {}),
    ...(args.thought_number !== undefined ? { thought_number: args.thought_number } : {}),
    ...(args.total_thoughts !== undefined ? { total_thoughts: args.total_thoughts } : {}),
  };
  return {
    text: `Thought ${seq} in session ${sessionId}, ${provenance(generate, model, cached)}, confidence ${confidence}:\n${thought}`,
    data,
  };
}

export const linearTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_linear',
    title: 'Linear reasoning step',
    description:
      'Adds the next step to a reasoning session (a new session when session_id is omitted). With a model ' +
      '(client sampling or a configured provider) the step is generated from content and the session history; ' +
      'without one, content is recorded as the thought (generated: false), like sequential-thinking.',
    input: LinearInput,
    output: LinearOutput,
    annotations: APPENDS,
    handler: tracked(deps, 'reasoning_linear', 'linear', (args, ctx, invocation) =>
      runLinear(deps, ctx, invocation, args),
    ),
  });
