/**
 * Fuzz every tool of every Choir server (from tools/list) with fast-check arguments: the server
 * never dies, every failure is isError with a known code (INTERNAL is a finding), and a rejected
 * call changes no row of any table (except the logs named in EXCLUDED_TABLES, whose rows are
 * the point of a rejected call). The seed is fixed and printed: FUZZ_SEED / FUZZ_RUNS override.
 */
import { describe, expect, it } from 'vitest';
import { choirTarget, type FuzzReport, fuzzServer } from '../src/fuzz/fuzz-server.js';
import { CHOIR_SERVERS, type ChoirServerName, choirBuilt } from '../src/servers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20260831);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

/** Tables that record every call, refused ones included, by design. */
export const EXCLUDED_TABLES: Record<ChoirServerName, string[]> = {
  // generation_log records failed answers too ("outcome 'failed'"): that row is the log's job.
  action: ['generation_log'],
  // invocations: calls per mode with success rate — failures are counted by design.
  reasoning: ['invocations'],
  'chat-history': [],
  experience: [],
  persona: [],
};

function summary(report: FuzzReport): string {
  const lines = report.tallies.map(
    (t) =>
      `  ${t.tool.padEnd(32)} runs ${t.runs}  ok ${String(t.ok).padStart(3)}  rejected ${JSON.stringify(t.rejected)}`,
  );
  return [
    `fuzz ${report.server}: seed ${report.seed}, ${RUNS} runs per tool, restarts ${report.restarts}, integrity ${report.integrity.join(',')}`,
    ...lines,
    ...report.findings.map(
      (f) =>
        `  FINDING ${f.tool} ${f.kind} (${f.mutation}): ${f.detail.split('\n')[0]}\n    args ${f.args.slice(0, 400)}`,
    ),
  ].join('\n');
}

describe.each(CHOIR_SERVERS)('fuzz: %s server', (server) => {
  it.skipIf(!choirBuilt(server))(
    'survives every tool with hostile arguments; failures are coded; rejections write nothing',
    async () => {
      const report = await fuzzServer({
        target: choirTarget(server),
        runsPerTool: RUNS,
        seed: SEED,
        excludeTables: EXCLUDED_TABLES[server],
        log: process.env.FUZZ_VERBOSE ? (line) => console.log(line) : undefined,
      });
      console.log(summary(report));
      expect(report.integrity).toEqual(['ok']);
      expect(
        report.findings.map(
          (f) => `${f.tool} ${f.kind}: ${f.detail.split('\n')[0]} — args ${f.args.slice(0, 300)}`,
        ),
      ).toEqual([]);
      expect(report.tallies.length).toBeGreaterThan(0);
    },
    300_000,
  );
});
