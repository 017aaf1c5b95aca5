/**
 * Which embedder built the stored vectors, and what to do when the configured one differs.
 *
 * Vectors live in `experience_vectors_<generation>` with an `F32_BLOB(<dimension>)` column,
 * created in code because the width comes from the embedder. server_state `vector_space`
 * records `{ embedder, dimension, generation }`. Similarities between vectors of two
 * embedders mean nothing, so a store with experiences never mixes them: the server refuses
 * until `experience_reindex` re-embeds everything into a new generation.
 */

export interface VectorSpace {
  /** The embedder's name, e.g. `choir-hash-v1` or `openai-compatible:text-embedding-3-small`. */
  embedder: string;
  dimension: number;
  /** Suffix of the vector table; a reindex builds the next one and drops the old. */
  generation: number;
}

export interface ConfiguredEmbedder {
  name: string;
  dimension: number;
}

export const VECTOR_SPACE_STATE_KEY = 'vector_space';

/**
 * libsql_vector_idx settings, measured by `pnpm bench` on built-in-embedder vectors: float8
 * neighbour lists with 32 neighbours insert about 4× faster than libSQL's defaults (313/s
 * against 78/s at 5,000 vectors), and a wider search list (search_l=400) buys back recall at
 * query time (recall@10 against an exact scan at 100,000 vectors: 0.81 instead of 0.69, for
 * about 1.5 ms more per query).
 */
export const VECTOR_INDEX_OPTIONS = [
  'metric=cosine',
  'compress_neighbors=float8',
  'max_neighbors=32',
  'search_l=400',
] as const;

export type VectorSpaceDecision =
  /** The stored vectors match the embedder. */
  | { action: 'use'; space: VectorSpace }
  /** Nothing stored yet, or only an empty table of another embedder: (re)build for this one. */
  | { action: 'create'; space: VectorSpace; drop: VectorSpace | null }
  /** Stored experiences were embedded by another embedder: refuse. */
  | { action: 'mismatch'; stored: VectorSpace; configured: ConfiguredEmbedder };

export function decideVectorSpace(
  stored: VectorSpace | null,
  configured: ConfiguredEmbedder,
  storedExperiences: number,
): VectorSpaceDecision {
  if (!Number.isInteger(configured.dimension) || configured.dimension < 1) {
    throw new RangeError(`embedder ${configured.name} has no known dimension (${configured.dimension})`);
  }
  if (stored && stored.embedder === configured.name && stored.dimension === configured.dimension) {
    return { action: 'use', space: stored };
  }
  const next: VectorSpace = {
    embedder: configured.name,
    dimension: configured.dimension,
    generation: (stored?.generation ?? 0) + 1,
  };
  if (!stored) return { action: 'create', space: next, drop: null };
  if (storedExperiences === 0) return { action: 'create', space: next, drop: stored };
  return { action: 'mismatch', stored, configured };
}

export function vectorTableName(space: Pick<VectorSpace, 'generation'>): string {
  if (!Number.isSafeInteger(space.generation) || space.generation < 1) {
    throw new RangeError(`invalid vector table generation ${space.generation}`);
  }
  return `experience_vectors_${space.generation}`;
}

export function vectorIndexName(space: Pick<VectorSpace, 'generation'>): string {
  return `${vectorTableName(space)}_idx`;
}

export function describeSpace(space: Pick<VectorSpace, 'embedder' | 'dimension'>): string {
  return `${space.embedder} (${space.dimension} dimensions)`;
}

/** Reads the stored state defensively: a hand-edited row must never become a table name. */
export function parseVectorSpace(value: unknown): VectorSpace | null {
  if (value === undefined || value === null) return null;
  const v = (typeof value === 'object' ? value : {}) as Record<string, unknown>;
  if (
    typeof v.embedder === 'string' &&
    Number.isSafeInteger(v.dimension) &&
    (v.dimension as number) > 0 &&
    Number.isSafeInteger(v.generation) &&
    (v.generation as number) > 0
  ) {
    return { embedder: v.embedder, dimension: v.dimension as number, generation: v.generation as number };
  }
  throw new Error(`server_state ${VECTOR_SPACE_STATE_KEY} is malformed: ${JSON.stringify(value)}`);
}
