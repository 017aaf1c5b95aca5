import type { ServerDeps } from '@choir/server-kit';
import type { ReasoningDB } from './store/tables.js';

export type ReasoningDeps = ServerDeps<ReasoningDB>;

/** REASONING_CACHE_TTL_SECONDS: how long generated results are reused (0 turns the cache off). */
export const DEFAULT_CACHE_TTL_SECONDS = 3600;

export function cacheTtlSeconds(env: Record<string, string | undefined>): number {
  const raw = env.REASONING_CACHE_TTL_SECONDS?.trim();
  if (!raw) return DEFAULT_CACHE_TTL_SECONDS;
  if (!/^\d+$/.test(raw))
    throw new Error(`REASONING_CACHE_TTL_SECONDS must be a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}
