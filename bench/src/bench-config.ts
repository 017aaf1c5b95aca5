/** Sizes of a bench run: the sizes by default, 10× smaller with BENCH_QUICK=1, each overridable. */
export interface BenchConfig {
  quick: boolean;
  /** Starts per server for the cold-start medians. */
  coldStarts: number;
  /** Timed calls per server for round-trip percentiles (after warm-up). */
  roundTrips: number;
  /** Entity/experience counts for the memory comparison, in order. */
  memorySizes: number[];
  /** Entities per create_entities call. */
  memoryBatch: number;
  /** Keyword queries per size. */
  searches: number;
  /** Thoughts for the sequential-thinking comparison; first/last windows are a tenth of it. */
  thoughts: number;
  seed: number;
}

type Env = Record<string, string | undefined>;

function intFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) === 0)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return Number(raw);
}

export function loadBenchConfig(env: Env = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1';
  const scale = (n: number) => (quick ? Math.max(1, Math.round(n / 10)) : n);
  const sizes = env.BENCH_MEMORY_SIZES?.trim()
    ? env.BENCH_MEMORY_SIZES.split(',').map((s) => {
        const n = Number(s.trim());
        if (!Number.isInteger(n) || n <= 0) throw new Error(`BENCH_MEMORY_SIZES has a bad size: ${s}`);
        return n;
      })
    : [scale(1_000), scale(10_000)];
  return {
    quick,
    coldStarts: intFrom(env, 'BENCH_COLD_STARTS', quick ? 3 : 10),
    roundTrips: intFrom(env, 'BENCH_ROUND_TRIPS', scale(1_000)),
    memorySizes: sizes,
    memoryBatch: intFrom(env, 'BENCH_MEMORY_BATCH', 100),
    searches: intFrom(env, 'BENCH_SEARCHES', quick ? 20 : 100),
    thoughts: intFrom(env, 'BENCH_THOUGHTS', scale(10_000)),
    seed: intFrom(env, 'BENCH_SEED', 20260831),
  };
}
