/** reasoning_checkpoint_create, reasoning_checkpoint_list and reasoning_backtrack: snapshots kept in the database. */
import { conflict, defineTool, notFound } from '@choir/server-kit';
import { z } from 'zod';
import { pageOf } from '../cursor.js';
import type { ReasoningDeps } from '../deps.js';
import { tracked } from '../invocation.js';
import {
  captureSnapshot,
  checkpointByName,
  getCheckpoint,
  insertCheckpoint,
  listCheckpoints,
  readSnapshot,
  restoreSnapshot,
} from '../store/checkpoints.js';
import { metadataJson, newId, nowIso } from '../store/ids.js';
import { getThought, insertThought, nextThoughtSeq } from '../store/sessions.js';
import type { CheckpointRow } from '../store/tables.js';
import {
  APPENDS,
  Content,
  Cursor,
  Id,
  Limit,
  offsetOf,
  READS,
  requireSession,
  ThoughtOut,
  thoughtOut,
  Unit,
} from './shared.js';

const CheckpointOut = z.object({
  checkpoint_id: z.string(),
  session_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  branch_id: z.string().nullable(),
  /** Thoughts with a higher seq were written after the checkpoint. */
  last_seq: z.number().int(),
  last_thought_id: z.string().nullable(),
  branch_count: z.number().int(),
  node_count: z.number().int(),
  created_at: z.string(),
});

function checkpointOut(row: CheckpointRow): z.infer<typeof CheckpointOut> {
  const snapshot = readSnapshot(row);
  return {
    checkpoint_id: row.id,
    session_id: row.session_id,
    name: row.name,
    description: row.description,
    branch_id: row.branch_id,
    last_seq: snapshot.last_seq,
    last_thought_id: snapshot.last_thought_id,
    branch_count: snapshot.branches.length,
    node_count: snapshot.graph.nodes.length,
    created_at: row.created_at,
  };
}

export const checkpointCreateTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_checkpoint_create',
    title: 'Create a checkpoint',
    description:
      "Saves the session's current state (thoughts, branch states, focus, graph nodes) as a named checkpoint in " +
      'the database, to return to with reasoning_backtrack. Names are unique per session.',
    input: z.object({
      session_id: Id,
      name: z.string().trim().min(1).max(200),
      description: z.string().max(2000).optional(),
    }),
    output: CheckpointOut,
    annotations: APPENDS,
    async handler(args) {
      const db = deps.store.db;
      const session = await requireSession(db, args.session_id);
      if (await checkpointByName(db, session.id, args.name)) {
        throw conflict(
          `session ${session.id} already has a checkpoint named "${args.name}"`,
          'choose another name',
        );
      }
      const id = newId('cp');
      const now = nowIso();
      const row = await db.transaction().execute(async (trx) => {
        const snapshot = await captureSnapshot(trx, session.id, session.active_branch_id);
        const row: CheckpointRow = {
          id,
          session_id: session.id,
          branch_id: session.active_branch_id,
          name: args.name,
          description: args.description ?? null,
          snapshot: JSON.stringify(snapshot),
          created_at: now,
        };
        await insertCheckpoint(trx, row);
        return row;
      });
      const data = checkpointOut(row);
      return {
        text: `Checkpoint "${data.name}" (${data.checkpoint_id}) saved at thought ${data.last_seq} of session ${session.id}.`,
        data,
      };
    },
  });

export const checkpointListTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_checkpoint_list',
    title: 'List checkpoints',
    description: "A session's checkpoints, oldest first, a page at a time.",
    input: z.object({ session_id: Id, cursor: Cursor, limit: Limit(20, 100) }),
    output: z.object({
      session_id: z.string(),
      checkpoints: z.array(CheckpointOut),
      next_cursor: z.string().nullable(),
    }),
    annotations: READS,
    async handler(args) {
      const db = deps.store.db;
      const offset = offsetOf(args.cursor);
      const session = await requireSession(db, args.session_id);
      const rows = await listCheckpoints(db, session.id, { offset, limit: args.limit + 1 });
      const page = pageOf(rows, offset, args.limit);
      const checkpoints = page.items.map(checkpointOut);
      return {
        text: checkpoints.length
          ? checkpoints
              .map((c) => `${c.checkpoint_id} "${c.name}" at thought ${c.last_seq} (${c.created_at})`)
              .join('\n')
          : `Session ${session.id} has no checkpoints.`,
        data: { session_id: session.id, checkpoints, next_cursor: page.next_cursor },
      };
    },
  });

export const BacktrackOutput = z.object({
  session_id: z.string(),
  checkpoint_id: z.string(),
  name: z.string(),
  /** The thought the session continues from. */
  last_thought_id: z.string().nullable(),
  active_branch_id: z.string().nullable(),
  abandoned_thought_count: z.number().int(),
  reactivated_thought_count: z.number().int(),
  changed_branch_count: z.number().int(),
  changed_node_count: z.number().int(),
  new_thought: ThoughtOut.nullable(),
});

export const backtrackTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_backtrack',
    title: 'Backtrack to a checkpoint',
    description:
      'Returns a session to a checkpoint: thoughts written after it are kept but marked abandoned, branches created ' +
      'after it are abandoned, graph nodes created after it are pruned, and branch states, focus and node scores ' +
      'return to what they were. Optional content is recorded as the next thought from there (as given, not ' +
      'generated). Nothing is deleted.',
    input: z.object({
      checkpoint_id: Id,
      session_id: Id.optional().describe('if given, the checkpoint must belong to this session'),
      content: Content.optional().describe('a new thought to continue with from the checkpoint'),
      confidence: Unit.optional(),
    }),
    output: BacktrackOutput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    handler: tracked(deps, 'reasoning_backtrack', 'backtracking', async (args, _ctx, invocation) => {
      const db = deps.store.db;
      const checkpoint = await getCheckpoint(db, args.checkpoint_id);
      if (!checkpoint || (args.session_id && checkpoint.session_id !== args.session_id)) {
        throw notFound(
          `checkpoint ${args.checkpoint_id} does not exist${args.session_id ? ` in session ${args.session_id}` : ''}`,
          'reasoning_checkpoint_list shows the checkpoints',
        );
      }
      const snapshot = readSnapshot(checkpoint);
      invocation.sessionId = checkpoint.session_id;
      const now = nowIso();
      const { counts, newThought } = await db.transaction().execute(async (trx) => {
        const counts = await restoreSnapshot(trx, checkpoint.session_id, snapshot, now);
        if (!args.content) return { counts, newThought: null };
        const id = newId('th');
        await insertThought(trx, {
          id,
          session_id: checkpoint.session_id,
          seq: await nextThoughtSeq(trx, checkpoint.session_id),
          content: args.content,
          confidence: args.confidence ?? null,
          mode: 'backtracking',
          kind: 'backtrack',
          parent_id: snapshot.last_thought_id,
          branch_id: snapshot.active_branch_id,
          status: 'active',
          generated: 0,
          model: null,
          created_at: now,
          metadata: metadataJson({ checkpoint_id: checkpoint.id }),
        });
        return { counts, newThought: (await getThought(trx, id)) ?? null };
      });
      const data: z.infer<typeof BacktrackOutput> = {
        session_id: checkpoint.session_id,
        checkpoint_id: checkpoint.id,
        name: checkpoint.name,
        last_thought_id: snapshot.last_thought_id,
        active_branch_id: snapshot.active_branch_id,
        abandoned_thought_count: counts.abandoned_thoughts,
        reactivated_thought_count: counts.reactivated_thoughts,
        changed_branch_count: counts.changed_branches,
        changed_node_count: counts.changed_nodes,
        new_thought: newThought ? thoughtOut(newThought) : null,
      };
      return {
        text:
          `Session ${data.session_id} is back at checkpoint "${data.name}": ${data.abandoned_thought_count} later ` +
          `thoughts marked abandoned (kept), ${data.changed_branch_count} branches and ${data.changed_node_count} ` +
          `graph nodes restored.${newThought ? ` Continued with: ${newThought.content}` : ''}`,
        data,
      };
    }),
  });
