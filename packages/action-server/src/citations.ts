/**
 * Citations in a model's answer. The model cites a prior by writing its id in square brackets:
 * `[exp_12]`, or several at once: `[exp_12, exp_3]`. Only ids among the priors given survive;
 * the others are reported and removed from the text, so an invented id never reaches the user.
 */
import type { Citation } from '@choir/contracts';

export interface ParsedCitations {
  /** The answer with unknown ids taken out of their brackets (a bracket left empty goes too). */
  text: string;
  /** Known ids, each once, in order of first appearance, with the sentence that cites them. */
  citations: Citation[];
  /** Unknown ids, each once, in order of first appearance. */
  dropped: string[];
}

/**
 * A bracket group on one line with the spaces before it (so removing `[bogus]` from
 * `fact [bogus].` leaves `fact.`), not a Markdown link `[text](url)`, not nested.
 */
const GROUP = /([ \t]*)\[([^[\]\n]{1,400})\](?!\()/g;
/** One id, as prior ids look across the stores: exp_12, ULIDs, uuids, `thread:3`. */
const ID_TOKEN = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/;
/** Fenced code blocks and inline code: brackets there are code (`arr[i1]`), never citations. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;
export const MAX_QUOTE_CHARS = 300;

export function parseCitations(answer: string, priorIds: Iterable<string>): ParsedCitations {
  const known = new Set(priorIds);
  const dropped = new Set<string>();
  const text = mapOutsideCode(answer, (prose) =>
    prose.replace(GROUP, (whole: string, space: string, inner: string, offset: number) => {
      const tokens = splitGroup(inner);
      const before = space ? ' ' : prose[offset - 1];
      if (!tokens || !isCitationGroup(tokens, known, before)) return whole;
      for (const t of tokens) if (!known.has(t)) dropped.add(t);
      const kept = [...new Set(tokens.filter((t) => known.has(t)))];
      if (kept.length) return `${space}[${kept.join(', ')}]`;
      // `x [bogus][exp_7]`: the space belongs to the group that stays.
      return prose[offset + whole.length] === '[' ? space : '';
    }),
  ).trim();
  return { text, citations: collectCitations(text, known), dropped: [...dropped] };
}

/** Removes every citation of a known id, e.g. to quote the answer's words without markers. */
export function stripCitations(text: string, priorIds: Iterable<string>): string {
  const known = new Set(priorIds);
  return mapOutsideCode(text, (prose) =>
    prose.replace(GROUP, (whole: string, _space: string, inner: string) => {
      const tokens = splitGroup(inner);
      return tokens?.every((t) => known.has(t)) ? '' : whole;
    }),
  );
}

/** Ids of a bracket group, or null when it is prose (`[sic]` passes, `[see above]` does not). */
function splitGroup(inner: string): string[] | null {
  const tokens = inner
    .split(/[,;]/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (tokens.length === 0 || !tokens.every((t) => ID_TOKEN.test(t))) return null;
  return tokens;
}

/**
 * A group cites when it names a known id; otherwise only when every token has a digit (an
 * id the model made up, like `[exp_99]` or `[3]`) and it does not index a word (`arr[i1]`).
 * That keeps `[x]`, `[sic]` and `[TODO]` as the text they are.
 */
function isCitationGroup(tokens: string[], known: Set<string>, before: string | undefined): boolean {
  if (tokens.some((t) => known.has(t))) return true;
  if (before !== undefined && /\w/.test(before)) return false;
  return tokens.every((t) => /\d/.test(t));
}

function mapOutsideCode(text: string, fn: (prose: string) => string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(CODE)) {
    out += fn(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + fn(text.slice(last));
}

function collectCitations(text: string, known: Set<string>): Citation[] {
  const citations: Citation[] = [];
  const seen = new Set<string>();
  mapOutsideCode(text, (prose) => {
    for (const match of prose.matchAll(GROUP)) {
      const tokens = splitGroup(match[2]!);
      if (!tokens) continue;
      for (const id of tokens) {
        if (!known.has(id) || seen.has(id)) continue;
        seen.add(id);
        const quote = sentenceBefore(stripCitations(prose.slice(0, match.index), known));
        citations.push(quote ? { prior_id: id, quote } : { prior_id: id });
      }
    }
    return prose;
  });
  return citations;
}

/**
 * The sentence a marker closes: `A. B is true [x].` and `A. B is true. [x]` both give
 * `B is true`-ish text. Starts after the previous sentence end or line break; list markers
 * and Markdown emphasis at its start are dropped.
 */
export function sentenceBefore(prefix: string): string {
  const text = prefix.replace(/\s+$/, '');
  let start = 0;
  for (const match of text.matchAll(/[.!?]["')\]]*\s+|\n/g)) {
    const end = match.index + match[0].length;
    if (end < text.length) start = end;
  }
  const sentence = text
    .slice(start)
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
    .trim();
  if (sentence.length <= MAX_QUOTE_CHARS) return sentence;
  return `…${sentence.slice(sentence.length - MAX_QUOTE_CHARS + 1).trimStart()}`;
}
