/**
 * The tree family: reasoning_tree (2–4 branches from one thought, with cross-references),
 * reasoning_tree_focus, reasoning_tree_list and reasoning_tree_complete.
 */
import {
  defineTool,
  invalidInput,
  NO_MODEL_HINT,
  ToolError,
  type ToolContext,
  type ToolReturn,
} from '@choir/server-kit';
import { z } from 'zod';
import { pageOf } from '../cursor.js';
import type { ReasoningDeps } from '../deps.js';
import { generateForMode } from '../generation.js';
import { type Invocation, tracked } from '../invocation.js';
import { numbered, TREE_SYSTEM, treeAnswer } from '../prompts.js';
import {
  type BranchSummary,
  crossRefsFor,
  insertBranch,
  insertCrossRef,
  listBranches,
  setBranchStatus,
} from '../store/branches.js';
import { metadataJson, newId, nowIso } from '../store/ids.js';
import {
  insertSession,
  insertThought,
  lastActiveThought,
  nextThoughtSeq,
  recentThoughts,
  setActiveBranch,
  touchSession,
} from '../store/sessions.js';
import { CROSS_REF_TYPES, type CrossRefRow, type CrossRefType } from '../store/tables.js';
import {
  APPENDS,
  Content,
  Cursor,
  Id,
  Limit,
  NoCache,
  offsetOf,
  provenance,
  READS,
  requireActiveBranch,
  requireBranch,
  requireSession,
  ThoughtOut,
  thoughtOut,
  titleOf,
  Unit,
} from './shared.js';

const CrossRefIn = z.object({
  from: z.number().int().min(0).max(3).describe('index into branches'),
  to: z.number().int().min(0).max(3),
  type: z.enum(CROSS_REF_TYPES),
  reason: z.string().max(2000).optional(),
  strength: Unit.optional(),
});

export const TreeInput = z.object({
  content: Content.describe('the thought or question to branch from'),
  session_id: Id.optional(),
  branch_id: Id.optional().describe(
    "grow from this branch (default: the session's focused branch, else the trunk)",
  ),
  context: z.string().optional(),
  num_branches: z.number().int().min(2).max(4).default(3),
  branches: z
    .array(
      z.object({
        content: Content,
        name: z.string().trim().min(1).max(200).optional(),
        confidence: Unit.optional(),
      }),
    )
    .min(2)
    .max(4)
    .optional()
    .describe('record these branches as given instead of generating (works without a model)'),
  cross_refs: z
    .array(CrossRefIn)
    .max(12)
    .optional()
    .describe('with branches: relations between them, by index'),
  no_cache: NoCache,
});
export type TreeInput = z.output<typeof TreeInput>;

const CrossRefOut = z.object({
  cross_ref_id: z.string(),
  from_branch_id: z.string(),
  to_branch_id: z.string(),
  type: z.enum(CROSS_REF_TYPES),
  reason: z.string().nullable(),
  strength: z.number().nullable(),
});

function crossRefOut(row: CrossRefRow): z.infer<typeof CrossRefOut> {
  return {
    cross_ref_id: row.id,
    from_branch_id: row.from_branch_id,
    to_branch_id: row.to_branch_id,
    type: row.ref_type,
    reason: row.reason,
    strength: row.strength,
  };
}

export const TreeOutput = z.object({
  session_id: z.string(),
  /** The thought the branches grow from. */
  thought_id: z.string(),
  parent_branch_id: z.string().nullable(),
  branches: z.array(
    z.object({
      branch_id: z.string(),
      name: z.string(),
      thought_id: z.string(),
      content: z.string(),
      confidence: z.number().nullable(),
      rationale: z.string().nullable(),
    }),
  ),
  cross_refs: z.array(CrossRefOut),
  recommended_branch_id: z.string().nullable(),
  generated: z.boolean(),
  model: z.string().optional(),
  cached: z.boolean(),
});
export type TreeOutput = z.infer<typeof TreeOutput>;

interface PlannedBranch {
  name: string;
  content: string;
  confidence: number | null;
  rationale: string | null;
}
interface PlannedRef {
  from: number;
  to: number;
  type: CrossRefType;
  reason: string | null;
  strength: number | null;
}

export async function runTree(
  deps: ReasoningDeps,
  ctx: ToolContext,
  invocation: Invocation,
  args: TreeInput,
): Promise<ToolReturn<TreeOutput>> {
  const db = deps.store.db;
  const session = args.session_id ? await requireSession(db, args.session_id) : undefined;
  let parentBranchId = session?.active_branch_id ?? null;
  if (args.branch_id) {
    if (!session) throw invalidInput('branch_id needs a session_id');
    const branch = await requireBranch(db, session.id, args.branch_id);
    requireActiveBranch(branch);
    parentBranchId = branch.id;
  }
  if (args.cross_refs && !args.branches)
    throw invalidInput('cross_refs can only accompany branches you supply');
  for (const ref of args.cross_refs ?? []) {
    const count = args.branches!.length;
    if (ref.from >= count || ref.to >= count || ref.from === ref.to) {
      throw invalidInput(
        `cross_refs: ${ref.from} → ${ref.to} must join two different branches among 0..${count - 1}`,
      );
    }
  }

  let planned: PlannedBranch[];
  let refs: PlannedRef[] = [];
  let recommended: number | null = null;
  let model: string | null = null;
  let cached = false;
  const generated = !args.branches;
  if (args.branches) {
    planned = args.branches.map((b) => ({
      name: b.name ?? titleOf(b.content),
      content: b.content,
      confidence: b.confidence ?? null,
      rationale: null,
    }));
    refs = (args.cross_refs ?? []).map((r) => ({
      from: r.from,
      to: r.to,
      type: r.type,
      reason: r.reason ?? null,
      strength: r.strength ?? null,
    }));
  } else {
    if (!ctx.modelAvailable) {
      throw new ToolError(
        'MODEL_UNAVAILABLE',
        'tree reasoning needs a model to generate branches; nothing was stored',
        `${NO_MODEL_HINT} Or pass branches: [{ content }, …] (2–4) to record your own.`,
      );
    }
    const history = session ? await recentThoughts(db, session.id, parentBranchId, 6) : [];
    const branchContext = history.length ? numbered(history.map((t) => t.content)) : '';
    const answer = await generateForMode(deps, ctx, invocation, {
      purpose: 'tree',
      system: TREE_SYSTEM,
      prompt:
        `Thought to branch from:\n${args.content}\n\n` +
        (args.context ? `Context:\n${args.context}\n\n` : '') +
        (branchContext ? `Reasoning on this branch so far:\n${branchContext}\n\n` : '') +
        `Propose ${args.num_branches} branches.`,
      variables: { prompt: args.content, context: args.context ?? '', branch_context: branchContext },
      schema: treeAnswer(args.num_branches),
      cacheInput: { history: history.map((t) => t.id) },
      noCache: args.no_cache,
    });
    planned = answer.data.branches.map((b) => ({
      name: titleOf(b.content),
      content: b.content,
      confidence: b.confidence,
      rationale: b.rationale || null,
    }));
    refs = answer.data.cross_refs.map((r) => ({ ...r, reason: r.reason || null }));
    recommended = answer.data.recommended;
    model = answer.model;
    cached = answer.cached;
  }

  const now = nowIso();
  const sessionId = session?.id ?? newId('ses');
  invocation.sessionId = sessionId;
  const rootId = newId('th');
  const branchIds = planned.map(() => newId('br'));
  const thoughtIds = planned.map(() => newId('th'));
  const refRows: CrossRefRow[] = refs.map((r) => ({
    id: newId('xr'),
    session_id: sessionId,
    from_branch_id: branchIds[r.from]!,
    to_branch_id: branchIds[r.to]!,
    ref_type: r.type,
    reason: r.reason,
    strength: r.strength,
    created_at: now,
  }));
  await db.transaction().execute(async (trx) => {
    if (!session)
      await insertSession(trx, { id: sessionId, mode: 'tree', title: titleOf(args.content), now });
    let seq = await nextThoughtSeq(trx, sessionId);
    const parent = session ? await lastActiveThought(trx, sessionId, parentBranchId) : undefined;
    await insertThought(trx, {
      id: rootId,
      session_id: sessionId,
      seq: seq++,
      content: args.content,
      confidence: null,
      mode: 'tree',
      kind: 'root',
      parent_id: parent?.id ?? null,
      branch_id: parentBranchId,
      status: 'active',
      generated: 0,
      model: null,
      created_at: now,
      metadata: metadataJson({ context: args.context }),
    });
    for (const [i, branch] of planned.entries()) {
      await insertBranch(trx, {
        id: branchIds[i]!,
        session_id: sessionId,
        name: branch.name,
        parent_branch_id: parentBranchId,
        origin_thought_id: rootId,
        status: 'active',
        confidence: branch.confidence,
        summary: null,
        created_at: now,
        updated_at: now,
        metadata: metadataJson({
          rationale: branch.rationale ?? undefined,
          recommended: recommended === i || undefined,
        }),
      });
      await insertThought(trx, {
        id: thoughtIds[i]!,
        session_id: sessionId,
        seq: seq++,
        content: branch.content,
        confidence: branch.confidence,
        mode: 'tree',
        kind: 'branch',
        parent_id: rootId,
        branch_id: branchIds[i]!,
        status: 'active',
        generated: generated ? 1 : 0,
        model,
        created_at: now,
        metadata: null,
      });
    }
    for (const row of refRows) await insertCrossRef(trx, row);
    if (session) await touchSession(trx, sessionId, now);
  });

  const data: TreeOutput = {
    session_id: sessionId,
    thought_id: rootId,
    parent_branch_id: parentBranchId,
    branches: planned.map((b, i) => ({ branch_id: branchIds[i]!, thought_id: thoughtIds[i]!, ...b })),
    cross_refs: refRows.map(crossRefOut),
    recommended_branch_id: recommended === null ? null : branchIds[recommended]!,
    generated,
    ...(model ? { model } : {}),
    cached,
  };
  const lines = data.branches.map(
    (b, i) =>
      `${i + 1}. ${b.branch_id}${b.branch_id === data.recommended_branch_id ? ' (recommended)' : ''}: ${b.content}`,
  );
  for (const ref of data.cross_refs) lines.push(`   ${ref.from_branch_id} ${ref.type} ${ref.to_branch_id}`);
  return {
    text: `${planned.length} branches in session ${sessionId}, ${provenance(generated, model, cached)}:\n${lines.join('\n')}`,
    data,
  };
}

export const treeTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_tree',
    title: 'Branch the reasoning',
    description:
      'Grows 2–4 branches from a thought (in a session, from its focused branch or branch_id), with cross-references ' +
      'between them and a recommended branch. With a model they are generated; without one, pass branches to record ' +
      'your own (generated: false), else MODEL_UNAVAILABLE. Continue a branch with reasoning_tree_focus + reasoning_linear.',
    input: TreeInput,
    output: TreeOutput,
    annotations: APPENDS,
    handler: tracked(deps, 'reasoning_tree', 'tree', (args, ctx, invocation) =>
      runTree(deps, ctx, invocation, args),
    ),
  });

const BranchOut = z.object({
  branch_id: z.string(),
  name: z.string().nullable(),
  parent_branch_id: z.string().nullable(),
  origin_thought_id: z.string().nullable(),
  status: z.enum(['active', 'completed', 'abandoned']),
  confidence: z.number().nullable(),
  summary: z.string().nullable(),
  thought_count: z.number().int(),
  created_at: z.string(),
});

function branchOut(row: BranchSummary): z.infer<typeof BranchOut> {
  return {
    branch_id: row.id,
    name: row.name,
    parent_branch_id: row.parent_branch_id,
    origin_thought_id: row.origin_thought_id,
    status: row.status,
    confidence: row.confidence,
    summary: row.summary,
    thought_count: row.thought_count,
    created_at: row.created_at,
  };
}

export const treeFocusTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_tree_focus',
    title: 'Focus a branch',
    description:
      "Makes a branch the session's focus: reasoning_linear and reasoning_tree then continue on it by default. " +
      'branch_id null returns the focus to the trunk.',
    input: z.object({ session_id: Id, branch_id: Id.nullable() }),
    output: z.object({
      session_id: z.string(),
      active_branch_id: z.string().nullable(),
      last_thought: ThoughtOut.nullable(),
    }),
    annotations: { ...APPENDS, idempotentHint: true },
    async handler(args) {
      const db = deps.store.db;
      const session = await requireSession(db, args.session_id);
      if (args.branch_id !== null) requireActiveBranch(await requireBranch(db, session.id, args.branch_id));
      await setActiveBranch(db, session.id, args.branch_id, nowIso());
      const last = await lastActiveThought(db, session.id, args.branch_id);
      return {
        text: `Session ${session.id} now continues on ${args.branch_id ?? 'the trunk'}${last ? `, after: ${last.content}` : ''}.`,
        data: {
          session_id: session.id,
          active_branch_id: args.branch_id,
          last_thought: last ? thoughtOut(last) : null,
        },
      };
    },
  });

export const treeListTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_tree_list',
    title: 'List branches',
    description:
      "A session's branches in creation order, with the cross-references that touch them, a page at a time.",
    input: z.object({
      session_id: Id,
      status: z.enum(['active', 'completed', 'abandoned']).optional(),
      cursor: Cursor,
      limit: Limit(20, 100),
    }),
    output: z.object({
      session_id: z.string(),
      active_branch_id: z.string().nullable(),
      branches: z.array(BranchOut),
      cross_refs: z.array(CrossRefOut),
      next_cursor: z.string().nullable(),
    }),
    annotations: READS,
    async handler(args) {
      const db = deps.store.db;
      const offset = offsetOf(args.cursor);
      const session = await requireSession(db, args.session_id);
      const rows = await listBranches(db, session.id, { status: args.status, offset, limit: args.limit + 1 });
      const page = pageOf(rows, offset, args.limit);
      const refs = await crossRefsFor(
        db,
        page.items.map((b) => b.id),
      );
      const branches = page.items.map(branchOut);
      const lines = branches.map(
        (b) =>
          `${b.branch_id}${b.branch_id === session.active_branch_id ? ' (focused)' : ''} [${b.status}] ${b.thought_count} thoughts — ${b.name ?? ''}`,
      );
      return {
        text: branches.length ? lines.join('\n') : `Session ${session.id} has no branches.`,
        data: {
          session_id: session.id,
          active_branch_id: session.active_branch_id,
          branches,
          cross_refs: refs.map(crossRefOut),
          next_cursor: page.next_cursor,
        },
      };
    },
  });

export const treeCompleteTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_tree_complete',
    title: 'Complete a branch',
    description:
      'Closes an active branch as completed (explored to its end) or abandoned (a dead end), with an optional ' +
      'summary. If it was the focus, the focus moves to its parent branch when that is active, else the trunk.',
    input: z.object({
      session_id: Id,
      branch_id: Id,
      status: z.enum(['completed', 'abandoned']).default('completed'),
      summary: z.string().max(10_000).optional(),
    }),
    output: z.object({
      session_id: z.string(),
      branch_id: z.string(),
      status: z.enum(['completed', 'abandoned']),
      active_branch_id: z.string().nullable(),
    }),
    annotations: APPENDS,
    async handler(args) {
      const db = deps.store.db;
      const session = await requireSession(db, args.session_id);
      const branch = await requireBranch(db, session.id, args.branch_id);
      requireActiveBranch(branch);
      let active = session.active_branch_id;
      if (active === branch.id) {
        const parent = branch.parent_branch_id
          ? await requireBranch(db, session.id, branch.parent_branch_id)
          : null;
        active = parent?.status === 'active' ? parent.id : null;
      }
      const now = nowIso();
      await db.transaction().execute(async (trx) => {
        await setBranchStatus(trx, branch.id, args.status, now, args.summary ?? null);
        await setActiveBranch(trx, session.id, active, now);
      });
      return {
        text: `Branch ${branch.id} ${args.status}; session ${session.id} now continues on ${active ?? 'the trunk'}.`,
        data: { session_id: session.id, branch_id: branch.id, status: args.status, active_branch_id: active },
      };
    },
  });
