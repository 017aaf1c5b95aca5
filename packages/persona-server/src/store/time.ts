/** Stored times are ISO-8601 UTC text; arithmetic uses ms since epoch. */
export const iso = (ms: number): string => new Date(ms).toISOString();
export const ms = (text: string): number => Date.parse(text);
export const msOrNull = (text: string | null): number | null => (text === null ? null : Date.parse(text));
