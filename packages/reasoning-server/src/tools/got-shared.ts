/** What the graph-of-thoughts tools share: the graph's limits, lookups, and adding a node with its edges. */
import { conflict } from '@choir/server-kit';
import { z } from 'zod';
import type { ReasoningDeps } from '../deps.js';
import { countNodes, insertEdge, insertNode, nextNodeSeq, rootNode } from '../store/graph.js';
import { metadataJson, newId, parseMetadata } from '../store/ids.js';
import { touchSession } from '../store/sessions.js';
import type { Db, EdgeType, NodeRow, NodeType, SessionRow } from '../store/tables.js';
import { requireSession } from './shared.js';

export const GraphConfig = z.object({
  max_nodes: z.number().int().min(2).max(1000).default(200).describe('cap on nodes in this graph'),
  max_depth: z.number().int().min(1).max(32).default(8).describe("cap on a node's depth below the root"),
});
export type GraphConfig = z.output<typeof GraphConfig>;

export function graphConfig(session: SessionRow): GraphConfig {
  return GraphConfig.parse(parseMetadata(session.metadata).got ?? {});
}

export interface GraphContext {
  session: SessionRow;
  root: NodeRow;
  config: GraphConfig;
}

/** The session and its graph; CONFLICT when the session has no graph yet. */
export async function requireGraph(db: Db, sessionId: string): Promise<GraphContext> {
  const session = await requireSession(db, sessionId);
  const root = await rootNode(db, session.id);
  if (!root) throw conflict(`session ${session.id} has no graph`, 'start one with reasoning_got_init');
  return { session, root, config: graphConfig(session) };
}

/** Refuses growth past max_nodes or max_depth before anything is generated or written. */
export async function checkRoom(db: Db, graph: GraphContext, adding: number, depth: number): Promise<void> {
  if (depth > graph.config.max_depth) {
    throw conflict(`depth ${depth} would exceed this graph's max_depth of ${graph.config.max_depth}`);
  }
  const count = await countNodes(db, graph.session.id);
  if (count + adding > graph.config.max_nodes) {
    throw conflict(
      `adding ${adding} node(s) to ${count} would exceed this graph's max_nodes of ${graph.config.max_nodes}`,
      'prune with reasoning_got_prune or finalize',
    );
  }
}

export interface NewNode {
  content: string;
  node_type: NodeType;
  depth: number;
  generated: boolean;
  model: string | null;
  confidence?: number | null;
  /** Parents, each joined to the new node by an edge of this type. */
  from: string[];
  edge_type: EdgeType;
  metadata?: Record<string, unknown>;
}

/** Inserts nodes (and their edges from existing parents) in one transaction; returns the rows. */
export async function addNodes(deps: ReasoningDeps, sessionId: string, nodes: NewNode[]): Promise<NodeRow[]> {
  const now = new Date().toISOString();
  return deps.store.db.transaction().execute(async (trx) => {
    let seq = await nextNodeSeq(trx, sessionId);
    const rows: NodeRow[] = [];
    for (const node of nodes) {
      const row: NodeRow = {
        id: newId('gn'),
        session_id: sessionId,
        seq: seq++,
        content: node.content,
        node_type: node.node_type,
        score: null,
        score_rationale: null,
        depth: node.depth,
        status: 'active',
        is_terminal: 0,
        generated: node.generated ? 1 : 0,
        model: node.model,
        created_at: now,
        metadata: metadataJson({ confidence: node.confidence ?? undefined, ...node.metadata }),
      };
      await insertNode(trx, row);
      for (const parent of node.from) {
        await insertEdge(trx, {
          id: newId('ge'),
          session_id: sessionId,
          from_node: parent,
          to_node: row.id,
          edge_type: node.edge_type,
          weight: 1,
          created_at: now,
        });
      }
      rows.push(row);
    }
    await touchSession(trx, sessionId, now);
    return rows;
  });
}

/** The problem (root) for prompts, with the thought under work. */
export function graphPrompt(root: NodeRow, label: string, content: string): string {
  return `Problem:\n${root.content}\n\n${label}:\n${content}`;
}
