/** Cosine similarity in plain arithmetic, for the few vectors compared outside SQL. */

/** Cosine similarity of two vectors; 0 when either has no length (a text with no words). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vectors differ in length: ${a.length} and ${b.length}`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  if (normA === 0 || normB === 0) return 0;
  return dot / Math.sqrt(normA * normB);
}

/**
 * libSQL's vector_distance_cos is 1 - cosine similarity, and NULL when a vector is all zeros;
 * a missing distance means "nothing in common".
 */
export function similarityFromDistance(distance: number | null | undefined): number {
  if (distance === null || distance === undefined || !Number.isFinite(distance)) return 0;
  return 1 - distance;
}

/** Scores in results are rounded so clients and tests see stable numbers. */
export function roundScore(value: number, digits = 6): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
