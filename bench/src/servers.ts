/** Where each server's bin is, how to give it a fresh data location, and how to connect to it. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LineTransport } from './line-transport.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The bench package folder (this file runs from src/ under vitest and from dist/ under node). */
export const benchDir = resolve(here, '..');
export const repoDir = resolve(benchDir, '..');

export const CHOIR_SERVERS = ['chat-history', 'experience', 'reasoning', 'persona', 'action'] as const;
export type ChoirServerName = (typeof CHOIR_SERVERS)[number];

/** The built bin of a Choir server in this checkout. */
export function choirBin(name: ChoirServerName): string {
  return join(repoDir, 'packages', `${name}-server`, 'dist', 'index.js');
}

export function choirBuilt(name: ChoirServerName): boolean {
  return existsSync(choirBin(name));
}

/** The database file a Choir server opens in its data dir. */
export function choirDbFile(name: ChoirServerName, dataDir: string): string {
  return join(dataDir, `${name}.db`);
}

const require = createRequire(import.meta.url);

/** A peer's bin from its installed package.json `bin`, exactly as npx would run it. */
export function peerBin(packageName: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  if (!bin) throw new Error(`${packageName} has no bin`);
  return join(dirname(manifestPath), bin);
}

export const MEMORY_PEER = '@modelcontextprotocol/server-memory';
export const THINKING_PEER = '@modelcontextprotocol/server-sequential-thinking';

/** The minimal SDK server with one no-op tool: the round-trip baseline. */
export function noopServerBin(): string {
  const built = join(benchDir, 'dist', 'fixtures', 'noop-server.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run pnpm build in bench/`);
  return built;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `choir-bench-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface Connected {
  name: string;
  client: Client;
  transport: LineTransport;
  /** Wall time from spawn to the initialize answer, ms. */
  startMs: number;
  close(): Promise<void>;
}

/** Spawns `node bin` and completes the MCP handshake with the SDK client. */
export async function connect(
  name: string,
  bin: string,
  env: Record<string, string>,
  options: { clientName?: string; timeoutMs?: number; untracked?: boolean; args?: string[] } = {},
): Promise<Connected> {
  const transport = new LineTransport({
    server: name,
    bin,
    env,
    untracked: options.untracked,
    args: options.args,
  });
  const client = new Client({ name: options.clientName ?? 'choir-bench', version: '0.0.0' });
  const started = performance.now();
  try {
    await client.connect(transport, { timeout: options.timeoutMs ?? 30_000 });
  } catch (error) {
    await transport.kill9();
    throw new Error(`${name} did not start: ${(error as Error).message}\n${transport.stderr().slice(-2000)}`);
  }
  const startMs = performance.now() - started;
  return {
    name,
    client,
    transport,
    startMs,
    close: async () => {
      await client.close().catch(() => {});
      await transport.close();
    },
  };
}

/** The environment a Choir server gets in the bench and the suite: its own data dir, quiet logs, no model. */
export function choirEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { CHOIR_DATA_DIR: dataDir, LOG_LEVEL: 'warn', CHOIR_MODEL: 'none', ...extra };
}

export async function connectChoir(
  name: ChoirServerName,
  dataDir: string,
  extra: Record<string, string> = {},
): Promise<Connected> {
  return connect(name, choirBin(name), choirEnv(dataDir, extra));
}
