/**
 * Retrieval: the candidate lists (approximate vector neighbours, BM25 keyword hits), their
 * fusion, and the novelty of the query. Knows the store, not MCP.
 */
import { buildFtsMatch } from './fts-query.js';
import { RRF_K, reciprocalRankFusion } from './rank-fusion.js';
import type { ExperienceStore, KeywordHit, ScoredSeq } from './store.js';
import type { VectorSpace } from './vector-space.js';

/**
 * How many approximate neighbours max_similarity is taken over. The index's best guess at the
 * single nearest can be wrong; the exact maximum over ten candidates rarely is.
 */
export const NOVELTY_NEIGHBOURS = 10;

export const SEARCH_MODES = ['hybrid', 'vector', 'keyword'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];
export const MAX_TOP_K = 50;

/** How deep each ranked list goes before fusion and filtering: deeper lists help RRF. */
export function candidatePoolSize(topK: number): number {
  return Math.min(200, Math.max(50, topK * 4));
}

export interface Candidate {
  seq: number;
  score: number;
  similarity: number | undefined;
  keyword: number | undefined;
  fused: number | undefined;
}

/** Orders candidates the way the mode ranks them; pure, so it is tested with exact inputs. */
export function rankCandidates(
  mode: SearchMode,
  vectorList: ScoredSeq[],
  keywordList: KeywordHit[],
): Candidate[] {
  const similarity = new Map(vectorList.map((v) => [v.seq, v.similarity]));
  const keyword = new Map(keywordList.map((k) => [k.seq, k.score]));
  if (mode === 'vector') {
    return vectorList.map((v) => ({
      seq: v.seq,
      score: v.similarity,
      similarity: v.similarity,
      keyword: keyword.get(v.seq),
      fused: undefined,
    }));
  }
  if (mode === 'keyword') {
    return keywordList.map((k) => ({
      seq: k.seq,
      score: k.score,
      similarity: similarity.get(k.seq),
      keyword: k.score,
      fused: undefined,
    }));
  }
  return reciprocalRankFusion([vectorList.map((v) => v.seq), keywordList.map((k) => k.seq)], RRF_K).map(
    (f) => ({
      seq: f.key,
      score: f.score,
      similarity: similarity.get(f.key),
      keyword: keyword.get(f.key),
      fused: f.score,
    }),
  );
}

export interface SearchRequest {
  query: string;
  topK: number;
  minRelevance?: number;
  threadId?: string;
  mode: SearchMode;
}

export interface SearchResult {
  candidates: Candidate[];
  maxSimilarity: number;
}

/** The search itself, without MCP: also used by the retrieval test and the benchmark. */
export async function searchMemory(
  store: ExperienceStore,
  space: VectorSpace,
  embedding: Float32Array,
  request: SearchRequest,
): Promise<SearchResult> {
  const db = store.db;
  const pool = candidatePoolSize(request.topK);
  const wantsVector = request.mode !== 'keyword';
  const vectorList = wantsVector
    ? request.threadId === undefined
      ? await store.nearest(db, space, embedding, pool)
      : // vector_top_k cannot filter; a thread is small enough to scan exactly.
        await store.nearestExact(db, space, embedding, pool, request.threadId)
    : [];
  const match = request.mode === 'vector' ? null : buildFtsMatch(request.query);
  const keywordList = match ? await store.keywordSearch(db, match, pool, request.threadId) : [];

  const globalNearest =
    wantsVector && request.threadId === undefined
      ? vectorList
      : await store.nearest(db, space, embedding, NOVELTY_NEIGHBOURS);
  const maxSimilarity = Math.max(0, ...globalNearest.map((n) => n.similarity));

  const candidates = rankCandidates(request.mode, vectorList, keywordList);
  await fillSimilarities(store, space, embedding, candidates);
  const kept = candidates.filter(
    (c) => request.minRelevance === undefined || (c.similarity ?? 0) >= request.minRelevance,
  );
  return { candidates: kept.slice(0, request.topK), maxSimilarity };
}

/** Keyword-only candidates get their exact similarity too, so every prior carries scores.vector. */
async function fillSimilarities(
  store: ExperienceStore,
  space: VectorSpace,
  embedding: Float32Array,
  candidates: Candidate[],
): Promise<void> {
  const unknown = candidates.filter((c) => c.similarity === undefined).map((c) => c.seq);
  if (unknown.length === 0) return;
  const found = await store.similarities(store.db, space, embedding, unknown);
  for (const c of candidates) if (c.similarity === undefined) c.similarity = found.get(c.seq) ?? 0;
}
