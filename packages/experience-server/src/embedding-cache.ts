/**
 * An embedder whose answers are remembered, keyed by the embedder, its dimension and a hash of
 * the text: in memory (the last MEMORY_ENTRIES texts) and, for tools that write anyway, in the
 * store's cache (server_cache). The host searches with a user's message and then records the
 * same message, so a provider embedder is asked once, not twice — and experience_search stays
 * truly read-only, because it only reads the persistent cache.
 *
 * The built-in hash embedder is only memoised in memory: hashing a message takes microseconds,
 * while a cache row costs a committed write (about 2-3 ms of a record's 8-10 ms, measured by
 * `pnpm bench`), so persisting its vectors would make every call slower, not faster.
 */
import { createHash } from 'node:crypto';
import { type Embedder, HASH_EMBEDDER_NAME } from '@choir/llm';

/** Long enough to cover a conversation's search-then-record, short enough not to hoard. */
export const EMBEDDING_CACHE_TTL_SECONDS = 7 * 24 * 3600;
/** In-process memo size: a few turns' worth of searched and recorded texts. */
export const MEMORY_ENTRIES = 512;

export interface CacheLike {
  cacheGet<T = unknown>(key: string): Promise<T | undefined>;
  cacheSet(key: string, value: unknown, ttlSeconds?: number | null): Promise<void>;
}

export interface EmbedOutcome {
  vectors: Float32Array[];
  /** How many of the texts came from the cache. */
  cached: number;
}

export function embeddingCacheKey(embedder: string, dimension: number, text: string): string {
  const digest = createHash('sha256').update(text).digest('base64url');
  return `embedding:${embedder}:${dimension}:${digest}`;
}

/** Float32 bytes as base64: a quarter of the size of a JSON number array, and lossless. */
export function encodeVector(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

export function decodeVector(encoded: string): Float32Array {
  const bytes = Buffer.from(encoded, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

export interface EmbedOptions {
  signal?: AbortSignal;
  /** Also write fresh embeddings to the store's cache (false keeps the call free of writes). */
  persist?: boolean;
}

interface MemoEntry {
  vector: Float32Array;
  /** Whether server_cache holds it too. */
  persisted: boolean;
}

export class CachedEmbedder {
  private readonly memory = new Map<string, MemoEntry>();

  /** Whether vectors go to server_cache as well as memory. */
  readonly persistent: boolean;

  constructor(
    readonly embedder: Embedder,
    private readonly cache: CacheLike,
    options: { persistent?: boolean; ttlSeconds?: number } = {},
  ) {
    this.persistent = options.persistent ?? !embedder.name.startsWith(HASH_EMBEDDER_NAME);
    this.ttlSeconds = options.ttlSeconds ?? EMBEDDING_CACHE_TTL_SECONDS;
  }

  private readonly ttlSeconds: number;

  get name(): string {
    return this.embedder.name;
  }

  /** 0 for a provider embedder until `ready()` or its first answer. */
  get dimension(): number {
    return this.embedder.dimension;
  }

  async ready(signal?: AbortSignal): Promise<void> {
    if (this.embedder.dimension === 0) await this.embedder.ready?.(signal);
  }

  /** Embeds through the caches. Never call inside a database transaction (the cache uses the store). */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedOutcome> {
    const { signal } = options;
    const persist = this.persistent && (options.persist ?? true);
    const readCache = this.persistent;
    await this.ready(signal);
    const dimension = this.embedder.dimension;
    const keys = texts.map((text) => embeddingCacheKey(this.name, dimension, text));
    const entries: (MemoEntry | undefined)[] = [];
    const missing: number[] = [];
    for (let i = 0; i < texts.length; i++) {
      let entry = this.remembered(keys[i]!);
      if (!entry && readCache) {
        const hit = await this.cache.cacheGet<string>(keys[i]!);
        const decoded = typeof hit === 'string' ? decodeVector(hit) : undefined;
        if (decoded && decoded.length === dimension) entry = { vector: decoded, persisted: true };
      }
      if (entry) entries[i] = entry;
      else missing.push(i);
    }
    if (missing.length > 0) {
      const fresh = await this.embedder.embed(
        missing.map((i) => texts[i]!),
        signal,
      );
      missing.forEach((i, j) => {
        entries[i] = { vector: fresh[j]!, persisted: false };
      });
    }
    for (let i = 0; i < texts.length; i++) {
      const entry = entries[i]!;
      // A text first seen by a read-only call is persisted by the first call that may write.
      if (persist && !entry.persisted) {
        await this.cache.cacheSet(keys[i]!, encodeVector(entry.vector), this.ttlSeconds);
        entry.persisted = true;
      }
      this.remember(keys[i]!, entry);
    }
    return { vectors: entries.map((e) => e!.vector), cached: texts.length - missing.length };
  }

  async embedOne(text: string, options: EmbedOptions = {}): Promise<Float32Array> {
    const { vectors } = await this.embed([text], options);
    return vectors[0]!;
  }

  /** Embeds without any cache: inside a transaction, where the store's cache cannot be used. */
  async embedUncached(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.embedder.embed(texts, signal);
  }

  private remembered(key: string): MemoEntry | undefined {
    const entry = this.memory.get(key);
    if (entry) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.memory.delete(key);
      this.memory.set(key, entry);
    }
    return entry;
  }

  private remember(key: string, entry: MemoEntry): void {
    this.memory.delete(key);
    this.memory.set(key, entry);
    if (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value!);
  }
}
