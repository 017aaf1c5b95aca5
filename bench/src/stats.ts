/** Latency statistics: nearest-rank percentiles over a sample of durations. */

/** The p-th percentile (0 < p <= 100) by nearest rank: the smallest value with at least p% at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty sample');
  if (!(p > 0 && p <= 100)) throw new Error(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    mean: values.reduce((sum, v) => sum + v, 0) / values.length,
  };
}

/** value / baseline, or null when the baseline is zero or missing. */
export function ratio(value: number, baseline: number | null | undefined): number | null {
  if (baseline === null || baseline === undefined || baseline === 0) return null;
  return value / baseline;
}
