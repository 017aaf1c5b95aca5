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

/**
 * How many of each list's best take part in the fusion: top_k, as Elasticsearch's RRF does by
 * default (rank_window_size = size). A deeper window lets a document that both lists rank
 * poorly (say 30th and 30th: 2/90) outrank one that a single list ranks first (1/61); on the
 * shipped corpus hybrid recall@5 is 0.944 with window 5, 0.933 with 10, 0.922 with 20 to 100.
 */
export function fusionWindow(topK: number): number {
  return topK;
}

/** How deep the lists are read when min_relevance may discard some of their best. */
export function filteredDepth(topK: number): number {
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
  const window = fusionWindow(request.topK);
  const depth = request.minRelevance === undefined ? window : filteredDepth(request.topK);
  const wantsVector = request.mode !== 'keyword';
  let vectorList: ScoredSeq[] = [];
  let maxSimilarity: number;
  if (request.threadId === undefined) {
    // One index query serves both the vector list and the query's novelty.
    const nearest = await store.nearest(db, space, embedding, Math.max(depth, NOVELTY_NEIGHBOURS));
    maxSimilarity = Math.max(0, ...nearest.map((n) => n.similarity));
    if (wantsVector) vectorList = nearest.slice(0, depth);
  } else {
    // Novelty is against everything stored, not just the thread.
    const nearest = await store.nearest(db, space, embedding, NOVELTY_NEIGHBOURS);
    maxSimilarity = Math.max(0, ...nearest.map((n) => n.similarity));
    // vector_top_k cannot filter; a thread is small enough to scan exactly.
    if (wantsVector) vectorList = await store.nearestExact(db, space, embedding, depth, request.threadId);
  }
  const match = request.mode === 'vector' ? null : buildFtsMatch(request.query);
  const keywordList = match ? await store.keywordSearch(db, match, depth, request.threadId) : [];

  // min_relevance gates candidates before fusion, so what it removes leaves room for the next best.
  const similarity = new Map(vectorList.map((v) => [v.seq, v.similarity]));
  const unknown = keywordList.filter((k) => !similarity.has(k.seq)).map((k) => k.seq);
  for (const [seq, value] of await store.similarities(db, space, embedding, unknown))
    similarity.set(seq, value);
  const passes = (seq: number) =>
    request.minRelevance === undefined || (similarity.get(seq) ?? 0) >= request.minRelevance;

  const candidates = rankCandidates(
    request.mode,
    vectorList.filter((v) => passes(v.seq)).slice(0, window),
    keywordList.filter((k) => passes(k.seq)).slice(0, window),
  );
  for (const c of candidates) c.similarity ??= similarity.get(c.seq) ?? 0;
  return { candidates: candidates.slice(0, request.topK), maxSimilarity };
}
