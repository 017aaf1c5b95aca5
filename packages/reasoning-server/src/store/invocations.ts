/** The invocations table behind reasoning_metrics. */
import type { InvocationSample } from '../metrics.js';
import type { Db, InvocationsTable } from './tables.js';

export async function insertInvocation(db: Db, row: Omit<InvocationsTable, 'id'>): Promise<void> {
  await db.insertInto('invocations').values(row).execute();
}

/** How many samples metrics reads at most (the newest), so the tool stays fast on a long-lived store. */
export const METRICS_SAMPLE_CAP = 100_000;

export async function invocationSamples(
  db: Db,
  filter: { since?: string; mode?: string; tool?: string },
): Promise<{ samples: InvocationSample[]; capped: boolean }> {
  let query = db
    .selectFrom('invocations')
    .select(['mode', 'provider', 'success', 'latency_ms'])
    .orderBy('id', 'desc')
    .limit(METRICS_SAMPLE_CAP + 1);
  if (filter.since) query = query.where('created_at', '>=', filter.since);
  if (filter.mode) query = query.where('mode', '=', filter.mode);
  if (filter.tool) query = query.where('tool', '=', filter.tool);
  const rows = await query.execute();
  const capped = rows.length > METRICS_SAMPLE_CAP;
  return {
    samples: rows.slice(0, METRICS_SAMPLE_CAP).map((r) => ({
      mode: r.mode,
      provider: r.provider,
      success: r.success === 1,
      latencyMs: r.latency_ms,
    })),
    capped,
  };
}
