/** Keeps credentials out of anything a person or a log might read. */

const REDACTED = '[redacted]';

/** Shapes of credentials worth hiding even when we were not told the exact value. */
const CREDENTIAL_PATTERNS: RegExp[] = [
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\b(?:sk|pk|rk|gsk|pipe|org|lb)[-_][A-Za-z0-9_-]{12,}/g,
];

export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short "keys" (test placeholders, `x`) would shred the message if replaced.
    if (secret && secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of CREDENTIAL_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/** A base URL fit to print: no `user:password@`, no query string (some proxies take keys there). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}
