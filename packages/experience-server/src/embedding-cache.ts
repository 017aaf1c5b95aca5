/**
 * An embedder whose answers are remembered in the store's cache (server_cache), keyed by the
 * embedder, its dimension and a hash of the text. The host searches with a user's message and
 * then records the same message, so a provider embedder is asked once, not twice.
 */
import { createHash } from 'node:crypto';
import type { Embedder } from '@choir/llm';

/** Long enough to cover a conversation's search-then-record, short enough not to hoard. */
export const EMBEDDING_CACHE_TTL_SECONDS = 7 * 24 * 3600;

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

export class CachedEmbedder {
  constructor(
    readonly embedder: Embedder,
    private readonly cache: CacheLike,
    private readonly ttlSeconds: number = EMBEDDING_CACHE_TTL_SECONDS,
  ) {}

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

  /** Embeds through the cache. Never call inside a database transaction (the cache uses the store). */
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbedOutcome> {
    await this.ready(signal);
    const dimension = this.embedder.dimension;
    const vectors: (Float32Array | undefined)[] = [];
    const missing: number[] = [];
    for (let i = 0; i < texts.length; i++) {
      const hit = await this.cache.cacheGet<string>(embeddingCacheKey(this.name, dimension, texts[i]!));
      const vector = typeof hit === 'string' ? decodeVector(hit) : undefined;
      if (vector && vector.length === dimension) vectors[i] = vector;
      else missing.push(i);
    }
    if (missing.length > 0) {
      const fresh = await this.embedder.embed(
        missing.map((i) => texts[i]!),
        signal,
      );
      for (let j = 0; j < missing.length; j++) {
        const i = missing[j]!;
        vectors[i] = fresh[j]!;
        await this.cache.cacheSet(
          embeddingCacheKey(this.name, this.embedder.dimension, texts[i]!),
          encodeVector(fresh[j]!),
          this.ttlSeconds,
        );
      }
    }
    return { vectors: vectors as Float32Array[], cached: texts.length - missing.length };
  }

  async embedOne(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const { vectors } = await this.embed([text], signal);
    return vectors[0]!;
  }
}
