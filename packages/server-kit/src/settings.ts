import type { LanguageModel } from '@choir/llm';
import type { Store } from '@choir/storage';
import type { Inflight } from './inflight.js';
import type { Logger } from './logger.js';

export type Env = Record<string, string | undefined>;

export interface ServerSettings {
  /** REQUEST_TIMEOUT_MS: how long a model call may take. */
  requestTimeoutMs: number;
  /** MAX_RETRIES: retries of transient model failures. */
  maxRetries: number;
  /** CHOIR_SAMPLING=off ignores a client's sampling capability. */
  useSampling: boolean;
}

/** What createXServer(deps) gets: everything with I/O is made by the caller, so tests can swap it. */
export interface ServerDeps<DB = unknown> {
  store: Store<DB>;
  logger: Logger;
  /** The provider from this server's environment, or null (sampling or no-model path). */
  model: LanguageModel | null;
  modelDescription: string;
  env: Env;
  settings: ServerSettings;
  inflight: Inflight;
}

export function loadSettings(env: Env): ServerSettings {
  return {
    requestTimeoutMs: positiveInt(env, 'REQUEST_TIMEOUT_MS', 30_000),
    maxRetries: nonNegativeInt(env, 'MAX_RETRIES', 3),
    useSampling: (env.CHOIR_SAMPLING ?? 'on').toLowerCase() !== 'off',
  };
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const value = nonNegativeInt(env, name, fallback);
  if (value === 0) throw new Error(`${name} must be a positive integer, got 0`);
  return value;
}

function nonNegativeInt(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}
