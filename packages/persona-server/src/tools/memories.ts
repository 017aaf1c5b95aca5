/** persona_remember, persona_recall, persona_forget, persona_memory_upkeep. */
import { defineTool, type ToolSpec, ToolError } from '@choir/server-kit';
import { z } from 'zod';
import { recall, remember, runUpkeep } from '../memory-service.js';
import { requirePersona, type Runtime } from '../runtime.js';
import { deleteMemories, MEMORY_TYPES, memoriesByIds, VISIBILITIES } from '../store/memories.js';
import { listPersonas } from '../store/personas.js';
import { annotations, personaRef } from './shapes.js';

/** Pruned ids listed in a result; the count is always exact. */
const LISTED_IDS = 100;

const memoryShape = z.object({
  id: z.string(),
  persona_id: z.string(),
  content: z.string(),
  memory_type: z.enum(MEMORY_TYPES),
  importance: z.number().describe('0..1, after decay'),
  emotional_valence: z.number().describe('-1..1'),
  visibility: z.enum(VISIBILITIES),
  related_to: z.string().nullable(),
  access_count: z.number().int(),
  created_at: z.string(),
  last_accessed: z.string().nullable(),
  score: z.number().describe('reciprocal-rank-fusion score'),
  keyword_rank: z.number().int().nullable(),
  vector_rank: z.number().int().nullable(),
  similarity: z.number().nullable().describe('cosine similarity to the query, when a vector match'),
});

export function memoryTools(rt: Runtime): ToolSpec[] {
  const rememberTool = defineTool({
    name: 'persona_remember',
    title: 'Remember',
    description:
      'Stores a memory for a persona (searchable by words and meaning). Identical content is stored once. Past the memory cap the least valuable memories are pruned.',
    input: z.object({
      persona: personaRef,
      content: z.string().trim().min(1).max(4000),
      memory_type: z.enum(MEMORY_TYPES).default('episodic'),
      importance: z.number().min(0).max(1).default(0.5),
      emotional_valence: z.number().min(-1).max(1).default(0),
      visibility: z
        .enum(VISIBILITIES)
        .default('private')
        .describe(
          'private: this persona only; shared: also personas it has interacted with; public: every persona',
        ),
      related_to: z.string().trim().min(1).max(64).optional().describe('who or what the memory is about'),
    }),
    output: z.object({
      memory_id: z.string(),
      persona_id: z.string(),
      duplicate: z.boolean(),
      pruned: z.array(z.string()).describe(`ids pruned by this call (at most ${LISTED_IDS} listed)`),
      pruned_count: z.number().int(),
      memory_count: z.number().int(),
      embedder: z.string(),
    }),
    annotations: annotations.write,
    async handler(args, ctx) {
      const persona = await requirePersona(rt.db, args.persona);
      const result = await remember(
        rt,
        {
          personaId: persona.id,
          content: args.content,
          memoryType: args.memory_type,
          importance: args.importance,
          emotionalValence: args.emotional_valence,
          visibility: args.visibility,
          relatedTo: args.related_to ?? null,
        },
        ctx.signal,
      );
      return {
        text: result.duplicate
          ? `${persona.name} already remembers this (${result.memoryId}).`
          : `${persona.name} remembers (${result.memoryId}).${
              result.pruned.length ? ` Pruned ${result.pruned.length} less valuable memories.` : ''
            }`,
        data: {
          memory_id: result.memoryId,
          persona_id: persona.id,
          duplicate: result.duplicate,
          pruned: result.pruned.slice(0, LISTED_IDS),
          pruned_count: result.pruned.length,
          memory_count: result.count,
          embedder: rt.vectors.embedder.name,
        },
      };
    },
  });

  const recallTool = defineTool({
    name: 'persona_recall',
    title: 'Recall',
    description:
      "Searches a persona's memories by words (FTS5) and meaning (vectors), fused by reciprocal rank (mode hybrid), or one of the two. Filters on type, minimum importance and visibility; include_others adds other personas' public memories and shared ones from personas this one has met. Counts as an access of each memory returned.",
    input: z.object({
      persona: personaRef,
      query: z.string().trim().min(1).max(2000),
      limit: z.number().int().min(1).max(50).default(5),
      mode: z.enum(['hybrid', 'vector', 'keyword']).default('hybrid'),
      memory_types: z.array(z.enum(MEMORY_TYPES)).max(5).optional(),
      visibility: z.array(z.enum(VISIBILITIES)).max(3).optional(),
      min_importance: z.number().min(0).max(1).default(0),
      include_others: z.boolean().default(false),
    }),
    output: z.object({
      persona_id: z.string(),
      memories: z.array(memoryShape),
      mode: z.enum(['hybrid', 'vector', 'keyword']),
      embedder: z.string(),
    }),
    annotations: annotations.write,
    async handler(args, ctx) {
      const persona = await requirePersona(rt.db, args.persona);
      const found = await recall(
        rt,
        persona,
        {
          query: args.query,
          limit: args.limit,
          mode: args.mode,
          types: args.memory_types ?? null,
          visibilities: args.visibility ?? null,
          includeOthers: args.include_others,
          minImportance: args.min_importance,
        },
        ctx.signal,
      );
      const memories = found.map((m) => ({
        id: m.row.id,
        persona_id: m.row.persona_id,
        content: m.row.content,
        memory_type: m.row.memory_type as (typeof MEMORY_TYPES)[number],
        importance: m.importance,
        emotional_valence: m.row.emotional_valence,
        visibility: m.row.visibility as (typeof VISIBILITIES)[number],
        related_to: m.row.related_to,
        access_count: m.row.access_count + 1,
        created_at: m.row.created_at,
        last_accessed: m.row.last_accessed,
        score: m.score,
        keyword_rank: m.keywordRank,
        vector_rank: m.vectorRank,
        similarity: m.similarity,
      }));
      return {
        text:
          memories
            .map(
              (m) =>
                `[${m.id}] (${m.memory_type}, importance ${m.importance.toFixed(2)}${
                  m.persona_id === persona.id ? '' : `, from ${m.persona_id}`
                }) ${m.content}`,
            )
            .join('\n') || `${persona.name} recalls nothing about that.`,
        data: { persona_id: persona.id, memories, mode: args.mode, embedder: rt.vectors.embedder.name },
      };
    },
  });

  const forget = defineTool({
    name: 'persona_forget',
    title: 'Forget a memory',
    description: "Deletes one of a persona's memories by id.",
    input: z.object({ persona: personaRef, memory_id: z.string().trim().min(1).max(100) }),
    output: z.object({ persona_id: z.string(), memory_id: z.string(), deleted: z.literal(true) }),
    annotations: annotations.destroy,
    async handler(args) {
      const persona = await requirePersona(rt.db, args.persona);
      await rt.db.transaction().execute(async (trx) => {
        const [row] = await memoriesByIds(trx, [args.memory_id]);
        if (!row || row.persona_id !== persona.id) {
          throw new ToolError('NOT_FOUND', `${persona.name} has no memory ${args.memory_id}`);
        }
        await deleteMemories(trx, [row.id]);
      });
      return {
        text: `${persona.name} forgot ${args.memory_id}.`,
        data: { persona_id: persona.id, memory_id: args.memory_id, deleted: true as const },
      };
    },
  });

  const upkeep = defineTool({
    name: 'persona_memory_upkeep',
    title: 'Memory upkeep',
    description:
      'Applies importance decay now and prunes memories past the cap (least valuable first; recent and very important ones protected), for one persona or all. This also runs by itself when memories are stored or recalled.',
    input: z.object({ persona: personaRef.optional().describe('omit for every persona') }),
    output: z.object({
      cap: z.number().int(),
      personas: z.array(
        z.object({
          persona_id: z.string(),
          decayed: z.number().int(),
          pruned: z.array(z.string()).describe(`at most ${LISTED_IDS} listed`),
          pruned_count: z.number().int(),
          remaining: z.number().int(),
          over_cap_protected: z.number().int(),
        }),
      ),
    }),
    annotations: annotations.destroy,
    async handler(args) {
      const ids = args.persona
        ? [(await requirePersona(rt.db, args.persona)).id]
        : (await listPersonas(rt.db, null, 10_000)).map((p) => p.id);
      const now = rt.now();
      const personas = [];
      for (const id of ids) {
        const result = await rt.db
          .transaction()
          .execute((trx) => runUpkeep(trx, id, now, rt.memoryCap, true));
        personas.push({
          persona_id: id,
          decayed: result.decayed,
          pruned: result.pruned.slice(0, LISTED_IDS),
          pruned_count: result.pruned.length,
          remaining: result.remaining,
          over_cap_protected: result.overCapProtected,
        });
      }
      return {
        text: personas
          .map((p) => `${p.persona_id}: ${p.decayed} decayed, ${p.pruned_count} pruned, ${p.remaining} kept`)
          .join('\n'),
        data: { cap: rt.memoryCap, personas },
      };
    },
  });

  return [rememberTool, recallTool, forget, upkeep];
}
