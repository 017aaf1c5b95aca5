/** Reading settings from an environment map: blank counts as unset, numbers are checked. */
import { LlmError } from './types.js';

export type Env = Record<string, string | undefined>;

export function envString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function envInt(env: Env, name: string, fallback: number, min = 0): number {
  const raw = envString(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new LlmError('config', `${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

/** `localhost:11434`, `0.0.0.0:11434` or `http://host:11434/` → a URL fetch can use. */
export function normaliseHost(host: string): string {
  let url = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`;
  // Ollama listens on 0.0.0.0 when told OLLAMA_HOST=0.0.0.0; you cannot connect to that address.
  url = url.replace('://0.0.0.0', '://127.0.0.1');
  return url.replace(/\/+$/, '');
}
