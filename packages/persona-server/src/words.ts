/** Word tokens for overlap measures and full-text queries: letters and digits of any script. */
export function wordsOf(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** |A ∩ B| / |A ∪ B| over word sets; 0 when both are empty. */
export function jaccard(a: string, b: string): number {
  const setA = new Set(wordsOf(a));
  const setB = new Set(wordsOf(b));
  if (setA.size === 0 && setB.size === 0) return 0;
  let shared = 0;
  for (const word of setA) if (setB.has(word)) shared++;
  return shared / (setA.size + setB.size - shared);
}
