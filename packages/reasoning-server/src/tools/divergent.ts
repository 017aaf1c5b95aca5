/** reasoning_divergent: several distinct perspectives on one problem at once, then a synthesis. */
import { defineTool, NO_MODEL_HINT, ToolError, type ToolContext, type ToolReturn } from '@choir/server-kit';
import { z } from 'zod';
import type { ReasoningDeps } from '../deps.js';
import { generateForMode } from '../generation.js';
import { type Invocation, tracked } from '../invocation.js';
import { divergentAnswer, divergentSystem } from '../prompts.js';
import { metadataJson, newId, nowIso } from '../store/ids.js';
import {
  insertSession,
  insertThought,
  lastActiveThought,
  nextThoughtSeq,
  touchSession,
} from '../store/sessions.js';
import type { NewThought } from '../store/tables.js';
import { APPENDS, Content, Id, NoCache, provenance, requireSession, titleOf, Unit } from './shared.js';

const GivenPerspective = z.object({
  label: z.string().trim().min(1).max(200).optional(),
  content: Content,
  confidence: Unit.optional(),
});

export const DivergentInput = z.object({
  content: Content.describe('the problem to look at from several sides'),
  session_id: Id.optional(),
  context: z.string().optional(),
  num_perspectives: z.number().int().min(2).max(5).default(3),
  challenge_assumptions: z.boolean().default(false).describe('also name and question the assumptions'),
  perspectives: z
    .array(GivenPerspective)
    .min(2)
    .max(5)
    .optional()
    .describe('record these perspectives as given instead of generating (works without a model)'),
  no_cache: NoCache,
});
export type DivergentInput = z.output<typeof DivergentInput>;

export const DivergentOutput = z.object({
  session_id: z.string(),
  /** The thought holding the problem; perspectives and synthesis are its children. */
  thought_id: z.string(),
  perspectives: z.array(
    z.object({
      thought_id: z.string(),
      label: z.string(),
      content: z.string(),
      confidence: z.number().nullable(),
    }),
  ),
  challenged_assumptions: z.array(z.string()),
  synthesis: z.object({ thought_id: z.string(), content: z.string() }).nullable(),
  generated: z.boolean(),
  model: z.string().optional(),
  cached: z.boolean(),
});
export type DivergentOutput = z.infer<typeof DivergentOutput>;

export async function runDivergent(
  deps: ReasoningDeps,
  ctx: ToolContext,
  invocation: Invocation,
  args: DivergentInput,
): Promise<ToolReturn<DivergentOutput>> {
  const db = deps.store.db;
  const session = args.session_id ? await requireSession(db, args.session_id) : undefined;
  const branchId = session?.active_branch_id ?? null;

  let perspectives: { label: string; content: string; confidence: number | null }[];
  let assumptions: string[] = [];
  let synthesis: string | null = null;
  let model: string | null = null;
  let cached = false;
  const generated = !args.perspectives;
  if (args.perspectives) {
    perspectives = args.perspectives.map((p, i) => ({
      label: p.label ?? `Perspective ${i + 1}`,
      content: p.content,
      confidence: p.confidence ?? null,
    }));
  } else {
    if (!ctx.modelAvailable) {
      throw new ToolError(
        'MODEL_UNAVAILABLE',
        'divergent reasoning needs a model to generate perspectives; nothing was stored',
        `${NO_MODEL_HINT} Or pass perspectives: [{ label, content }, …] to record your own.`,
      );
    }
    const answer = await generateForMode(deps, ctx, invocation, {
      purpose: 'divergent',
      system: divergentSystem(args.challenge_assumptions),
      prompt:
        `Problem:\n${args.content}\n\n` +
        (args.context ? `Context:\n${args.context}\n\n` : '') +
        `Give ${args.num_perspectives} distinct perspectives.`,
      variables: {
        prompt: args.content,
        context: args.context ?? '',
        num_paths: String(args.num_perspectives),
      },
      schema: divergentAnswer(args.num_perspectives),
      cacheInput: { challenge: args.challenge_assumptions },
      noCache: args.no_cache,
    });
    perspectives = answer.data.perspectives;
    assumptions = args.challenge_assumptions ? answer.data.challenged_assumptions : [];
    synthesis = answer.data.synthesis;
    model = answer.model;
    cached = answer.cached;
  }

  const now = nowIso();
  const sessionId = session?.id ?? newId('ses');
  invocation.sessionId = sessionId;
  const rootId = newId('th');
  const perspectiveIds = perspectives.map(() => newId('th'));
  const synthesisId = synthesis ? newId('th') : null;
  await db.transaction().execute(async (trx) => {
    if (!session)
      await insertSession(trx, { id: sessionId, mode: 'divergent', title: titleOf(args.content), now });
    let seq = await nextThoughtSeq(trx, sessionId);
    const parent = session ? await lastActiveThought(trx, sessionId, branchId) : undefined;
    const base = {
      session_id: sessionId,
      mode: 'divergent',
      branch_id: branchId,
      status: 'active' as const,
      created_at: now,
    };
    const rows: NewThought[] = [
      {
        ...base,
        id: rootId,
        seq: seq++,
        content: args.content,
        confidence: null,
        kind: 'root',
        parent_id: parent?.id ?? null,
        generated: 0,
        model: null,
        metadata: metadataJson({
          context: args.context,
          challenge_assumptions: args.challenge_assumptions || undefined,
        }),
      },
      ...perspectives.map(
        (p, i): NewThought => ({
          ...base,
          id: perspectiveIds[i]!,
          seq: seq++,
          content: p.content,
          confidence: p.confidence,
          kind: 'perspective',
          parent_id: rootId,
          generated: generated ? 1 : 0,
          model,
          metadata: metadataJson({ label: p.label }),
        }),
      ),
    ];
    if (synthesis && synthesisId) {
      rows.push({
        ...base,
        id: synthesisId,
        seq: seq++,
        content: synthesis,
        confidence: null,
        kind: 'synthesis',
        parent_id: rootId,
        generated: 1,
        model,
        metadata: metadataJson({ challenged_assumptions: assumptions.length ? assumptions : undefined }),
      });
    }
    for (const row of rows) await insertThought(trx, row);
    if (session) await touchSession(trx, sessionId, now);
  });

  const data: DivergentOutput = {
    session_id: sessionId,
    thought_id: rootId,
    perspectives: perspectives.map((p, i) => ({ thought_id: perspectiveIds[i]!, ...p })),
    challenged_assumptions: assumptions,
    synthesis: synthesis && synthesisId ? { thought_id: synthesisId, content: synthesis } : null,
    generated,
    ...(model ? { model } : {}),
    cached,
  };
  const lines = data.perspectives.map((p) => `- ${p.label}: ${p.content}`);
  if (assumptions.length) lines.push(`Challenged assumptions: ${assumptions.join('; ')}`);
  if (synthesis) lines.push(`Synthesis: ${synthesis}`);
  return {
    text: `${perspectives.length} perspectives, ${provenance(generated, model, cached)}:\n${lines.join('\n')}`,
    data,
  };
}

export const divergentTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_divergent',
    title: 'Divergent perspectives',
    description:
      'Looks at a problem from several distinct perspectives at once (optionally challenging its assumptions) and ' +
      'synthesises them. With a model they are generated; without one, pass perspectives to record your own ' +
      '(generated: false), else MODEL_UNAVAILABLE.',
    input: DivergentInput,
    output: DivergentOutput,
    annotations: APPENDS,
    handler: tracked(deps, 'reasoning_divergent', 'divergent', (args, ctx, invocation) =>
      runDivergent(deps, ctx, invocation, args),
    ),
  });
