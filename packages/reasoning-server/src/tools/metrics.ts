/** reasoning_metrics: calls per mode and provider with success rate and latency percentiles. */
import { defineTool } from '@choir/server-kit';
import { z } from 'zod';
import type { ReasoningDeps } from '../deps.js';
import { summarizeInvocations } from '../metrics.js';
import { invocationSamples, METRICS_SAMPLE_CAP } from '../store/invocations.js';
import { READS } from './shared.js';

export const metricsTool = (deps: ReasoningDeps) =>
  defineTool({
    name: 'reasoning_metrics',
    title: 'Reasoning metrics',
    description:
      'Calls per mode and provider (sampling, a provider name, cache, or none for recorded/no-model calls): count, ' +
      `success rate and latency p50/p95/p99/max in ms, over the newest ${METRICS_SAMPLE_CAP} invocations. Calls ` +
      'refused for bad input are not counted.',
    input: z.object({
      since: z.iso.datetime({ offset: true }).optional().describe('only calls at or after this ISO time'),
      mode: z.string().max(40).optional(),
      tool: z.string().max(64).optional(),
    }),
    output: z.object({
      total_calls: z.number().int(),
      capped: z.boolean(),
      by_mode: z.array(
        z.object({
          mode: z.string(),
          provider: z.string(),
          count: z.number().int(),
          success_count: z.number().int(),
          success_rate: z.number(),
          p50_ms: z.number(),
          p95_ms: z.number(),
          p99_ms: z.number(),
          max_ms: z.number(),
        }),
      ),
    }),
    annotations: READS,
    async handler(args) {
      const since = args.since ? new Date(args.since).toISOString() : undefined;
      const { samples, capped } = await invocationSamples(deps.store.db, {
        since,
        mode: args.mode,
        tool: args.tool,
      });
      const byMode = summarizeInvocations(samples);
      const lines = byMode.map(
        (m) =>
          `${m.mode} via ${m.provider}: ${m.count} calls, ${Math.round(m.success_rate * 100)}% ok, p50 ${m.p50_ms} ms, p95 ${m.p95_ms} ms`,
      );
      return {
        text: lines.length ? lines.join('\n') : 'No calls recorded yet.',
        data: { total_calls: samples.length, capped, by_mode: byMode },
      };
    },
  });
