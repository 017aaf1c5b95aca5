/**
 * Which memories to drop when a persona has more than its cap: the lowest retention score
 * (weighted importance, access and recency) goes first; recent and very important memories are
 * protected.
 */
import { DAY_MS, HOUR_MS, halfLifeFactor, round6 } from './numbers.js';

export const PRUNE_RULES = {
  /** Memories kept per persona (PERSONA_MEMORY_CAP overrides). */
  cap: 500,
  weights: { importance: 0.6, access: 0.25, recency: 0.15 },
  /** Accesses at which the access term reaches 1 (it grows with ln(1 + n)). */
  accessSaturation: 10,
  /** Recency halves every this many days since the last access (or creation). */
  recencyHalfLifeDays: 7,
  /** Memories younger than this are never pruned. */
  protectRecentHours: 24,
  /** Memories at or above this (current) importance are never pruned. */
  protectedImportance: 0.9,
} as const;

export interface RetentionInput {
  id: string;
  /** Current (decayed) importance. */
  importance: number;
  accessCount: number;
  /** ms since epoch */
  createdAt: number;
  /** ms since epoch, or null when never recalled. */
  lastAccessed: number | null;
}

export function accessScore(accessCount: number): number {
  return Math.min(1, Math.log1p(Math.max(0, accessCount)) / Math.log1p(PRUNE_RULES.accessSaturation));
}

export function retentionScore(memory: RetentionInput, now: number): number {
  const w = PRUNE_RULES.weights;
  const touched = Math.max(memory.createdAt, memory.lastAccessed ?? memory.createdAt);
  const recency = halfLifeFactor(Math.max(0, now - touched) / DAY_MS, PRUNE_RULES.recencyHalfLifeDays);
  return round6(
    w.importance * memory.importance + w.access * accessScore(memory.accessCount) + w.recency * recency,
  );
}

export function isProtected(memory: RetentionInput, now: number): boolean {
  return (
    now - memory.createdAt < PRUNE_RULES.protectRecentHours * HOUR_MS ||
    memory.importance >= PRUNE_RULES.protectedImportance
  );
}

export interface PrunePlan {
  /** Ids to delete, least valuable first. */
  prune: string[];
  /** How many over the cap remain because everything left is protected. */
  overCapProtected: number;
}

export function planPruning(memories: readonly RetentionInput[], cap: number, now: number): PrunePlan {
  const excess = memories.length - cap;
  if (excess <= 0) return { prune: [], overCapProtected: 0 };
  const candidates = memories
    .filter((m) => !isProtected(m, now))
    .map((m) => ({ m, score: retentionScore(m, now) }))
    .sort((a, b) => a.score - b.score || a.m.createdAt - b.m.createdAt || (a.m.id < b.m.id ? -1 : 1));
  const prune = candidates.slice(0, excess).map((c) => c.m.id);
  return { prune, overCapProtected: excess - prune.length };
}
