/**
 * Citation rewards, as in the original Choir: each citation earns the cited experience
 * CITATION_REWARD, and one citing message pays for at most MAX_REWARDED_CITATIONS citations —
 * citing everything in sight earns nothing extra. Citing the same experience twice from the
 * same message is one citation.
 */

export const CITATION_REWARD = 0.5;
export const MAX_REWARDED_CITATIONS = 5;

export interface CitationDecision<K = string> {
  cited: K;
  /** True when this call creates the citation; false when the message already cited it. */
  isNew: boolean;
  reward: number;
}

/**
 * Decides, in the order given, which citations are new and what each earns, given what the
 * citing message has already cited and how many of its citations were already rewarded.
 */
export function decideCitationRewards<K>(
  requested: readonly K[],
  alreadyCited: ReadonlySet<K>,
  alreadyRewarded: number,
): CitationDecision<K>[] {
  let rewarded = alreadyRewarded;
  const seen = new Set<K>();
  const decisions: CitationDecision<K>[] = [];
  for (const cited of requested) {
    if (seen.has(cited)) continue;
    seen.add(cited);
    if (alreadyCited.has(cited)) {
      decisions.push({ cited, isNew: false, reward: 0 });
      continue;
    }
    const reward = rewarded < MAX_REWARDED_CITATIONS ? CITATION_REWARD : 0;
    if (reward > 0) rewarded++;
    decisions.push({ cited, isNew: true, reward });
  }
  return decisions;
}
