/**
 * What every experience tool shares: the store, the (cached) embedder, the clock, and the
 * guard that makes sure stored vectors and the configured embedder belong together.
 */
import type { Embedder } from '@choir/llm';
import type { Logger } from '@choir/server-kit';
import { ToolError } from '@choir/server-kit';
import { forMemory } from './content-words.js';
import { CachedEmbedder } from './embedding-cache.js';
import type { ExperienceStore } from './store.js';
import { decideVectorSpace, describeSpace, type VectorSpace } from './vector-space.js';

export interface ExperienceContext {
  store: ExperienceStore;
  /** Null when CHOIR_EMBEDDING could not be turned into an embedder; `embedderError` says why. */
  embedder: CachedEmbedder | null;
  embedderError: string | null;
  logger: Logger;
  now(): Date;
  /** The vector space matching the embedder, creating it on first use; CONFLICT when they differ. */
  requireSpace(signal?: AbortSignal): Promise<VectorSpace>;
  /**
   * The same check without writing: null when nothing has been stored yet (no space, or an
   * empty one built by another embedder), CONFLICT when stored experiences use another embedder.
   */
  currentSpace(signal?: AbortSignal): Promise<VectorSpace | null>;
  /** The usable embedder, or MODEL_UNAVAILABLE naming the configuration problem. */
  requireEmbedder(): CachedEmbedder;
  /** Set while experience_reindex runs in this process. */
  reindexing: boolean;
}

export interface ContextOptions {
  store: ExperienceStore;
  embedder: Embedder | (() => Embedder);
  logger: Logger;
  now?: () => Date;
}

export function createContext(options: ContextOptions): ExperienceContext {
  const { store, logger } = options;
  let embedder: CachedEmbedder | null = null;
  let embedderError: string | null = null;
  try {
    const raw = typeof options.embedder === 'function' ? options.embedder() : options.embedder;
    embedder = new CachedEmbedder(forMemory(raw), store.store);
  } catch (error) {
    embedderError = (error as Error).message;
    logger.error(
      { err: embedderError },
      'embedder configuration is invalid; tools that need vectors will refuse',
    );
  }
  const now = options.now ?? (() => new Date());
  let purgedCache = false;

  const context: ExperienceContext = {
    store,
    embedder,
    embedderError,
    logger,
    now,
    reindexing: false,
    requireEmbedder() {
      if (embedder) return embedder;
      throw new ToolError(
        'MODEL_UNAVAILABLE',
        `the embedder is not usable: ${embedderError}`,
        'Set CHOIR_EMBEDDING to builtin, openai-compatible:<model> or ollama:<model>.',
      );
    },
    async currentSpace(signal) {
      const usable = context.requireEmbedder();
      await usable.ready(signal);
      const configured = { name: usable.name, dimension: usable.dimension };
      const stored = await store.readVectorSpace(store.db);
      if (stored && stored.embedder === configured.name && stored.dimension === configured.dimension) {
        return stored;
      }
      const count = await store.countExperiences(store.db);
      const decision = decideVectorSpace(stored, configured, count);
      if (decision.action === 'use') return decision.space;
      if (decision.action === 'mismatch') throw mismatchError(decision.stored, configured, count);
      return null;
    },
    async requireSpace(signal) {
      const usable = context.requireEmbedder();
      await usable.ready(signal);
      const configured = { name: usable.name, dimension: usable.dimension };
      const stored = await store.readVectorSpace(store.db);
      if (stored && stored.embedder === configured.name && stored.dimension === configured.dimension) {
        return stored;
      }
      if (!purgedCache) {
        purgedCache = true;
        // Expired embeddings would otherwise only go when the same text comes back.
        const purged = await store.store.cachePurgeExpired();
        if (purged > 0) logger.info({ purged }, 'expired cache entries removed');
      }
      return store.transaction(async (trx) => {
        // Read again under the write lock: another process may have just created the space.
        const current = await store.readVectorSpace(trx);
        const decision = decideVectorSpace(current, configured, await store.countExperiences(trx));
        if (decision.action === 'use') return decision.space;
        if (decision.action === 'mismatch')
          throw mismatchError(decision.stored, configured, await store.countExperiences(trx));
        await store.createVectorTable(trx, decision.space);
        await store.writeVectorSpace(trx, decision.space, now().toISOString());
        if (decision.drop) await store.dropVectorTable(trx, decision.drop);
        logger.info(
          { embedder: configured.name, dimension: configured.dimension, replaced: decision.drop?.embedder },
          'vector space created',
        );
        return decision.space;
      });
    },
  };
  return context;
}

export function mismatchError(
  stored: VectorSpace,
  configured: { name: string; dimension: number },
  count: number,
): ToolError {
  return new ToolError(
    'CONFLICT',
    `the stored experiences were embedded with ${describeSpace(stored)}, but the configured embedder is ` +
      `${describeSpace({ embedder: configured.name, dimension: configured.dimension })}; similarities across ` +
      'two embedders mean nothing, so this server will not mix them',
    `Run experience_reindex to re-embed all ${count} experiences with ${configured.name}, ` +
      `or set CHOIR_EMBEDDING back to the embedder that built them (${stored.embedder}).`,
  );
}
