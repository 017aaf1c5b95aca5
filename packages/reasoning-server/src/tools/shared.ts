/** Pieces every reasoning tool uses: id and paging inputs, lookups that fail clearly, result shapes. */
import { invalidInput, notFound, ToolError } from '@choir/server-kit';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { decodeCursor } from '../cursor.js';
import { getBranch } from '../store/branches.js';
import { getNode } from '../store/graph.js';
import { parseMetadata } from '../store/ids.js';
import { getSession } from '../store/sessions.js';
import type { BranchRow, Db, NodeRow, SessionRow, ThoughtRow } from '../store/tables.js';

export const Id = z.string().trim().min(1).max(200);
export const Content = z.string().trim().min(1, 'must not be empty');
export const Unit = z.number().min(0).max(1);
export const NoCache = z
  .boolean()
  .optional()
  .describe('skip the cache of generated results (the fresh answer is still stored)');

export const Cursor = z.string().max(200).optional().describe('next_cursor from the previous page');
export function Limit(fallback: number, max: number) {
  return z.number().int().min(1).max(max).default(fallback).describe(`page size, 1..${max}`);
}

export function offsetOf(cursor: string | undefined): number {
  const offset = decodeCursor(cursor);
  if (offset === null)
    throw invalidInput('cursor is not one this server issued', 'pass next_cursor exactly as returned');
  return offset;
}

/** Writes something, never deletes: the default for the mode tools. */
export const APPENDS: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
};
export const READS: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

export async function requireSession(db: Db, id: string): Promise<SessionRow> {
  const session = await getSession(db, id);
  if (!session) throw notFound(`session ${id} does not exist`, 'omit session_id to start a new session');
  return session;
}

export async function requireBranch(db: Db, sessionId: string, id: string): Promise<BranchRow> {
  const branch = await getBranch(db, id);
  if (!branch || branch.session_id !== sessionId) {
    throw notFound(
      `branch ${id} does not exist in session ${sessionId}`,
      'reasoning_tree_list shows the branches',
    );
  }
  return branch;
}

export function requireActiveBranch(branch: BranchRow): void {
  if (branch.status !== 'active') {
    throw new ToolError('CONFLICT', `branch ${branch.id} is ${branch.status}; only active branches grow`);
  }
}

export async function requireNode(db: Db, sessionId: string, id: string): Promise<NodeRow> {
  const node = await getNode(db, id);
  if (!node || node.session_id !== sessionId) {
    throw notFound(
      `node ${id} does not exist in session ${sessionId}`,
      'reasoning_got_state lists the nodes',
    );
  }
  return node;
}

export function requireActiveNode(node: NodeRow): void {
  if (node.status !== 'active') throw new ToolError('CONFLICT', `node ${node.id} is pruned`);
}

/** The session's title: the start of its first content, on one line. */
export function titleOf(content: string): string {
  const line = content.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export const ThoughtOut = z.object({
  thought_id: z.string(),
  session_id: z.string(),
  seq: z.number().int(),
  content: z.string(),
  confidence: z.number().nullable(),
  mode: z.string(),
  kind: z.string(),
  parent_id: z.string().nullable(),
  branch_id: z.string().nullable(),
  status: z.enum(['active', 'abandoned']),
  generated: z.boolean(),
  model: z.string().nullable(),
  created_at: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});
export type ThoughtOut = z.infer<typeof ThoughtOut>;

export function thoughtOut(row: ThoughtRow): ThoughtOut {
  return {
    thought_id: row.id,
    session_id: row.session_id,
    seq: row.seq,
    content: row.content,
    confidence: row.confidence,
    mode: row.mode,
    kind: row.kind,
    parent_id: row.parent_id,
    branch_id: row.branch_id,
    status: row.status,
    generated: row.generated === 1,
    model: row.model,
    created_at: row.created_at,
    metadata: parseMetadata(row.metadata),
  };
}

export const NodeOut = z.object({
  node_id: z.string(),
  seq: z.number().int(),
  content: z.string(),
  node_type: z.string(),
  score: z.number().nullable(),
  score_rationale: z.string().nullable(),
  depth: z.number().int(),
  status: z.enum(['active', 'pruned']),
  is_terminal: z.boolean(),
  generated: z.boolean(),
  model: z.string().nullable(),
  created_at: z.string(),
});
export type NodeOut = z.infer<typeof NodeOut>;

export function nodeOut(row: NodeRow): NodeOut {
  return {
    node_id: row.id,
    seq: row.seq,
    content: row.content,
    node_type: row.node_type,
    score: row.score,
    score_rationale: row.score_rationale,
    depth: row.depth,
    status: row.status,
    is_terminal: row.is_terminal === 1,
    generated: row.generated === 1,
    model: row.model,
    created_at: row.created_at,
  };
}

/** How a result came about, for the text people read. */
export function provenance(generated: boolean, model: string | null, cached: boolean): string {
  if (!generated) return 'recorded as given (no model)';
  return `generated by ${model ?? 'the model'}${cached ? ' (from cache)' : ''}`;
}
