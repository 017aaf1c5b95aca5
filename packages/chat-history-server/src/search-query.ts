/**
 * Turns what a person types into an FTS5 query. Words are quoted, so FTS5 operators and
 * punctuation in the text cannot cause a syntax error; "double-quoted text" stays a phrase and
 * a trailing * asks for a prefix match.
 */

export type MatchMode = 'all' | 'any';

/** Unicode letters and digits, as the index's unicode61 tokenizer splits them. */
const WORD = /[\p{L}\p{N}\p{M}_]+/gu;

function quote(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

function phrase(text: string): string | null {
  const words = text.match(WORD);
  return words ? quote(words.join(' ')) : null;
}

/** The FTS5 expression for `text`, or null when it holds nothing searchable. */
export function toFtsQuery(text: string, mode: MatchMode = 'all'): string | null {
  const terms: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[1] !== undefined) {
      const p = phrase(match[1]);
      if (p) terms.push(p);
      continue;
    }
    const token = match[2]!;
    const prefix = token.endsWith('*');
    const words = token.match(WORD) ?? [];
    words.forEach((word, i) => {
      terms.push(prefix && i === words.length - 1 ? `${quote(word)}*` : quote(word));
    });
  }
  if (terms.length === 0) return null;
  return terms.join(mode === 'all' ? ' AND ' : ' OR ');
}
