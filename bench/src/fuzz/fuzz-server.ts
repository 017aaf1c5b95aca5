/**
 * Fuzzes every tool a server lists, through a real stdio client, and reports what went wrong:
 * the server died, a failure without a known code, INTERNAL, a protocol-level error, or a
 * rejected call that changed rows (checked through a second connection to the database file).
 */
import { ERROR_CODES, ERROR_META_KEY } from '@choir/server-kit';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { diffCounts, inspectDb } from '../db-inspect.js';
import {
  type ChoirServerName,
  choirBin,
  choirDbFile,
  choirEnv,
  type Connected,
  connect,
  removeDir,
  tempDir,
} from '../servers.js';
import { collectValues, ValuePool } from './known-values.js';
import { type FuzzCase, type JsonSchema, toolArgumentsArbitrary } from './schema-arbitrary.js';

/** The codes a Choir error may carry: server-kit's own list, so the fuzz cannot drift from it. */
export const KNOWN_CODES = ERROR_CODES;

export type FindingKind = 'died' | 'internal' | 'no-known-code' | 'wrote-on-rejection' | 'protocol-error';

export interface Finding {
  server: string;
  tool: string;
  kind: FindingKind;
  mutation: string;
  /** The arguments, as JSON, long strings shortened. */
  args: string;
  detail: string;
}

export interface ToolTally {
  tool: string;
  runs: number;
  ok: number;
  rejected: Record<string, number>;
}

export interface FuzzReport {
  server: string;
  seed: number;
  tallies: ToolTally[];
  findings: Finding[];
  /** integrity_check of the database after the run. */
  integrity: string[];
  /** How many times the server had to be restarted. */
  restarts: number;
}

/** A server to fuzz: how to start it on a data dir, and which database file it writes. */
export interface FuzzTarget {
  name: string;
  bin: string;
  env(dataDir: string): Record<string, string>;
  dbFile(dataDir: string): string;
}

export function choirTarget(server: ChoirServerName): FuzzTarget {
  return {
    name: server,
    bin: choirBin(server),
    env: (dataDir) => choirEnv(dataDir),
    dbFile: (dataDir) => choirDbFile(server, dataDir),
  };
}

export interface FuzzOptions {
  target: FuzzTarget;
  runsPerTool: number;
  seed: number;
  /** Tables whose rows legitimately change on a rejected call (e.g. an invocations log). */
  excludeTables?: readonly string[];
  callTimeoutMs?: number;
  /** Only these tools (all when absent). */
  onlyTools?: readonly string[];
  log?: (line: string) => void;
}

/** JSON of the arguments with long strings cut, so a finding stays readable and reproducible. */
export function describeArgs(args: unknown): string {
  return JSON.stringify(args, (_key, value: unknown) => {
    if (typeof value === 'string' && value.length > 80)
      return `${value.slice(0, 40)}…(${value.length} chars)`;
    if (Array.isArray(value) && value.length > 10) return [...value.slice(0, 3), `…(${value.length} items)`];
    return value;
  });
}

interface CallOutcome {
  isError: boolean;
  code: string | undefined;
  text: string;
  data: Record<string, unknown>;
}

async function call(connected: Connected, tool: string, args: Record<string, unknown>, timeout: number) {
  const result = await connected.client.callTool({ name: tool, arguments: args }, undefined, { timeout });
  const content = (result.content ?? []) as { type: string; text?: string }[];
  const meta = result._meta as Record<string, { code?: string }> | undefined;
  return {
    isError: Boolean(result.isError),
    code: meta?.[ERROR_META_KEY]?.code,
    text: content.map((c) => c.text ?? '').join('\n'),
    data: (result.structuredContent ?? {}) as Record<string, unknown>,
  } satisfies CallOutcome;
}

/** Destructive tools last, so the data the others create is there while they run. */
export function fuzzOrder(tools: readonly Tool[]): Tool[] {
  return [...tools].sort(
    (a, b) =>
      Number(a.annotations?.destructiveHint === true) - Number(b.annotations?.destructiveHint === true),
  );
}

export async function fuzzServer(options: FuzzOptions): Promise<FuzzReport> {
  const log = options.log ?? (() => {});
  const timeout = options.callTimeoutMs ?? 20_000;
  const { target } = options;
  const server = target.name;
  const dir = tempDir(`fuzz-${server}`);
  const start = () => connect(server, target.bin, target.env(dir));
  const findings: Finding[] = [];
  const tallies: ToolTally[] = [];
  let restarts = 0;
  let connected = await start();
  const inspector = inspectDb(target.dbFile(dir), { exclude: options.excludeTables });
  const known = new ValuePool();

  const restart = async () => {
    restarts++;
    await connected.transport.kill9();
    connected = await start();
  };
  const finding = (tool: string, c: FuzzCase, kind: FindingKind, detail: string) => {
    findings.push({
      server: server,
      tool,
      kind,
      mutation: c.mutation,
      args: describeArgs(c.args),
      detail,
    });
    log(
      `FINDING ${server}/${tool} ${kind}: ${detail.split('\n')[0]} args=${describeArgs(c.args).slice(0, 300)}`,
    );
  };

  try {
    const { tools } = await connected.client.listTools();
    const inputFields = new Set(
      tools.flatMap((t) => Object.keys((t.inputSchema as JsonSchema).properties ?? {})),
    );
    for (const [index, tool] of fuzzOrder(tools).entries()) {
      if (options.onlyTools && !options.onlyTools.includes(tool.name)) continue;
      const tally: ToolTally = { tool: tool.name, runs: 0, ok: 0, rejected: {} };
      tallies.push(tally);
      const arbitrary = toolArgumentsArbitrary(tool.inputSchema as JsonSchema, {
        knownValues: (field) => known.forField(field),
      });
      const cases = fc.sample(arbitrary, { seed: options.seed + index, numRuns: options.runsPerTool });
      for (const c of cases) {
        tally.runs++;
        const before = await inspector.fingerprints();
        let outcome: CallOutcome;
        try {
          outcome = await call(connected, tool.name, c.args, timeout);
        } catch (error) {
          const message = (error as Error).message;
          if (!connected.transport.alive) {
            finding(tool.name, c, 'died', `${message}\n${connected.transport.stderr().slice(-1500)}`);
            await restart();
          } else {
            finding(tool.name, c, 'protocol-error', message);
          }
          continue;
        }
        if (!outcome.isError) {
          tally.ok++;
          collectValues(outcome.data, known, inputFields);
          continue;
        }
        const code = outcome.code ?? 'none';
        tally.rejected[code] = (tally.rejected[code] ?? 0) + 1;
        if (!(KNOWN_CODES as readonly string[]).includes(code)) {
          finding(
            tool.name,
            c,
            'no-known-code',
            `isError without a known code: ${outcome.text.slice(0, 300)}`,
          );
        } else if (code === 'INTERNAL') {
          // The server logs the cause to stderr; the last lines are the reproduction's other half.
          const log = connected.transport.stderr().trimEnd().split('\n').slice(-3).join('\n');
          finding(tool.name, c, 'internal', `${outcome.text.slice(0, 300)}\nserver log: ${log.slice(-2000)}`);
        }
        const changed = diffCounts(before, await inspector.fingerprints());
        if (changed.length > 0) {
          finding(
            tool.name,
            c,
            'wrote-on-rejection',
            `${code}: ${changed.join(', ')} (${outcome.text.slice(0, 200)})`,
          );
        }
      }
      try {
        await connected.client.ping({ timeout: 5_000 });
      } catch (error) {
        findings.push({
          server: server,
          tool: tool.name,
          kind: 'died',
          mutation: 'batch',
          args: '',
          detail: `no answer to ping after the batch: ${(error as Error).message}`,
        });
        await restart();
      }
      log(
        `${server}/${tool.name}: ${tally.runs} runs, ${tally.ok} ok, rejected ${JSON.stringify(tally.rejected)}`,
      );
    }
    await connected.close();
    return {
      server: server,
      seed: options.seed,
      tallies,
      findings,
      integrity: await inspector.integrityCheck(),
      restarts,
    };
  } finally {
    await connected.close();
    inspector.close();
    removeDir(dir);
  }
}
