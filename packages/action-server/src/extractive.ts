/**
 * Answers without a model: the best priors quoted as found, each with its [id]. Nothing here
 * is presented as model output; every text says why it is extractive.
 */
import type { Citation, Prior } from '@choir/contracts';

export const EXTRACTIVE_PRIORS = 3;
export const MAX_PRIOR_QUOTE_CHARS = 400;

/** The priors worth quoting: highest score first (ties keep the caller's order), no blank ones. */
export function bestPriors(priors: readonly Prior[], count = EXTRACTIVE_PRIORS): Prior[] {
  return priors
    .map((prior, index) => ({ prior, index }))
    .filter(({ prior }) => prior.content.trim().length > 0)
    .sort((a, b) => b.prior.score - a.prior.score || a.index - b.index)
    .slice(0, count)
    .map(({ prior }) => prior);
}

/**
 * A prior's content on one line, cut to `maxChars`: at the last sentence end when one falls in
 * the second half, else at a word boundary, marked with an ellipsis.
 */
export function quotePrior(content: string, maxChars = MAX_PRIOR_QUOTE_CHARS): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const head = flat.slice(0, maxChars - 1);
  const sentenceEnd = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  if (sentenceEnd >= maxChars / 2) return `${head.slice(0, sentenceEnd + 1)} …`;
  const space = head.lastIndexOf(' ');
  return `${(space > 0 ? head.slice(0, space) : head).trimEnd()}…`;
}

export interface ExtractiveAnswer {
  text: string;
  citations: Citation[];
}

/** `header`, then the best priors as a numbered list of quotes with their ids. */
export function extractiveAnswer(
  header: string,
  priors: readonly Prior[],
  nothingFound: string,
): ExtractiveAnswer {
  const chosen = bestPriors(priors);
  if (chosen.length === 0) return { text: `${header}\n\n${nothingFound}`, citations: [] };
  const quotes = chosen.map((prior) => ({ id: prior.id, quote: quotePrior(prior.content) }));
  const list = quotes.map((q, i) => `${i + 1}. "${q.quote}" [${q.id}]`).join('\n');
  return {
    text: `${header}\n\n${list}`,
    citations: quotes.map((q) => ({ prior_id: q.id, quote: q.quote })),
  };
}

export const NO_MODEL_YIELD_HEADER =
  'No model is configured (the client offers no MCP sampling and no provider is set), so this answer ' +
  'is extractive: the stored passages most relevant to your message, quoted as found.';

export function degradedYieldHeader(reason: string): string {
  return (
    `The model failed (${reason}), so this answer is extractive: the stored passages most relevant to ` +
    'your message, quoted as found.'
  );
}

export const NOTHING_FOUND = 'Nothing stored relates to this message, so there is nothing to quote.';

export const NO_MODEL_RESPOND_HEADER =
  'No model is configured (the client offers no MCP sampling and no provider is set), so no answer was ' +
  'generated.';

/** The Action phase without a model: the notice, then what the system found, if anything. */
export function noModelFirstAnswer(priors: readonly Prior[]): ExtractiveAnswer {
  if (bestPriors(priors).length === 0) {
    return {
      text: `${NO_MODEL_RESPOND_HEADER}\n\nNo stored passages were given to this step.`,
      citations: [],
    };
  }
  return extractiveAnswer(`${NO_MODEL_RESPOND_HEADER} What the system found:`, priors, '');
}
