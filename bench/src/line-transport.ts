/**
 * A client-side MCP stdio transport that spawns `node <bin>` itself and checks every line the
 * server writes to stdout: each must parse as a JSON-RPC 2.0 message. The bench and the
 * reliability suite drive every server (Choir's and the peers) through this one transport, so
 * they are measured by the same client code, and stdout purity is observed for free.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';

/** A stdout line that is not a JSON-RPC 2.0 message. */
export interface ImpureLine {
  server: string;
  line: string;
  reason: string;
}

/** Everything a transport saw on stdout, for the suite-wide purity check. */
export interface StdoutRecord {
  server: string;
  lines: number;
  impure: ImpureLine[];
  /** Bytes after the last newline when the process was SIGKILLed by us: cut off, not impure. */
  truncatedByKill: string | null;
}

const records: StdoutRecord[] = [];

/** Every stdout record of every transport created in this process (one vitest worker / one bench run). */
export function stdoutRecords(): readonly StdoutRecord[] {
  return records;
}

export interface LineTransportOptions {
  /** A label for reports, e.g. `chat-history`. */
  server: string;
  /** The script to run with `node`. */
  bin: string;
  args?: string[];
  /** The child's whole environment (PATH is added). */
  env?: Record<string, string>;
  /** Keep the child's stderr in memory (capped), for failure messages. Default true. */
  captureStderr?: boolean;
  /** Leave this transport out of stdoutRecords() (the transport's own tests feed it junk on purpose). */
  untracked?: boolean;
}

const STDERR_CAP = 200_000;
const NEWLINE = 0x0a;

export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly record: StdoutRecord;
  private child: ChildProcess | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private stderrText = '';
  private killedByUs = false;
  private exited: Promise<number | null> | undefined;

  constructor(private readonly options: LineTransportOptions) {
    this.record = { server: options.server, lines: 0, impure: [], truncatedByKill: null };
    if (!options.untracked) records.push(this.record);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  stderr(): string {
    return this.stderrText;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('LineTransport already started');
    const child = spawn(process.execPath, [this.options.bin, ...(this.options.args ?? [])], {
      env: { PATH: process.env.PATH ?? '', ...this.options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    // 'close' comes after stdout has ended, so every line has been seen by then.
    this.exited = new Promise((resolve) => child.once('close', (code) => resolve(code)));
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(chunk));
    child.stdout!.on('end', () => this.onStdoutEnd());
    child.stderr!.on('data', (chunk: Buffer) => {
      if (this.options.captureStderr === false || this.stderrText.length > STDERR_CAP) return;
      this.stderrText += chunk.toString('utf8');
    });
    // EPIPE after the child died is reported through onclose, not as an unhandled error.
    child.stdin!.on('error', () => {});
    child.once('close', () => this.onclose?.());
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
  }

  private onStdout(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let newline = this.pending.indexOf(NEWLINE);
    while (newline !== -1) {
      const line = this.pending.toString('utf8', 0, newline).replace(/\r$/, '');
      this.pending = this.pending.subarray(newline + 1);
      this.onLine(line);
      newline = this.pending.indexOf(NEWLINE);
    }
  }

  private onStdoutEnd(): void {
    if (this.pending.length === 0) return;
    const rest = this.pending.toString('utf8');
    this.pending = Buffer.alloc(0);
    if (this.killedByUs) this.record.truncatedByKill = rest;
    else this.impure(rest, 'text after the last newline at exit');
  }

  private onLine(line: string): void {
    this.record.lines += 1;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      this.impure(line, 'not JSON');
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(json);
    if (!parsed.success) {
      this.impure(line, 'JSON but not a JSON-RPC 2.0 message');
      return;
    }
    this.onmessage?.(parsed.data);
  }

  private impure(line: string, reason: string): void {
    const entry = { server: this.options.server, line: line.slice(0, 500), reason };
    this.record.impure.push(entry);
    this.onerror?.(new Error(`${this.options.server} wrote to stdout (${reason}): ${entry.line}`));
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) throw new Error(`${this.options.server} is not running`);
    const json = `${JSON.stringify(message)}\n`;
    await new Promise<void>((resolve, reject) => {
      stdin.write(json, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Graceful: close stdin (Choir servers drain and exit), then SIGTERM, then SIGKILL. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.stdin?.end();
    if (await this.waitExit(5_000)) return;
    child.kill('SIGTERM');
    if (await this.waitExit(3_000)) return;
    this.killedByUs = true;
    child.kill('SIGKILL');
    await this.waitExit(5_000);
  }

  /** kill -9, as a crash: nothing is flushed, nothing is drained. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.killedByUs = true;
    child.kill('SIGKILL');
    await this.waitExit(5_000);
  }

  /** Whether the child is still running. */
  get alive(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  private async waitExit(ms: number): Promise<boolean> {
    if (!this.exited) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const done = await Promise.race([this.exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return done;
  }
}
