/**
 * Which priors matter, decided without a model: the Understanding phase's documented rule.
 *
 * Rule: keep the best-scoring prior and every prior scoring at least RELATIVE_KEEP × the best
 * score, at most MAX_KEPT of them; prune the rest. Relative, not absolute, because the scale of
 * `score` depends on the retrieval mode (reciprocal-rank fusion gives ~0.03, cosine ~0.8).
 */
import type { Prior, PriorJudgement } from '@choir/contracts';

export const RELATIVE_KEEP = 0.5;
export const MAX_KEPT = 3;

export function judgePriorsByRule(priors: readonly Prior[]): PriorJudgement {
  if (priors.length === 0) return { kept: [], pruned: [], should_yield: true, reason: 'no priors to judge' };
  const ranked = [...priors].sort((a, b) => b.score - a.score);
  const best = ranked[0]!.score;
  const kept: string[] = [];
  const pruned: string[] = [];
  for (const prior of ranked) {
    const strongEnough = best <= 0 ? prior === ranked[0] : prior.score >= RELATIVE_KEEP * best;
    if (strongEnough && kept.length < MAX_KEPT) kept.push(prior.id);
    else pruned.push(prior.id);
  }
  return {
    kept,
    pruned,
    should_yield: true,
    reason: `no model: kept priors scoring at least ${RELATIVE_KEEP} × the best (${round(best)}), at most ${MAX_KEPT}`,
  };
}

/** The ids, among `priors`, that a text names in square brackets ([a] or [a, b]), in order of first mention. */
export function idsMentioned(text: string, priors: readonly Prior[]): string[] {
  const known = new Set(priors.map((p) => p.id));
  const found: string[] = [];
  for (const match of text.matchAll(/\[([^\]\n]{1,400})\]/g)) {
    for (const part of match[1]!.split(',')) {
      const id = part.trim();
      if (known.has(id) && !found.includes(id)) found.push(id);
    }
  }
  return found;
}

/** The draft the model is asked to improve: the rule's judgement, written out. */
export function judgementDraft(message: string, priors: readonly Prior[], draft: PriorJudgement): string {
  const list = priors.map((p) => `[${p.id}] (score ${round(p.score)}) ${preview(p.content)}`).join('\n');
  return [
    `Understanding: which of these remembered passages matter for answering the user's message?`,
    `User message: ${message}`,
    `Passages:\n${list}`,
    `Draft judgement: keep ${draft.kept.map((id) => `[${id}]`).join(', ') || 'none'}; ` +
      `prune ${draft.pruned.map((id) => `[${id}]`).join(', ') || 'none'}.`,
    'Improve the draft: name every passage that matters by its id in square brackets, and only those, ' +
      'with one sentence on why.',
  ].join('\n\n');
}

function preview(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
