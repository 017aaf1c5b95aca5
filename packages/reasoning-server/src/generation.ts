/**
 * Asking the model for a mode's structured output, with the cache in front: results are kept
 * by mode, input and context for REASONING_CACHE_TTL_SECONDS; `no_cache` skips the lookup and
 * stores the fresh answer. Without a model this throws MODEL_UNAVAILABLE: callers that have a
 * no-model path check `ctx.modelAvailable` first.
 */
import { NO_MODEL_HINT, samplingAvailable, ToolError, type ToolContext } from '@choir/server-kit';
import type { z } from 'zod';
import { generationCacheKey } from './cache-key.js';
import { cacheTtlSeconds, type ReasoningDeps } from './deps.js';
import type { Invocation } from './invocation.js';

export interface ModeRequest<T> {
  /** The mode: the provider's purpose (Langbase picks PIPE_<PURPOSE>) and the cache namespace. */
  purpose: string;
  system: string;
  prompt: string;
  /** Langbase pipe variables (the plan's names: context, prompt, history, …). */
  variables: Record<string, string>;
  schema: z.ZodType<T>;
  /** Everything besides the prompt that the answer depends on. */
  cacheInput: unknown;
  noCache?: boolean;
  maxTokens?: number;
}

export interface ModeAnswer<T> {
  data: T;
  model: string;
  cached: boolean;
}

interface CachedAnswer {
  data: unknown;
  model: string;
}

export async function generateForMode<T>(
  deps: ReasoningDeps,
  ctx: ToolContext,
  invocation: Invocation,
  request: ModeRequest<T>,
): Promise<ModeAnswer<T>> {
  if (!ctx.modelAvailable) {
    throw new ToolError(
      'MODEL_UNAVAILABLE',
      `${request.purpose} needs a model to generate its output`,
      NO_MODEL_HINT,
    );
  }
  const ttl = cacheTtlSeconds(deps.env);
  // Who would answer is part of the key: a cached answer from another model is not this one's.
  const answerer =
    samplingAvailable(ctx.mcp.server) && deps.settings.useSampling ? 'sampling' : deps.modelDescription;
  const key = generationCacheKey(request.purpose, {
    answerer,
    system: request.system,
    prompt: request.prompt,
    variables: request.variables,
    input: request.cacheInput,
  });
  if (ttl > 0 && !request.noCache) {
    const hit = await deps.store.cacheGet<CachedAnswer>(key);
    const parsed = hit ? request.schema.safeParse(hit.data) : undefined;
    if (hit && parsed?.success) {
      invocation.answeredBy('cache', hit.model);
      return { data: parsed.data, model: hit.model, cached: true };
    }
  }
  // Attributed before the call so a failure is counted against whoever was asked.
  const attempted = answerer === 'sampling' ? 'sampling' : (deps.model?.provider ?? 'provider');
  invocation.answeredBy(attempted, null);
  const result = await ctx.generate({
    purpose: request.purpose,
    system: request.system,
    messages: [{ role: 'user', content: request.prompt }],
    variables: request.variables,
    schema: request.schema,
    maxTokens: request.maxTokens ?? 1500,
  });
  invocation.answeredBy(
    result.via === 'sampling' ? 'sampling' : (deps.model?.provider ?? 'provider'),
    result.model,
  );
  if (ttl > 0) {
    await deps.store.cacheSet(key, { data: result.data, model: result.model } satisfies CachedAnswer, ttl);
    await purgeNowAndThen(deps, ctx);
  }
  return { data: result.data, model: result.model, cached: false };
}

const PURGE_INTERVAL_MS = 10 * 60_000;
const lastPurge = new WeakMap<ReasoningDeps, number>();

/** Expired entries are only dropped when read; this clears the rest every ten minutes or so. */
async function purgeNowAndThen(deps: ReasoningDeps, ctx: ToolContext): Promise<void> {
  const now = Date.now();
  if (now - (lastPurge.get(deps) ?? 0) < PURGE_INTERVAL_MS) return;
  lastPurge.set(deps, now);
  try {
    const removed = await deps.store.cachePurgeExpired();
    if (removed) ctx.logger.debug({ removed }, 'purged expired cache entries');
  } catch (error) {
    ctx.logger.warn({ err: error }, 'could not purge expired cache entries');
  }
}
