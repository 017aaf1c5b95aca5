/**
 * One supervised MCP server: spawned, connected, its tools listed; restarted with bounded
 * backoff when it dies; calls in flight when it dies fail with SERVER_EXITED.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type CallToolResult,
  type CreateMessageRequest,
  CreateMessageRequestSchema,
  type CreateMessageResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { missingEntryHint, type ServerEntry } from '../config/default-servers.js';
import type { Logger } from '../logging/logger.js';
import { type BackoffPolicy, DEFAULT_BACKOFF, nextAttempt, restartDelay } from './backoff.js';
import { ChildProcessTransport } from './child-transport.js';

export type ServerState = 'idle' | 'starting' | 'up' | 'restarting' | 'failed' | 'stopped';

/** Answers a server's sampling/createMessage with the host's model. */
export type SamplingHandler = (
  params: CreateMessageRequest['params'],
  context: { server: string; signal: AbortSignal },
) => Promise<CreateMessageResult>;

export interface ManagedServerOptions {
  name: string;
  entry: ServerEntry;
  /** The child's full environment (see childEnv). */
  env: Record<string, string>;
  stderrPath?: string;
  startupTimeoutMs: number;
  logger: Logger;
  /** Present only when the host has a model: then, and only then, the sampling capability is advertised. */
  sampling?: SamplingHandler;
  backoff?: BackoffPolicy;
  clientVersion?: string;
  /** Called on every state change, for the live view and logs. */
  onStateChange?: (server: ManagedServer, state: ServerState, detail?: string) => void;
}

export interface ServerStatus {
  name: string;
  state: ServerState;
  pid?: number;
  tools: number;
  /** How long the last (re)start took, ms. */
  startMs?: number;
  restarts: number;
  error?: string;
}

/** A call could not be completed because of the server process, not the tool. */
export class ServerCallError extends Error {
  override readonly name = 'ServerCallError';
  constructor(
    readonly code: 'SERVER_EXITED' | 'SERVER_UNAVAILABLE',
    message: string,
  ) {
    super(message);
  }
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

export class ManagedServer {
  readonly name: string;
  private state: ServerState = 'idle';
  private client: Client | undefined;
  private transport: ChildProcessTransport | undefined;
  private toolList: Tool[] = [];
  private attempt = 0;
  private restarts = 0;
  private upSince = 0;
  private startMs: number | undefined;
  private lastError: string | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private readyWaiters: Array<() => void> = [];

  constructor(private readonly options: ManagedServerOptions) {
    this.name = options.name;
  }

  /** A method, not a field read: TypeScript would narrow `this.state` across the awaits. */
  isUp(): boolean {
    return this.state === 'up';
  }

  get tools(): Tool[] {
    return this.toolList;
  }

  get pid(): number | undefined {
    return this.state === 'up' ? this.transport?.pid : undefined;
  }

  status(): ServerStatus {
    return {
      name: this.name,
      state: this.state,
      ...(this.pid !== undefined ? { pid: this.pid } : {}),
      tools: this.toolList.length,
      ...(this.startMs !== undefined ? { startMs: this.startMs } : {}),
      restarts: this.restarts,
      ...(this.lastError ? { error: this.lastError } : {}),
    };
  }

  /** Starts the server once; resolves with its status whether it came up or not. */
  async start(): Promise<ServerStatus> {
    if (this.state !== 'idle') return this.status();
    await this.spawnAndConnect();
    return this.status();
  }

  private setState(state: ServerState, detail?: string): void {
    this.state = state;
    this.options.onStateChange?.(this, state, detail);
    if (state === 'up' || state === 'failed' || state === 'stopped') {
      for (const wake of this.readyWaiters.splice(0)) wake();
    }
  }

  private async spawnAndConnect(): Promise<boolean> {
    const { entry, logger } = this.options;
    const missing = missingEntryHint(entry);
    if (missing) {
      this.lastError = missing;
      logger.error({ server: this.name, err: missing }, 'server cannot start');
      this.setState('failed', missing);
      return false;
    }
    this.setState(this.restarts === 0 ? 'starting' : 'restarting');
    const started = performance.now();
    // `node` means the Node running the host: same version, no PATH surprises.
    const command = entry.command === 'node' ? process.execPath : entry.command;
    const transport = new ChildProcessTransport({
      command,
      args: entry.args,
      env: this.options.env,
      ...(this.options.stderrPath ? { stderrPath: this.options.stderrPath } : {}),
    });
    const client = new Client(
      { name: 'choir', version: this.options.clientVersion ?? '0.0.0' },
      { capabilities: this.options.sampling ? { sampling: {} } : {} },
    );
    if (this.options.sampling) {
      const sampling = this.options.sampling;
      client.setRequestHandler(CreateMessageRequestSchema, (request, extra) =>
        sampling(request.params, { server: this.name, signal: extra.signal }),
      );
    }
    client.onerror = (error) => logger.debug({ server: this.name, err: error.message }, 'transport error');
    this.transport = transport;
    this.client = client;
    try {
      await client.connect(transport, { timeout: this.options.startupTimeoutMs });
      const tools: Tool[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.listTools(cursor ? { cursor } : {}, {
          timeout: this.options.startupTimeoutMs,
        });
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
      if (this.state === 'stopped') {
        await client.close().catch(() => {});
        return false;
      }
      this.toolList = tools;
      this.startMs = Math.round(performance.now() - started);
      this.upSince = Date.now();
      this.lastError = undefined;
      // Registered only now: an exit during start-up is handled by the catch below.
      client.onclose = () => this.handleExit(transport);
      if (transport.exit) {
        this.handleExit(transport);
        return false;
      }
      logger.info(
        { server: this.name, pid: transport.pid, ms: this.startMs, tools: tools.length },
        'server up',
      );
      this.setState('up');
      return true;
    } catch (error) {
      this.startMs = Math.round(performance.now() - started);
      const tail = lastLine(transport.stderrTail);
      const message = (error as Error).message;
      this.lastError = tail ? `${message} — server said: ${tail}` : message;
      logger.error({ server: this.name, err: this.lastError, ms: this.startMs }, 'server failed to start');
      transport.kill();
      await client.close().catch(() => {});
      if (this.state === 'stopped') return false;
      // A server that never came up is reported, not retried: the cause (not built, bad
      // command, broken database) will not go away by itself. One that ran before is retried.
      if (this.restarts === 0) this.setState('failed', this.lastError);
      else this.scheduleRestart();
      return false;
    }
  }

  private handleExit(transport: ChildProcessTransport): void {
    if (transport !== this.transport || this.state === 'stopped' || transport.closeRequested) return;
    const exit = transport.exit;
    const tail = lastLine(transport.stderrTail);
    this.lastError = `exited (code ${exit?.code ?? 'none'}, signal ${exit?.signal ?? 'none'})${tail ? ` — ${tail}` : ''}`;
    this.options.logger.warn({ server: this.name, pid: transport.pid, exit }, 'server exited');
    this.attempt = nextAttempt(this.attempt, Date.now() - this.upSince, this.options.backoff);
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delay = restartDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF);
    if (delay === null) {
      this.options.logger.error({ server: this.name, restarts: this.restarts }, 'server gave up');
      this.setState('failed', this.lastError);
      return;
    }
    this.attempt++;
    this.setState('restarting', this.lastError);
    this.options.logger.info({ server: this.name, delay, attempt: this.attempt }, 'server restart scheduled');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restarts++;
      void this.spawnAndConnect().then((up) => {
        if (up) this.options.logger.info({ server: this.name, pid: this.transport?.pid }, 'server restarted');
      });
    }, delay);
  }

  /** Waits until the server is up (true) or failed/stopped, the signal fires, or ms pass (false). */
  async waitUntilUp(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.state === 'up') return true;
    if (this.state === 'failed' || this.state === 'stopped' || this.state === 'idle') return false;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.readyWaiters.push(done);
    });
    return this.isUp();
  }

  async callTool(name: string, args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult> {
    const started = Date.now();
    if (this.state !== 'up') {
      // A server restarting after a crash gets the call's own time budget to come back.
      const up = await this.waitUntilUp(options.timeoutMs, options.signal);
      if (!up) {
        options.signal?.throwIfAborted();
        const why: Record<ServerState, string> = {
          idle: 'was not started',
          starting: 'did not finish starting in time',
          up: 'is up',
          restarting: 'is restarting and did not come back in time',
          failed: 'is not running',
          stopped: 'is stopped',
        };
        throw new ServerCallError(
          'SERVER_UNAVAILABLE',
          `server ${this.name} ${why[this.state]}${this.lastError ? ` (${this.lastError})` : ''}`,
        );
      }
    }
    const client = this.client!;
    const transport = this.transport!;
    const remaining = Math.max(1, options.timeoutMs - (Date.now() - started));
    try {
      return (await client.callTool({ name, arguments: args }, undefined, {
        timeout: remaining,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onprogress: options.onProgress } : {}),
      })) as CallToolResult;
    } catch (error) {
      if (transport.exit && !options.signal?.aborted) {
        throw new ServerCallError(
          'SERVER_EXITED',
          `server ${this.name} exited during ${name} (${this.lastError ?? 'no exit status'}); it is being restarted`,
        );
      }
      throw error;
    }
  }

  /** Graceful stop; resolves when the child has exited. */
  async stop(): Promise<void> {
    const previous = this.state;
    this.state = 'stopped';
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const wake of this.readyWaiters.splice(0)) wake();
    if (previous === 'idle') return;
    const transport = this.transport;
    await this.client?.close().catch(() => {});
    await transport?.close();
    this.options.onStateChange?.(this, 'stopped');
  }

  /** Synchronous last resort at process exit. */
  killNow(): void {
    this.state = 'stopped';
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.transport?.kill();
  }
}

/** The most telling line of a child's stderr: the first error line, else the last line. */
function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const error = lines.find((l) => /\b(Error|error|cannot start|fatal)\b/.test(l) && !l.startsWith('at '));
  return (error ?? lines[lines.length - 1] ?? '').slice(0, 300);
}
