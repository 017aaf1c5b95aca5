import { join } from 'node:path';
import envPaths from 'env-paths';

export type Env = Record<string, string | undefined>;

/** Where file databases live: CHOIR_DATA_DIR, else the XDG data dir (~/.local/share/choir). */
export function resolveDataDir(env: Env = process.env): string {
  const configured = env.CHOIR_DATA_DIR?.trim();
  if (configured) return configured;
  return envPaths('choir', { suffix: '' }).data;
}

export interface DatabaseLocation {
  url: string;
  authToken?: string;
  /** Absolute file path for file databases; undefined for remote libSQL. */
  filePath?: string;
  /** Why this location was chosen, for `choir doctor` and logs. */
  source: string;
}

function serverEnvKey(server: string): string {
  return server.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * Resolves a server's database: explicit url, then CHOIR_DATABASE_URL_<SERVER>, then
 * DATABASE_URL (+ DATABASE_AUTH_TOKEN), then DATABASE_PATH, then `<data dir>/<server>.db`.
 */
export function resolveDatabaseLocation(
  server: string,
  env: Env = process.env,
  url?: string,
): DatabaseLocation {
  const perServer = env[`CHOIR_DATABASE_URL_${serverEnvKey(server)}`];
  const chosen =
    (url && { value: url, source: 'explicit url' }) ||
    (perServer && { value: perServer, source: `CHOIR_DATABASE_URL_${serverEnvKey(server)}` }) ||
    (env.DATABASE_URL && { value: env.DATABASE_URL, source: 'DATABASE_URL' }) ||
    (env.DATABASE_PATH && { value: env.DATABASE_PATH, source: 'DATABASE_PATH' });
  if (chosen) {
    const value = chosen.value.trim();
    if (/^(libsql|https?|wss?):/i.test(value)) {
      return { url: value, authToken: env.DATABASE_AUTH_TOKEN, source: chosen.source };
    }
    if (value === ':memory:') return { url: ':memory:', source: chosen.source };
    const filePath = value.startsWith('file:') ? value.slice('file:'.length) : value;
    return { url: `file:${filePath}`, filePath, source: chosen.source };
  }
  const filePath = join(resolveDataDir(env), `${server}.db`);
  return {
    url: `file:${filePath}`,
    filePath,
    source: env.CHOIR_DATA_DIR ? 'CHOIR_DATA_DIR' : 'XDG data dir',
  };
}
