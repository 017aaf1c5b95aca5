/** Content shortened for results that list many experiences. */

export const DEFAULT_PREVIEW_CHARS = 1000;

export interface Preview {
  text: string;
  truncated: boolean;
}

/**
 * The first `maxChars` characters, cut back to the last word boundary when one is near, with
 * an ellipsis. Counts code points, so a surrogate pair is never split.
 */
export function previewOf(content: string, maxChars: number = DEFAULT_PREVIEW_CHARS): Preview {
  const chars = Array.from(content);
  if (chars.length <= maxChars) return { text: content, truncated: false };
  let cut = chars.slice(0, maxChars).join('');
  const space = cut.search(/\s\S*$/u);
  if (space > maxChars * 0.8) cut = cut.slice(0, space);
  return { text: `${cut.trimEnd()}…`, truncated: true };
}
