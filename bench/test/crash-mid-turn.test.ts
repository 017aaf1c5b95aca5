/**
 * Crash mid-turn: the real `choir ask --json` with the real servers, ten turns of one
 * conversation in a row. In each turn one server is killed (SIGKILL) with a call of its phase in
 * flight — test/fixtures/crash-proxy.mjs stands in front of that server and kills it when the
 * phase's tool is called. The turn must still end with an answer (exit 0), every phase must be
 * reported, the host must restart the server when the turn needs it again, and the turn's
 * history and memory must be persisted.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHASES, PhaseEvent, type PhaseName } from '@choir/contracts';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { inspectDb } from '../src/db-inspect.js';
import {
  benchDir,
  type ChoirServerName,
  choirBin,
  choirDbFile,
  repoDir,
  removeDir,
  tempDir,
} from '../src/servers.js';

const hostBin = join(repoDir, 'apps', 'host', 'dist', 'bin.js');
const crashProxy = join(benchDir, 'test', 'fixtures', 'crash-proxy.mjs');

const SERVER_OF_PREFIX: Record<string, ChoirServerName> = {
  action: 'action',
  experience: 'experience',
  reasoning: 'reasoning',
  persona: 'persona',
  history: 'chat-history',
};

/** One turn each: which phase, and which of its calls is in flight when its server dies. */
const PLAN: { phase: PhaseName; tool: string; neededAgain: boolean }[] = [
  { phase: 'action', tool: 'action_respond', neededAgain: true },
  { phase: 'experience', tool: 'experience_search', neededAgain: true },
  { phase: 'intention', tool: 'reasoning_linear', neededAgain: false },
  { phase: 'observation', tool: 'experience_observe', neededAgain: true },
  { phase: 'understanding', tool: 'reasoning_reflect', neededAgain: false },
  { phase: 'yield', tool: 'action_yield', neededAgain: false },
  { phase: 'action', tool: 'persona_prompt', neededAgain: true },
  { phase: 'action', tool: 'history_context', neededAgain: true },
  { phase: 'experience', tool: 'experience_search', neededAgain: true },
  { phase: 'yield', tool: 'action_yield', neededAgain: false },
];

/** Runs `choir` to the end; a failed run is a result to assert on, not an exception. */
async function runHost(cwd: string, args: string[], env: Record<string, string>) {
  const run = await execa(process.execPath, [hostBin, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });
  return { code: run.exitCode ?? 1, stdout: run.stdout, stderr: run.stderr };
}

async function count(file: string, table: string): Promise<number> {
  if (!existsSync(file)) return 0;
  const inspector = inspectDb(file);
  try {
    return (await inspector.rowCounts())[table] ?? 0;
  } finally {
    inspector.close();
  }
}

/** How often the host logged that `server` exited and was restarted, over the data dir's whole log. */
function supervision(dir: string, server: string) {
  const file = join(dir, 'logs', 'choir.log');
  const lines = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.includes(`"server":"${server}"`))
    : [];
  return {
    exited: lines.filter((l) => l.includes('"msg":"server exited"')).length,
    restarted: lines.filter((l) => l.includes('"msg":"server restarted"')).length,
  };
}

const allBuilt = existsSync(hostBin) && Object.values(SERVER_OF_PREFIX).every((s) => existsSync(choirBin(s)));

describe('crash mid-turn: the host survives a server killed during its phase', () => {
  it.skipIf(!allBuilt)(
    `${PLAN.length} turns in a row, each with a server killed mid-phase`,
    async () => {
      const dir = tempDir('crash-turn');
      const purityLog = join(dir, 'impure-stdout.ndjson');
      let conversation: string | undefined;
      const report: string[] = [];
      try {
        for (const [turn, step] of PLAN.entries()) {
          const server = SERVER_OF_PREFIX[step.tool.split('_')[0]!]!;
          const marker = join(dir, `crash-${turn}`);
          // Every server behind the proxy (its stdout is checked); only one of them crashes.
          const mcpServers = Object.fromEntries(
            Object.values(SERVER_OF_PREFIX).map((name) => [
              name,
              {
                command: process.execPath,
                args: [crashProxy, choirBin(name)],
                env: {
                  PURITY_LOG: purityLog,
                  ...(name === server ? { CRASH_ON_TOOL: step.tool, CRASH_MARKER: marker } : {}),
                },
              },
            ]),
          );
          writeFileSync(join(dir, 'choir.config.json'), JSON.stringify({ mcpServers }));
          const eventsBefore = await count(choirDbFile('chat-history', dir), 'chat_events');
          const experiencesBefore = await count(choirDbFile('experience', dir), 'experiences');
          const supervisedBefore = supervision(dir, server);
          const question = `Turn ${turn}: what do we know about the ${['lantern', 'kettle', 'compass'][turn % 3]}?`;
          const args = ['ask', '--json', ...(conversation ? ['--conversation', conversation] : []), question];
          const run = await runHost(dir, args, {
            CHOIR_DATA_DIR: dir,
            CHOIR_MODEL: 'none',
            LOG_LEVEL: 'info',
          });
          const where = `turn ${turn} (${step.tool} killed)`;
          expect(run.code, `${where}: exit code; stderr: ${run.stderr.slice(-1500)}`).toBe(0);
          expect(
            existsSync(marker),
            `${where}: the host never called ${step.tool}, so nothing was killed`,
          ).toBe(true);

          const events = run.stdout
            .split('\n')
            .filter((line) => line.trim())
            .map((line) => PhaseEvent.parse(JSON.parse(line)));
          conversation ??= events[0]?.conversation_id;
          const terminal = events.filter(
            (e) => e.cycle === 1 && e.status !== 'running' && e.status !== 'delta',
          );
          for (const phase of PHASES) {
            expect(
              terminal.some((e) => e.phase === phase),
              `${where}: no outcome reported for ${phase}`,
            ).toBe(true);
          }
          const killedPhase = terminal.find((e) => e.phase === step.phase)!;
          const final = events.at(-1)!;
          const answer = (final.output as { answer?: unknown } | undefined)?.answer;
          expect(final.phase, `${where}: last event`).toBe('yield');
          expect(typeof answer === 'string' && answer.length > 0, `${where}: answer`).toBe(true);

          const supervised = supervision(dir, server);
          expect(
            supervised.exited - supervisedBefore.exited,
            `${where}: the host did not see ${server} die`,
          ).toBe(1);
          if (step.neededAgain) {
            expect(
              supervised.restarted - supervisedBefore.restarted,
              `${where}: ${server} not restarted`,
            ).toBe(1);
          }

          const eventsAfter = await count(choirDbFile('chat-history', dir), 'chat_events');
          const experiencesAfter = await count(choirDbFile('experience', dir), 'experiences');
          expect(eventsAfter, `${where}: the turn's history was not appended`).toBeGreaterThan(eventsBefore);
          expect(experiencesAfter, `${where}: the turn was not recorded in experience`).toBeGreaterThan(
            experiencesBefore,
          );
          report.push(
            `${where}: ${step.phase} ${killedPhase.status}${killedPhase.error ? ` (${killedPhase.error.code})` : ''}, ` +
              `answer ${final.status}, +${eventsAfter - eventsBefore} history events, +${experiencesAfter - experiencesBefore} experiences`,
          );
        }
        // Lines cut off by the SIGKILL are the crash, not impurity: the proxy only checks whole lines.
        expect(
          existsSync(purityLog) ? readFileSync(purityLog, 'utf8').split('\n').filter(Boolean) : [],
        ).toEqual([]);
      } finally {
        console.log(`crash mid-turn:\n  ${report.join('\n  ')}`);
        removeDir(dir);
      }
      expect(report).toHaveLength(PLAN.length);
    },
    600_000,
  );
});
