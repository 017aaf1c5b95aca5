/** Running the built `choir` binary with real server processes, in a temp data dir. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PhaseEvent, PhaseEvent as PhaseEventSchema } from '@choir/contracts';
import { execa, type ResultPromise } from 'execa';

export const BIN = join(import.meta.dirname, '..', '..', 'dist', 'bin.js');

export function requireBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run pnpm build in apps/host first`);
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'choir-e2e-'));
}

/** A clean environment: no provider keys from the machine running the tests. */
export function baseEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    CHOIR_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export function choir(
  args: string[],
  env: Record<string, string>,
  options: { timeout?: number; cwd?: string } = {},
): ResultPromise<{ reject: false }> {
  return execa(process.execPath, [BIN, ...args], {
    env,
    extendEnv: false,
    reject: false,
    timeout: options.timeout ?? 60_000,
    cwd: options.cwd ?? tmpdir(),
    stdin: 'ignore',
  }) as ResultPromise<{ reject: false }>;
}

export function parseEvents(stdout: string): PhaseEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => PhaseEventSchema.parse(JSON.parse(line)));
}

export interface FinalOutput {
  final: true;
  answer: string;
  citations: Array<{ prior_id: string }>;
  source: string;
  generated: boolean;
}

export function finalOf(events: PhaseEvent[]): FinalOutput {
  const last = events[events.length - 1]!;
  if (last.phase !== 'yield' || (last.output as { final?: boolean })?.final !== true) {
    throw new Error(`the last event is not the final answer: ${JSON.stringify(last)}`);
  }
  return last.output as FinalOutput;
}

export function completed(events: PhaseEvent[], phase: string) {
  return events.find((e) => e.phase === phase && e.status !== 'running' && e.status !== 'delta');
}

interface LogLine {
  msg?: string;
  server?: string;
  pid?: number;
  [key: string]: unknown;
}

export function hostLog(dataDir: string): LogLine[] {
  const path = join(dataDir, 'logs', 'choir.log');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogLine);
}

/** The pids of the servers the host started, from its log ("server up" lines, last one per server). */
export function serverPids(dataDir: string): Record<string, number> {
  const pids: Record<string, number> = {};
  for (const line of hostLog(dataDir)) {
    if (line.msg === 'server up' && line.server && line.pid) pids[line.server] = line.pid;
  }
  return pids;
}

export function allServerPids(dataDir: string): number[] {
  return hostLog(dataDir)
    .filter((l) => l.msg === 'server up' && typeof l.pid === 'number')
    .map((l) => l.pid!);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function until(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
