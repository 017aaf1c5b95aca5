/** Summaries of recorded invocations: counts, success rates and latency percentiles per mode and provider. */

export interface InvocationSample {
  mode: string;
  provider: string;
  success: boolean;
  latencyMs: number;
}

export interface InvocationSummary {
  mode: string;
  provider: string;
  count: number;
  success_count: number;
  /** success_count / count, rounded to 4 decimals. */
  success_rate: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

/** Nearest-rank percentile of ascending values (p in 0..100); 0 for no values. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(Math.max(rank, 1), sortedAscending.length) - 1]!;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** One row per (mode, provider), sorted by mode then provider. Latency percentiles cover every call. */
export function summarizeInvocations(samples: Iterable<InvocationSample>): InvocationSummary[] {
  const groups = new Map<string, { mode: string; provider: string; ok: number; latencies: number[] }>();
  for (const sample of samples) {
    const key = `${sample.mode}\u0000${sample.provider}`;
    let group = groups.get(key);
    if (!group) {
      group = { mode: sample.mode, provider: sample.provider, ok: 0, latencies: [] };
      groups.set(key, group);
    }
    if (sample.success) group.ok++;
    group.latencies.push(sample.latencyMs);
  }
  return [...groups.values()]
    .sort((a, b) => a.mode.localeCompare(b.mode) || a.provider.localeCompare(b.provider))
    .map((g) => {
      const sorted = g.latencies.sort((a, b) => a - b);
      return {
        mode: g.mode,
        provider: g.provider,
        count: sorted.length,
        success_count: g.ok,
        success_rate: round(g.ok / sorted.length, 4),
        p50_ms: round(percentile(sorted, 50), 2),
        p95_ms: round(percentile(sorted, 95), 2),
        p99_ms: round(percentile(sorted, 99), 2),
        max_ms: round(sorted[sorted.length - 1]!, 2),
      };
    });
}
