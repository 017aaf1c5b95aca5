/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): each list contributes
 * 1 / (k + rank) for every item it holds (rank from 1), and items are ordered by the sum.
 * It needs no score calibration between lists, which is why it suits cosine similarities and
 * BM25 scores that live on unrelated scales.
 */

/** The constant from the paper; it damps the weight of the very top ranks. */
export const RRF_K = 60;

export interface FusedItem<K> {
  key: K;
  /** Sum of 1/(k + rank) over the lists that hold the item. */
  score: number;
  /** 1-based rank in each input list, or null where the list does not hold the item. */
  ranks: (number | null)[];
}

/**
 * Fuses ranked lists of keys (best first). A key repeated within one list counts at its first
 * position. Ties break by the best single rank, then by the order of first appearance, so the
 * result is deterministic.
 */
export function reciprocalRankFusion<K>(lists: readonly (readonly K[])[], k: number = RRF_K): FusedItem<K>[] {
  if (!(k >= 0)) throw new RangeError(`k must be >= 0, got ${k}`);
  const items = new Map<K, FusedItem<K> & { order: number }>();
  lists.forEach((list, listIndex) => {
    list.forEach((key, position) => {
      let item = items.get(key);
      if (!item) {
        item = { key, score: 0, ranks: lists.map(() => null), order: items.size };
        items.set(key, item);
      }
      if (item.ranks[listIndex] !== null) return;
      const rank = position + 1;
      item.ranks[listIndex] = rank;
      item.score += 1 / (k + rank);
    });
  });
  const bestRank = (item: FusedItem<K>) => Math.min(...item.ranks.map((r) => r ?? Number.POSITIVE_INFINITY));
  return [...items.values()]
    .sort((a, b) => b.score - a.score || bestRank(a) - bestRank(b) || a.order - b.order)
    .map(({ key, score, ranks }) => ({ key, score, ranks }));
}
