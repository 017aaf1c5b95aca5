/**
 * An MCP stdio client transport for a supervised server child.
 *
 * Why not the SDK's StdioClientTransport: it gives us MCP framing, but it spawns the child in
 * the host's process group, so the terminal's Ctrl-C reaches every server at once and they
 * all shut down when the user only meant to cancel a turn. Here the child gets its own process
 * group (`detached`), and we keep what supervision needs: the pid, the exit code and signal,
 * stderr appended to a log file (with a short tail kept for error messages), and a graceful
 * stop (stdin closed, then SIGTERM, then SIGKILL). Framing is still the SDK's own
 * (ReadBuffer / serializeMessage), so the wire format is exactly what StdioClientTransport speaks.
 * If the host dies without closing, the child sees stdin end and shuts itself down.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export interface ChildTransportOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** File that receives the child's stderr (appended). */
  stderrPath?: string;
  /** After stdin closes, how long the child may take to exit before SIGTERM, then SIGKILL. */
  graceMs?: number;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const STDERR_TAIL_CHARS = 2_000;

export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly buffer = new ReadBuffer();
  private stderrFile: WriteStream | undefined;
  private tail = '';
  private exited: ChildExit | undefined;
  private closing = false;
  private readonly exitWaiters: Array<(exit: ChildExit) => void> = [];

  constructor(private readonly options: ChildTransportOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the child wrote to stderr: what to show when it fails to start. */
  get stderrTail(): string {
    return this.tail;
  }

  get exit(): ChildExit | undefined {
    return this.exited;
  }

  /** True when close() was asked for (an exit after that is not a crash). */
  get closeRequested(): boolean {
    return this.closing;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('ChildProcessTransport already started');
    if (this.options.stderrPath) {
      mkdirSync(dirname(this.options.stderrPath), { recursive: true });
      this.stderrFile = createWriteStream(this.options.stderrPath, { flags: 'a' });
      this.stderrFile.on('error', () => {});
    }
    const child = spawn(this.options.command, this.options.args, {
      env: this.options.env,
      cwd: this.options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      try {
        this.buffer.append(chunk);
      } catch (error) {
        // Over the SDK's 10 MB line limit: the buffer was cleared; report and keep reading.
        this.onerror?.(error as Error);
        return;
      }
      this.drain();
    });
    child.stdout?.on('error', (error) => this.onerror?.(error));
    child.stdin?.on('error', (error) => this.onerror?.(error));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrFile?.write(chunk);
      this.tail = (this.tail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    child.once('close', (code, signal) => {
      this.exited = { code, signal };
      this.stderrFile?.end();
      for (const waiter of this.exitWaiters.splice(0)) waiter(this.exited);
      this.onclose?.();
    });
  }

  private drain(): void {
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.buffer.readMessage();
      } catch (error) {
        // A line that is not JSON-RPC: a server that wrote to stdout. Report it and go on.
        this.onerror?.(error as Error);
        continue;
      }
      if (message === null) return;
      this.onmessage?.(message);
    }
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || this.exited || stdin.destroyed) {
        reject(new Error('server process is not running'));
        return;
      }
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', () => resolve());
    });
  }

  /** Resolves when the child has exited (immediately if it already has). */
  waitForExit(): Promise<ChildExit> {
    if (this.exited) return Promise.resolve(this.exited);
    if (!this.child) return Promise.resolve({ code: null, signal: null });
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** Graceful stop: close stdin (the server drains and exits), then SIGTERM, then SIGKILL. */
  async close(): Promise<void> {
    this.closing = true;
    const child = this.child;
    if (!child || this.exited) return;
    const grace = this.options.graceMs ?? 3_000;
    try {
      child.stdin?.end();
    } catch {
      // already closed
    }
    if (await this.exitedWithin(grace)) return;
    this.signal('SIGTERM');
    if (await this.exitedWithin(2_000)) return;
    this.signal('SIGKILL');
    await this.exitedWithin(2_000);
  }

  /** Immediate kill (last resort at host exit); synchronous so it can run in an exit handler. */
  kill(): void {
    this.closing = true;
    if (this.child && !this.exited) this.signal('SIGKILL');
  }

  private signal(name: NodeJS.Signals): void {
    try {
      this.child?.kill(name);
    } catch {
      // already gone
    }
  }

  private exitedWithin(ms: number): Promise<boolean> {
    if (this.exited) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      timer.unref();
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
