/** Judging a graph of thoughts: reasoning_got_score, _prune, _finalize and _state. */
import { conflict, defineTool, invalidInput, NO_MODEL_HINT, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { pageOf } from '../cursor.js';
import type { ReasoningDeps } from '../deps.js';
import { generateForMode } from '../generation.js';
import { bestPath, nodesToPrune } from '../graph.js';
import { tracked } from '../invocation.js';
import { GotScoreAnswer, gotScoreSystem } from '../prompts.js';
import {
  edgesFrom,
  graphCounts,
  listNodes,
  loadGraph,
  markTerminal,
  pruneNodes,
  rootNode,
  setNodeScore,
} from '../store/graph.js';
import { nowIso } from '../store/ids.js';
import { touchSession } from '../store/sessions.js';
import { EDGE_TYPES, type EdgeRow, type NodeRow } from '../store/tables.js';
import { graphConfig, graphPrompt, requireGraph } from './got-shared.js';
import {
  APPENDS,
  Cursor,
  Id,
  Limit,
  NoCache,
  NodeOut,
  nodeOut,
  offsetOf,
  provenance,
  READS,
  requireActiveNode,
  requireNode,
  requireSession,
  Unit,
} from './shared.js';

export const gotScoreTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_got_score',
    title: 'Score a graph node',
    description:
      'Scores a node from 0 to 1 (replacing an earlier score). With a model the score and rationale are ' +
      'generated; without one, pass score to record your own judgement, else MODEL_UNAVAILABLE.',
    input: z.object({
      session_id: Id,
      node_id: Id,
      score: Unit.optional().describe('your score, recorded as given'),
      rationale: z.string().max(5000).optional(),
      criteria: z.string().max(1000).optional().describe('what a good thought achieves, for the model'),
      no_cache: NoCache,
    }),
    output: z.object({
      session_id: z.string(),
      node_id: z.string(),
      score: z.number(),
      rationale: z.string().nullable(),
      generated: z.boolean(),
      model: z.string().optional(),
      cached: z.boolean(),
    }),
    annotations: { ...APPENDS, idempotentHint: true },
    handler: tracked(deps, 'reasoning_got_score', 'got_score', async (args, ctx, invocation) => {
      const db = deps.store.db;
      const graph = await requireGraph(db, args.session_id);
      invocation.sessionId = graph.session.id;
      const node = await requireNode(db, graph.session.id, args.node_id);
      requireActiveNode(node);
      let score = args.score;
      let rationale = args.rationale ?? null;
      let model: string | null = null;
      let cached = false;
      if (score === undefined) {
        if (!ctx.modelAvailable) {
          throw new ToolError(
            'MODEL_UNAVAILABLE',
            'scoring a node needs a model; nothing was stored',
            `${NO_MODEL_HINT} Or pass score (0..1) to record your own.`,
          );
        }
        const answer = await generateForMode(deps, ctx, invocation, {
          purpose: 'got_score',
          system: gotScoreSystem(args.criteria),
          prompt: graphPrompt(graph.root, 'Thought to score', node.content),
          variables: {
            node_content: node.content,
            criteria: args.criteria ?? '',
            context: graph.root.content,
          },
          schema: GotScoreAnswer,
          cacheInput: {},
          noCache: args.no_cache,
        });
        score = answer.data.score;
        rationale = answer.data.rationale;
        model = answer.model;
        cached = answer.cached;
      }
      const generated = args.score === undefined;
      await db.transaction().execute(async (trx) => {
        await setNodeScore(trx, node.id, score, rationale);
        await touchSession(trx, graph.session.id, nowIso());
      });
      return {
        text: `Node ${node.id} scored ${score}, ${provenance(generated, model, cached)}${rationale ? `: ${rationale}` : '.'}`,
        data: {
          session_id: graph.session.id,
          node_id: node.id,
          score,
          rationale,
          generated,
          ...(model ? { model } : {}),
          cached,
        },
      };
    }),
  });

export const gotPruneTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_got_prune',
    title: 'Prune a graph',
    description:
      'Marks as pruned the nodes scored below threshold (unscored nodes are kept), or the nodes named in ' +
      'node_ids, plus every node that is then no longer reachable from the root. Pruned nodes stay stored and ' +
      'visible in reasoning_got_state; the root is never pruned.',
    input: z.object({
      session_id: Id,
      threshold: Unit.default(0.3),
      node_ids: z
        .array(Id)
        .min(1)
        .max(1000)
        .optional()
        .describe('prune these instead of using the threshold'),
    }),
    output: z.object({
      session_id: z.string(),
      pruned_node_ids: z.array(z.string()),
      active_count: z.number().int(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    handler: tracked(deps, 'reasoning_got_prune', 'got_prune', async (args, _ctx, invocation) => {
      const db = deps.store.db;
      const graph = await requireGraph(db, args.session_id);
      invocation.sessionId = graph.session.id;
      for (const id of args.node_ids ?? []) {
        const node = await requireNode(db, graph.session.id, id);
        if (node.id === graph.root.id) throw invalidInput('the root cannot be pruned');
      }
      const pruned = await db.transaction().execute(async (trx) => {
        const { nodes, edges } = await loadGraph(trx, graph.session.id);
        const ids = nodesToPrune(
          nodes.map(plainNode),
          edges.map(plainEdge),
          graph.root.id,
          args.node_ids ? { ids: args.node_ids } : { threshold: args.threshold },
        );
        await pruneNodes(trx, ids);
        await touchSession(trx, graph.session.id, nowIso());
        return ids;
      });
      const counts = await graphCounts(db, graph.session.id);
      return {
        text: `Pruned ${pruned.length} node(s); ${counts.active} active remain.`,
        data: { session_id: graph.session.id, pruned_node_ids: pruned, active_count: counts.active },
      };
    }),
  });

function plainNode(n: NodeRow) {
  return { id: n.id, seq: n.seq, score: n.score, status: n.status };
}
function plainEdge(e: EdgeRow) {
  return { from: e.from_node, to: e.to_node };
}

export const gotFinalizeTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_got_finalize',
    title: 'Finalize a graph',
    description:
      'Returns the best path: from the root to the highest-scoring active node (ties: the earlier node), by the ' +
      'route with the highest total score. Marks that node terminal. Needs at least one scored active node.',
    input: z.object({ session_id: Id }),
    output: z.object({
      session_id: z.string(),
      best_path: z.array(
        z.object({ node_id: z.string(), content: z.string(), score: z.number().nullable() }),
      ),
      best_node_id: z.string(),
      best_score: z.number(),
      path_score: z.number(),
      conclusion: z.string(),
    }),
    annotations: { ...APPENDS, idempotentHint: true },
    handler: tracked(deps, 'reasoning_got_finalize', 'got_finalize', async (args, _ctx, invocation) => {
      const db = deps.store.db;
      const graph = await requireGraph(db, args.session_id);
      invocation.sessionId = graph.session.id;
      const result = await db.transaction().execute(async (trx) => {
        const { nodes, edges } = await loadGraph(trx, graph.session.id);
        const best = bestPath(nodes.map(plainNode), edges.map(plainEdge), graph.root.id);
        if (!best) {
          throw conflict(
            'no active node has a score yet',
            'score nodes with reasoning_got_score, then finalize',
          );
        }
        await markTerminal(trx, graph.session.id, best.bestNodeId);
        await touchSession(trx, graph.session.id, nowIso());
        const byId = new Map(nodes.map((n) => [n.id, n]));
        return { best, byId };
      });
      const path = result.best.path.map((id) => {
        const n = result.byId.get(id)!;
        return { node_id: n.id, content: n.content, score: n.score };
      });
      const conclusion = path[path.length - 1]!.content;
      return {
        text: `Best path (${path.length} nodes, total score ${result.best.pathScore}):\n${path.map((p) => `→ ${p.content}${p.score === null ? '' : ` [${p.score}]`}`).join('\n')}`,
        data: {
          session_id: graph.session.id,
          best_path: path,
          best_node_id: result.best.bestNodeId,
          best_score: result.best.bestScore,
          path_score: result.best.pathScore,
          conclusion,
        },
      };
    }),
  });

export const gotStateTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_got_state',
    title: 'Read a graph',
    description:
      "A session's graph: counts, limits and its nodes in creation order with the edges leaving them, a page at a time.",
    input: z.object({
      session_id: Id,
      include_pruned: z.boolean().default(true),
      cursor: Cursor,
      limit: Limit(50, 200),
    }),
    output: z.object({
      session_id: z.string(),
      root_node_id: z.string().nullable(),
      config: z.object({ max_nodes: z.number().int(), max_depth: z.number().int() }),
      counts: z.object({
        nodes: z.number().int(),
        active: z.number().int(),
        pruned: z.number().int(),
        edges: z.number().int(),
      }),
      terminal_node_id: z.string().nullable(),
      nodes: z.array(NodeOut),
      edges: z.array(
        z.object({
          edge_id: z.string(),
          from_node_id: z.string(),
          to_node_id: z.string(),
          edge_type: z.enum(EDGE_TYPES),
          weight: z.number(),
        }),
      ),
      next_cursor: z.string().nullable(),
    }),
    annotations: READS,
    async handler(args) {
      const db = deps.store.db;
      const offset = offsetOf(args.cursor);
      const session = await requireSession(db, args.session_id);
      const root = await rootNode(db, session.id);
      const rows = await listNodes(db, session.id, {
        offset,
        limit: args.limit + 1,
        includePruned: args.include_pruned,
      });
      const page = pageOf(rows, offset, args.limit);
      const edges = await edgesFrom(
        db,
        page.items.map((n) => n.id),
      );
      const counts = await graphCounts(db, session.id);
      const terminal = await db
        .selectFrom('graph_nodes')
        .select('id')
        .where('session_id', '=', session.id)
        .where('is_terminal', '=', 1)
        .executeTakeFirst();
      const nodes = page.items.map(nodeOut);
      const lines = nodes.map(
        (n) =>
          `${n.node_id} [${n.node_type}${n.status === 'pruned' ? ', pruned' : ''}${n.score === null ? '' : `, ${n.score}`}] ${n.content}`,
      );
      return {
        text: root
          ? `Graph of session ${session.id}: ${counts.nodes} nodes (${counts.active} active), ${counts.edges} edges.\n${lines.join('\n')}`
          : `Session ${session.id} has no graph.`,
        data: {
          session_id: session.id,
          root_node_id: root?.id ?? null,
          config: graphConfig(session),
          counts,
          terminal_node_id: terminal?.id ?? null,
          nodes,
          edges: edges.map((e) => ({
            edge_id: e.id,
            from_node_id: e.from_node,
            to_node_id: e.to_node,
            edge_type: e.edge_type,
            weight: e.weight,
          })),
          next_cursor: page.next_cursor,
        },
      };
    },
  });
