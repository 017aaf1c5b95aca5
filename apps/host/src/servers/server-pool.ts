/**
 * The host's servers: started in parallel, tools routed to the server that lists them, and
 * every call turned into a ToolOutcome (tool errors, server exits, timeouts, cancellation).
 */
import { ErrorCode as RpcErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TOOL_PREFIX_SERVER, type ServerEntry } from '../config/default-servers.js';
import type { Logger } from '../logging/logger.js';
import {
  abortFailure,
  type CallToolOptions,
  failure,
  type ToolCaller,
  type ToolOutcome,
} from '../postchain/tool-caller.js';
import type { BackoffPolicy } from './backoff.js';
import {
  ManagedServer,
  type SamplingHandler,
  ServerCallError,
  type ServerState,
  type ServerStatus,
} from './managed-server.js';

export interface ServerPoolOptions {
  servers: Record<string, ServerEntry>;
  /** Builds each child's environment. */
  envFor(name: string, entry: ServerEntry): Record<string, string>;
  stderrPathFor?(name: string): string;
  startupTimeoutMs: number;
  logger: Logger;
  sampling?: SamplingHandler;
  backoff?: BackoffPolicy;
  clientVersion?: string;
  onStateChange?: (server: string, state: ServerState, detail?: string) => void;
}

/** The meta key under which Choir servers put their error code (server-kit ERROR_META_KEY). */
const ERROR_META_KEY = 'choir/error';
const DEFAULT_CALL_TIMEOUT_MS = 60_000;

export class ServerPool implements ToolCaller {
  private readonly servers = new Map<string, ManagedServer>();

  constructor(private readonly options: ServerPoolOptions) {
    for (const [name, entry] of Object.entries(options.servers)) {
      if (entry.disabled) continue;
      this.servers.set(
        name,
        new ManagedServer({
          name,
          entry,
          env: options.envFor(name, entry),
          ...(options.stderrPathFor ? { stderrPath: options.stderrPathFor(name) } : {}),
          startupTimeoutMs: options.startupTimeoutMs,
          logger: options.logger,
          ...(options.sampling ? { sampling: options.sampling } : {}),
          ...(options.backoff ? { backoff: options.backoff } : {}),
          ...(options.clientVersion ? { clientVersion: options.clientVersion } : {}),
          onStateChange: (server, state, detail) => options.onStateChange?.(server.name, state, detail),
        }),
      );
    }
  }

  get names(): string[] {
    return [...this.servers.keys()];
  }

  server(name: string): ManagedServer | undefined {
    return this.servers.get(name);
  }

  /** Starts the named servers (all by default) in parallel; each report says up or failed, ms, tools. */
  async start(names: string[] = this.names): Promise<ServerStatus[]> {
    const chosen = names.map((name) => {
      const server = this.servers.get(name);
      if (!server)
        throw new Error(`no server named ${name} (configured: ${this.names.join(', ') || 'none'})`);
      return server;
    });
    return Promise.all(chosen.map((server) => server.start()));
  }

  statuses(): ServerStatus[] {
    return [...this.servers.values()].map((s) => s.status());
  }

  /** The server that lists this tool, else the built-in that would (it may be restarting). */
  private route(tool: string): ManagedServer | undefined {
    for (const server of this.servers.values()) {
      if (server.tools.some((t) => t.name === tool)) return server;
    }
    const prefix = tool.split('_')[0] ?? '';
    const builtin = TOOL_PREFIX_SERVER[prefix];
    return builtin ? this.servers.get(builtin) : undefined;
  }

  async call<T = Record<string, unknown>>(
    tool: string,
    args: Record<string, unknown>,
    options: CallToolOptions = {},
  ): Promise<ToolOutcome<T>> {
    const { signal } = options;
    if (signal?.aborted) return abortFailure(signal, tool);
    const server = this.route(tool);
    if (!server) return failure('TOOL_UNAVAILABLE', `no configured server offers ${tool}`);
    const status = server.status();
    if (status.state === 'up' && !server.tools.some((t) => t.name === tool)) {
      return failure('TOOL_UNAVAILABLE', `server ${server.name} does not offer ${tool}`);
    }
    const started = performance.now();
    try {
      const result = await server.callTool(tool, args, {
        timeoutMs: options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
        ...(signal ? { signal } : {}),
        ...(options.onProgressText
          ? {
              onProgress: (p: { message?: string }) => {
                if (p.message) options.onProgressText!(p.message);
              },
            }
          : {}),
      });
      const outcome = toOutcome<T>(result);
      this.options.logger.debug(
        { tool, server: server.name, ms: Math.round(performance.now() - started), ok: outcome.ok },
        'tool call',
      );
      return outcome;
    } catch (error) {
      if (signal?.aborted) return abortFailure(signal, tool);
      if (error instanceof ServerCallError) return failure(error.code, error.message);
      if (error instanceof McpError && error.code === RpcErrorCode.RequestTimeout) {
        return failure(
          'TIMEOUT',
          `${tool} did not answer within ${options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS} ms`,
        );
      }
      this.options.logger.warn({ tool, err: (error as Error).message }, 'tool call failed');
      return failure('CALL_FAILED', `${tool}: ${(error as Error).message}`);
    }
  }

  /** Stops every server gracefully, in parallel. */
  async close(): Promise<void> {
    await Promise.all([...this.servers.values()].map((s) => s.stop()));
  }

  /** Synchronous last resort (process 'exit'): SIGKILL whatever is still running. */
  killAll(): void {
    for (const server of this.servers.values()) server.killNow();
  }
}

/** A CallToolResult as the PostChain sees it. */
export function toOutcome<T>(result: CallToolResult): ToolOutcome<T> {
  const text = (result.content ?? [])
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
  if (result.isError) {
    const meta = (
      result._meta as Record<string, { code?: string; message?: string; hint?: string }> | undefined
    )?.[ERROR_META_KEY];
    const parsed = /^([A-Z][A-Z_]+):\s*(.*)$/s.exec(text);
    const code = meta?.code ?? parsed?.[1] ?? 'TOOL_ERROR';
    const message = meta?.message ?? parsed?.[2]?.split('\nHint:')[0] ?? text;
    return { ok: false, error: { code, message, ...(meta?.hint ? { hint: meta.hint } : {}) }, text };
  }
  if (result.structuredContent) return { ok: true, data: result.structuredContent as T, text };
  // A tool without an output schema may put JSON in its text.
  try {
    return { ok: true, data: JSON.parse(text) as T, text };
  } catch {
    return { ok: true, data: {} as T, text };
  }
}
