/** reasoning_reflect: critique and improve a thought or text until a quality threshold or an iteration bound. */
import {
  defineTool,
  invalidInput,
  NO_MODEL_HINT,
  ToolError,
  type ToolContext,
  type ToolReturn,
} from '@choir/server-kit';
import { z } from 'zod';
import type { ReasoningDeps } from '../deps.js';
import { generateForMode } from '../generation.js';
import { type Invocation, tracked } from '../invocation.js';
import { ReflectAnswer, reflectSystem } from '../prompts.js';
import { reflectUntil } from '../reflection.js';
import { metadataJson, newId, nowIso } from '../store/ids.js';
import { getThought, insertSession, insertThought, nextThoughtSeq, touchSession } from '../store/sessions.js';
import { APPENDS, Content, Id, NoCache, requireSession, titleOf, Unit } from './shared.js';

export const ReflectInput = z.object({
  content: Content.optional().describe('the text to improve (or give thought_id)'),
  session_id: Id.optional(),
  thought_id: Id.optional().describe(
    'reflect on this stored thought; the improvement is stored as its child',
  ),
  max_iterations: z.number().int().min(1).max(5).default(3),
  quality_threshold: Unit.default(0.8).describe('stop once a round reaches this quality'),
  critique_focus: z.string().max(500).optional().describe('what the critique should concentrate on'),
  no_cache: NoCache,
});
export type ReflectInput = z.output<typeof ReflectInput>;

export const ReflectOutput = z.object({
  session_id: z.string(),
  /** The stored improvement. */
  thought_id: z.string(),
  /** The thought reflected on (given, or the content stored as an input thought). */
  source_thought_id: z.string(),
  critique: z.string(),
  improved: z.string(),
  quality: z.number(),
  iterations: z.number().int(),
  reached_threshold: z.boolean(),
  stop_reason: z.enum(['threshold', 'max_iterations', 'no_change']),
  rounds: z.array(z.object({ iteration: z.number().int(), quality: z.number(), critique: z.string() })),
  generated: z.boolean(),
  model: z.string().optional(),
  cached: z.boolean(),
});
export type ReflectOutput = z.infer<typeof ReflectOutput>;

export async function runReflect(
  deps: ReasoningDeps,
  ctx: ToolContext,
  invocation: Invocation,
  args: ReflectInput,
): Promise<ToolReturn<ReflectOutput>> {
  const db = deps.store.db;
  if (!args.content && !args.thought_id) throw invalidInput('give content or thought_id');
  let session = args.session_id ? await requireSession(db, args.session_id) : undefined;
  const source = args.thought_id ? await getThought(db, args.thought_id) : undefined;
  if (args.thought_id) {
    if (!source) throw new ToolError('NOT_FOUND', `thought ${args.thought_id} does not exist`);
    if (session && source.session_id !== session.id) {
      throw new ToolError('NOT_FOUND', `thought ${args.thought_id} is not in session ${session.id}`);
    }
    session ??= await requireSession(db, source.session_id);
  }
  const text = args.content ?? source!.content;
  if (!ctx.modelAvailable) {
    throw new ToolError(
      'MODEL_UNAVAILABLE',
      'reflection needs a model to critique and improve the text; nothing was stored',
      NO_MODEL_HINT,
    );
  }

  let model = '';
  let allCached = true;
  const outcome = await reflectUntil(
    text,
    async (current, iteration) => {
      await ctx.progress(iteration - 1, args.max_iterations, `reflection round ${iteration}`);
      const answer = await generateForMode(deps, ctx, invocation, {
        purpose: 'reflection',
        system: reflectSystem(args.critique_focus),
        prompt: `Text to critique and improve:\n${current}`,
        variables: { thought: current, critique_focus: args.critique_focus ?? '' },
        schema: ReflectAnswer,
        cacheInput: {},
        noCache: args.no_cache,
      });
      model = answer.model;
      allCached &&= answer.cached;
      return answer.data;
    },
    { maxIterations: args.max_iterations, qualityThreshold: args.quality_threshold },
  );
  const best = outcome.best;

  const now = nowIso();
  const sessionId = session?.id ?? newId('ses');
  invocation.sessionId = sessionId;
  const sourceId = source?.id ?? newId('th');
  const improvedId = newId('th');
  const branchId = source ? source.branch_id : (session?.active_branch_id ?? null);
  await db.transaction().execute(async (trx) => {
    if (!session) await insertSession(trx, { id: sessionId, mode: 'reflection', title: titleOf(text), now });
    let seq = await nextThoughtSeq(trx, sessionId);
    if (!source) {
      await insertThought(trx, {
        id: sourceId,
        session_id: sessionId,
        seq: seq++,
        content: text,
        confidence: null,
        mode: 'reflection',
        kind: 'input',
        parent_id: null,
        branch_id: branchId,
        status: 'active',
        generated: 0,
        model: null,
        created_at: now,
        metadata: null,
      });
    }
    await insertThought(trx, {
      id: improvedId,
      session_id: sessionId,
      seq,
      content: best.improved,
      confidence: best.quality,
      mode: 'reflection',
      kind: 'improved',
      parent_id: sourceId,
      branch_id: branchId,
      status: 'active',
      generated: 1,
      model,
      created_at: now,
      metadata: metadataJson({
        critique: best.critique,
        quality: best.quality,
        iterations: outcome.rounds.length,
        stop_reason: outcome.stop,
        critique_focus: args.critique_focus,
      }),
    });
    if (session) await touchSession(trx, sessionId, now);
  });

  const data: ReflectOutput = {
    session_id: sessionId,
    thought_id: improvedId,
    source_thought_id: sourceId,
    critique: best.critique,
    improved: best.improved,
    quality: best.quality,
    iterations: outcome.rounds.length,
    reached_threshold: best.quality >= args.quality_threshold,
    stop_reason: outcome.stop,
    rounds: outcome.rounds.map((r) => ({ iteration: r.iteration, quality: r.quality, critique: r.critique })),
    generated: true,
    model,
    cached: allCached,
  };
  return {
    text:
      `Reflection (${data.iterations} round${data.iterations === 1 ? '' : 's'}, stopped: ${outcome.stop}, ` +
      `quality ${best.quality}) by ${model}${allCached ? ' (from cache)' : ''}.\nCritique: ${best.critique}\nImproved: ${best.improved}`,
    data,
  };
}

export const reflectTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_reflect',
    title: 'Reflect: critique and improve',
    description:
      'Critiques a text (content) or a stored thought (thought_id) and rewrites it, repeating on the rewrite until ' +
      'quality_threshold or max_iterations. Stores the best rewrite as a thought. Needs a model: without one it ' +
      'returns MODEL_UNAVAILABLE and stores nothing.',
    input: ReflectInput,
    output: ReflectOutput,
    annotations: APPENDS,
    handler: tracked(deps, 'reasoning_reflect', 'reflection', (args, ctx, invocation) =>
      runReflect(deps, ctx, invocation, args),
    ),
  });
