/**
 * Experience ids are `exp_<seq>`: short enough for a model to cite as `[exp_12]`, and only
 * [A-Za-z0-9_] so they survive any markup.
 */
const ID_PATTERN = /^exp_([1-9][0-9]{0,15})$/;

export function formatExperienceId(seq: number): string {
  return `exp_${seq}`;
}

/** The sequence number behind an id, or null when the text is not an experience id at all. */
export function parseExperienceId(id: string): number | null {
  const match = ID_PATTERN.exec(id);
  if (!match) return null;
  const seq = Number(match[1]);
  return Number.isSafeInteger(seq) ? seq : null;
}
