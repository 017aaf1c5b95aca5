/** experience_links: the neighbourhood of an experience — links and citations, up to depth 2. */
import { defineTool } from '@choir/server-kit';
import { z } from 'zod';
import type { ExperienceContext } from '../context.js';
import { formatExperienceId } from '../ids.js';
import { previewOf } from '../preview.js';
import type { Edge } from '../store.js';
import { ExperienceId, resolveId } from './common.js';

const NODE_PREVIEW_CHARS = 200;

export const LinksInput = z.object({
  id: ExperienceId,
  depth: z.number().int().min(1).max(2).default(1).describe('1: direct neighbours; 2: their neighbours too.'),
  limit: z.number().int().min(1).max(500).default(100).describe('Most edges returned (strongest first).'),
});

export const LinksOutput = z.object({
  id: z.string(),
  nodes: z.array(
    z.object({
      id: z.string(),
      depth: z.number().int(),
      role: z.string(),
      thread_id: z.string().nullable(),
      preview: z.string(),
      created_at: z.string(),
    }),
  ),
  edges: z.array(
    z.object({
      source_id: z.string(),
      target_id: z.string(),
      type: z.enum(['relates', 'supports', 'contradicts', 'elaborates', 'cites']),
      weight: z.number(),
    }),
  ),
  truncated: z.boolean().describe('True when more edges exist than limit allowed.'),
});

/** Breadth-first over edges in both directions; pure apart from the edge lookup it is given. */
export async function neighbourhood(
  start: number,
  depth: number,
  limit: number,
  edgesTouching: (seqs: number[], limit: number) => Promise<Edge[]>,
): Promise<{ depths: Map<number, number>; edges: Edge[]; truncated: boolean }> {
  const depths = new Map<number, number>([[start, 0]]);
  const edges: Edge[] = [];
  const seen = new Set<string>();
  let frontier = [start];
  let truncated = false;
  for (let level = 1; level <= depth && frontier.length > 0 && !truncated; level++) {
    // limit + 1 always suffices: at most `edges.length` of the rows are edges already seen.
    const found = await edgesTouching(frontier, limit + 1);
    const next: number[] = [];
    for (const edge of found) {
      const key = `${edge.source}>${edge.target}:${edge.type}`;
      if (seen.has(key)) continue;
      if (edges.length >= limit) {
        truncated = true;
        break;
      }
      seen.add(key);
      edges.push(edge);
      for (const end of [edge.source, edge.target]) {
        if (!depths.has(end)) {
          depths.set(end, level);
          next.push(end);
        }
      }
    }
    frontier = next;
  }
  return { depths, edges, truncated };
}

export const linksTool = (context: ExperienceContext) =>
  defineTool({
    name: 'experience_links',
    title: 'Links of an experience',
    description:
      'The neighbourhood of a stored experience up to depth 2: links made by observation or given at record ' +
      '(relates / supports / contradicts / elaborates, weighted) and citations (type "cites"), in both ' +
      'directions, strongest first, at most `limit` edges.',
    input: LinksInput,
    output: LinksOutput,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args) {
      const { store } = context;
      const seq = await resolveId(store, store.db, args.id);
      const { depths, edges, truncated } = await neighbourhood(seq, args.depth, args.limit, (seqs, limit) =>
        store.edgesTouching(store.db, seqs, limit),
      );
      const records = await store.getExperiences(store.db, [...depths.keys()]);
      const nodes = records.map((r) => ({
        id: formatExperienceId(r.seq),
        depth: depths.get(r.seq)!,
        role: r.role,
        thread_id: r.thread_id,
        preview: previewOf(r.content, NODE_PREVIEW_CHARS).text,
        created_at: r.created_at,
      }));
      const edgesOut = edges.map((e) => ({
        source_id: formatExperienceId(e.source),
        target_id: formatExperienceId(e.target),
        type: e.type,
        weight: e.weight,
      }));
      const lines = edgesOut.map((e) => `${e.source_id} -${e.type} ${e.weight}-> ${e.target_id}`);
      const text =
        `${args.id}: ${nodes.length - 1} neighbour${nodes.length === 2 ? '' : 's'} within depth ${args.depth}, ` +
        `${edgesOut.length} edge${edgesOut.length === 1 ? '' : 's'}${truncated ? ' (truncated)' : ''}.` +
        (lines.length ? `\n${lines.join('\n')}` : '');
      return { text, data: { id: args.id, nodes, edges: edgesOut, truncated } };
    },
  });
