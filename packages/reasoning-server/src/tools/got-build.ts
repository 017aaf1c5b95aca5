/** Growing a graph of thoughts: reasoning_got_init, _generate, _aggregate, _refine and _connect. */
import { conflict, defineTool, invalidInput, NO_MODEL_HINT, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import type { ReasoningDeps } from '../deps.js';
import { generateForMode } from '../generation.js';
import { wouldCreateCycle } from '../graph.js';
import { tracked } from '../invocation.js';
import {
  GOT_GENERATE_SYSTEM,
  GOT_REFINE_SYSTEM,
  GotAggregateAnswer,
  GotRefineAnswer,
  gotAggregateSystem,
  gotGenerateAnswer,
} from '../prompts.js';
import { insertEdge, insertNode, loadGraph, rootNode } from '../store/graph.js';
import { newId, nowIso, parseMetadata } from '../store/ids.js';
import { insertSession } from '../store/sessions.js';
import { EDGE_TYPES, type NodeRow } from '../store/tables.js';
import { addNodes, checkRoom, GraphConfig, graphPrompt, requireGraph } from './got-shared.js';
import {
  APPENDS,
  Content,
  Id,
  NoCache,
  NodeOut,
  nodeOut,
  provenance,
  requireActiveNode,
  requireNode,
  requireSession,
  titleOf,
  Unit,
} from './shared.js';

export const gotInitTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_got_init',
    title: 'Start a graph of thoughts',
    description:
      'Starts a graph of thoughts with the problem as its root node, in a new session or in an existing session ' +
      'that has no graph yet. Set max_nodes and max_depth to bound it.',
    input: z.object({
      content: Content.describe('the problem: the root node'),
      session_id: Id.optional(),
      max_nodes: GraphConfig.shape.max_nodes,
      max_depth: GraphConfig.shape.max_depth,
    }),
    output: z.object({
      session_id: z.string(),
      root_node_id: z.string(),
      node: NodeOut,
      config: z.object({ max_nodes: z.number().int(), max_depth: z.number().int() }),
    }),
    annotations: APPENDS,
    handler: tracked(deps, 'reasoning_got_init', 'got_init', async (args, _ctx, invocation) => {
      const db = deps.store.db;
      const session = args.session_id ? await requireSession(db, args.session_id) : undefined;
      if (session && (await rootNode(db, session.id))) {
        throw conflict(`session ${session.id} already has a graph`, 'use reasoning_got_state to see it');
      }
      const config = { max_nodes: args.max_nodes, max_depth: args.max_depth };
      const sessionId = session?.id ?? newId('ses');
      invocation.sessionId = sessionId;
      const now = nowIso();
      const root: NodeRow = {
        id: newId('gn'),
        session_id: sessionId,
        seq: 1,
        content: args.content,
        node_type: 'root',
        score: null,
        score_rationale: null,
        depth: 0,
        status: 'active',
        is_terminal: 0,
        generated: 0,
        model: null,
        created_at: now,
        metadata: null,
      };
      await db.transaction().execute(async (trx) => {
        const metadata = JSON.stringify({ ...parseMetadata(session?.metadata ?? null), got: config });
        if (session) {
          await trx
            .updateTable('sessions')
            .set({ metadata, updated_at: now })
            .where('id', '=', session.id)
            .execute();
        } else {
          await insertSession(trx, {
            id: sessionId,
            mode: 'got',
            title: titleOf(args.content),
            now,
            metadata,
          });
        }
        await insertNode(trx, root);
      });
      return {
        text: `Graph started in session ${sessionId}; root ${root.id}: ${args.content}`,
        data: { session_id: sessionId, root_node_id: root.id, node: nodeOut(root), config },
      };
    }),
  });

const GeneratedNodes = z.object({
  session_id: z.string(),
  nodes: z.array(NodeOut),
  generated: z.boolean(),
  model: z.string().optional(),
  cached: z.boolean(),
});

export const gotGenerateTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_got_generate',
    title: 'Expand a graph node',
    description:
      'Adds k successor thoughts under a node. With a model they are generated; without one, pass candidates to ' +
      'record your own (generated: false), else MODEL_UNAVAILABLE.',
    input: z.object({
      session_id: Id,
      node_id: Id,
      k: z.number().int().min(1).max(5).default(3),
      candidates: z.array(Content).min(1).max(5).optional().describe('record these successors as given'),
      no_cache: NoCache,
    }),
    output: GeneratedNodes.extend({ parent_node_id: z.string() }),
    annotations: APPENDS,
    handler: tracked(deps, 'reasoning_got_generate', 'got_generate', async (args, ctx, invocation) => {
      const db = deps.store.db;
      const graph = await requireGraph(db, args.session_id);
      invocation.sessionId = graph.session.id;
      const parent = await requireNode(db, graph.session.id, args.node_id);
      requireActiveNode(parent);
      const count = args.candidates?.length ?? args.k;
      await checkRoom(db, graph, count, parent.depth + 1);
      let thoughts: { content: string; confidence: number | null }[];
      let model: string | null = null;
      let cached = false;
      if (args.candidates) {
        thoughts = args.candidates.map((content) => ({ content, confidence: null }));
      } else {
        if (!ctx.modelAvailable) {
          throw new ToolError(
            'MODEL_UNAVAILABLE',
            'expanding a node needs a model; nothing was stored',
            `${NO_MODEL_HINT} Or pass candidates: ["…"] to record your own.`,
          );
        }
        const answer = await generateForMode(deps, ctx, invocation, {
          purpose: 'got_generate',
          system: GOT_GENERATE_SYSTEM,
          prompt: `${graphPrompt(graph.root, 'Thought to expand', parent.content)}\n\nWrite ${args.k} successor thoughts.`,
          variables: { node_content: parent.content, k: String(args.k), context: graph.root.content },
          schema: gotGenerateAnswer(args.k),
          cacheInput: {},
          noCache: args.no_cache,
        });
        thoughts = answer.data.thoughts;
        model = answer.model;
        cached = answer.cached;
      }
      const generated = !args.candidates;
      const rows = await addNodes(
        deps,
        graph.session.id,
        thoughts.map((t) => ({
          content: t.content,
          confidence: t.confidence,
          node_type: 'generated',
          depth: parent.depth + 1,
          generated,
          model,
          from: [parent.id],
          edge_type: 'generates',
        })),
      );
      const nodes = rows.map(nodeOut);
      return {
        text: `${nodes.length} thoughts under ${parent.id}, ${provenance(generated, model, cached)}:\n${nodes.map((n) => `- ${n.node_id}: ${n.content}`).join('\n')}`,
        data: {
          session_id: graph.session.id,
          parent_node_id: parent.id,
          nodes,
          generated,
          ...(model ? { model } : {}),
          cached,
        },
      };
    }),
  });

export const gotAggregateTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_got_aggregate',
    title: 'Merge graph nodes',
    description:
      'Merges 2–10 active nodes into one new node joined to each of them. With a model the merged thought is ' +
      'generated; without one, pass content to record your own, else MODEL_UNAVAILABLE.',
    input: z.object({
      session_id: Id,
      node_ids: z.array(Id).min(2).max(10),
      content: Content.optional().describe('the merged thought, recorded as given'),
      strategy: z.string().max(500).optional().describe('how to merge, e.g. "keep only what all agree on"'),
      no_cache: NoCache,
    }),
    output: z.object({
      session_id: z.string(),
      node: NodeOut,
      source_node_ids: z.array(z.string()),
      generated: z.boolean(),
      model: z.string().optional(),
      cached: z.boolean(),
    }),
    annotations: APPENDS,
    handler: tracked(deps, 'reasoning_got_aggregate', 'got_aggregate', async (args, ctx, invocation) => {
      const db = deps.store.db;
      if (new Set(args.node_ids).size !== args.node_ids.length)
        throw invalidInput('node_ids must not repeat a node');
      const graph = await requireGraph(db, args.session_id);
      invocation.sessionId = graph.session.id;
      const sources: NodeRow[] = [];
      for (const id of args.node_ids) {
        const node = await requireNode(db, graph.session.id, id);
        requireActiveNode(node);
        sources.push(node);
      }
      const depth = Math.max(...sources.map((n) => n.depth)) + 1;
      await checkRoom(db, graph, 1, depth);
      let content = args.content;
      let confidence: number | null = null;
      let model: string | null = null;
      let cached = false;
      if (!content) {
        if (!ctx.modelAvailable) {
          throw new ToolError(
            'MODEL_UNAVAILABLE',
            'merging nodes needs a model; nothing was stored',
            `${NO_MODEL_HINT} Or pass content to record your own merged thought.`,
          );
        }
        const list = sources.map((n, i) => `${i + 1}. ${n.content}`).join('\n');
        const answer = await generateForMode(deps, ctx, invocation, {
          purpose: 'got_aggregate',
          system: gotAggregateSystem(args.strategy),
          prompt: `${graphPrompt(graph.root, 'Thoughts to merge', list)}\n\nMerge them into one thought.`,
          variables: { nodes: list, strategy: args.strategy ?? '', context: graph.root.content },
          schema: GotAggregateAnswer,
          cacheInput: {},
          noCache: args.no_cache,
        });
        content = answer.data.content;
        confidence = answer.data.confidence;
        model = answer.model;
        cached = answer.cached;
      }
      const generated = !args.content;
      const [row] = await addNodes(deps, graph.session.id, [
        {
          content,
          confidence,
          node_type: 'aggregate',
          depth,
          generated,
          model,
          from: sources.map((n) => n.id),
          edge_type: 'aggregates',
          metadata: { strategy: args.strategy },
        },
      ]);
      return {
        text: `Merged ${sources.length} nodes into ${row!.id}, ${provenance(generated, model, cached)}:\n${content}`,
        data: {
          session_id: graph.session.id,
          node: nodeOut(row!),
          source_node_ids: sources.map((n) => n.id),
          generated,
          ...(model ? { model } : {}),
          cached,
        },
      };
    }),
  });

export const gotRefineTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_got_refine',
    title: 'Refine a graph node',
    description:
      'Adds an improved version of a node as its successor. With a model the refinement is generated; without ' +
      'one, pass content to record your own, else MODEL_UNAVAILABLE.',
    input: z.object({
      session_id: Id,
      node_id: Id,
      content: Content.optional().describe('the refined thought, recorded as given'),
      no_cache: NoCache,
    }),
    output: z.object({
      session_id: z.string(),
      node: NodeOut,
      refined_from: z.string(),
      improvement: z.string().nullable(),
      generated: z.boolean(),
      model: z.string().optional(),
      cached: z.boolean(),
    }),
    annotations: APPENDS,
    handler: tracked(deps, 'reasoning_got_refine', 'got_refine', async (args, ctx, invocation) => {
      const db = deps.store.db;
      const graph = await requireGraph(db, args.session_id);
      invocation.sessionId = graph.session.id;
      const source = await requireNode(db, graph.session.id, args.node_id);
      requireActiveNode(source);
      await checkRoom(db, graph, 1, source.depth + 1);
      let content = args.content;
      let improvement: string | null = null;
      let model: string | null = null;
      let cached = false;
      if (!content) {
        if (!ctx.modelAvailable) {
          throw new ToolError(
            'MODEL_UNAVAILABLE',
            'refining a node needs a model; nothing was stored',
            `${NO_MODEL_HINT} Or pass content to record your own refinement.`,
          );
        }
        const answer = await generateForMode(deps, ctx, invocation, {
          purpose: 'got_refine',
          system: GOT_REFINE_SYSTEM,
          prompt: `${graphPrompt(graph.root, 'Thought to refine', source.content)}`,
          variables: { node_content: source.content, context: graph.root.content },
          schema: GotRefineAnswer,
          cacheInput: {},
          noCache: args.no_cache,
        });
        content = answer.data.content;
        improvement = answer.data.improvement;
        model = answer.model;
        cached = answer.cached;
      }
      const generated = !args.content;
      const [row] = await addNodes(deps, graph.session.id, [
        {
          content,
          node_type: 'refined',
          depth: source.depth + 1,
          generated,
          model,
          from: [source.id],
          edge_type: 'refines',
          metadata: { improvement: improvement ?? undefined },
        },
      ]);
      return {
        text: `Refined ${source.id} into ${row!.id}, ${provenance(generated, model, cached)}:\n${content}`,
        data: {
          session_id: graph.session.id,
          node: nodeOut(row!),
          refined_from: source.id,
          improvement,
          generated,
          ...(model ? { model } : {}),
          cached,
        },
      };
    }),
  });

export const gotConnectTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_got_connect',
    title: 'Connect two graph nodes',
    description:
      'Adds an edge between two existing nodes (e.g. one thought supports or depends on another). An edge that ' +
      'would create a cycle, or that already exists, is refused with CONFLICT.',
    input: z.object({
      session_id: Id,
      from_node_id: Id,
      to_node_id: Id,
      edge_type: z.enum(EDGE_TYPES).default('supports'),
      weight: Unit.default(1),
    }),
    output: z.object({
      session_id: z.string(),
      edge_id: z.string(),
      from_node_id: z.string(),
      to_node_id: z.string(),
      edge_type: z.enum(EDGE_TYPES),
      weight: z.number(),
    }),
    annotations: APPENDS,
    async handler(args) {
      const db = deps.store.db;
      const graph = await requireGraph(db, args.session_id);
      const [from, to] = [
        await requireNode(db, graph.session.id, args.from_node_id),
        await requireNode(db, graph.session.id, args.to_node_id),
      ];
      if (from.id === to.id) throw invalidInput('an edge must join two different nodes');
      if (to.node_type === 'root')
        throw conflict('nothing may point at the root: it is where the graph starts');
      const id = newId('ge');
      await db.transaction().execute(async (trx) => {
        // Checked inside the transaction so a concurrent edge cannot slip a cycle past us.
        const { edges } = await loadGraph(trx, graph.session.id);
        if (edges.some((e) => e.from_node === from.id && e.to_node === to.id)) {
          throw conflict(`an edge ${from.id} → ${to.id} already exists`);
        }
        const plain = edges.map((e) => ({ from: e.from_node, to: e.to_node }));
        if (wouldCreateCycle(plain, from.id, to.id)) {
          throw conflict(
            `an edge ${from.id} → ${to.id} would create a cycle: ${to.id} already leads to ${from.id}`,
          );
        }
        await insertEdge(trx, {
          id,
          session_id: graph.session.id,
          from_node: from.id,
          to_node: to.id,
          edge_type: args.edge_type,
          weight: args.weight,
          created_at: nowIso(),
        });
      });
      return {
        text: `Edge ${id}: ${from.id} ${args.edge_type} → ${to.id}.`,
        data: {
          session_id: graph.session.id,
          edge_id: id,
          from_node_id: from.id,
          to_node_id: to.id,
          edge_type: args.edge_type,
          weight: args.weight,
        },
      };
    },
  });
