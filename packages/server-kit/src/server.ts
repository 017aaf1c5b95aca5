import { type LanguageModel, resolveModel } from '@choir/llm';
import { openStore, type Store } from '@choir/storage';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Inflight } from './inflight.js';
import { createLogger, type Logger } from './logger.js';
import { type Env, loadSettings, type ServerDeps } from './settings.js';

export interface ChoirServerInfo {
  /** Short server name, e.g. `reasoning`; the MCP name becomes `choir-reasoning`. */
  name: string;
  version: string;
  /** Shown to the client's model: what this server is for and how to use it. */
  instructions?: string;
}

/** An McpServer with Choir's identity; register tools on it with registerTools(). */
export function createChoirServer(info: ChoirServerInfo): McpServer {
  return new McpServer(
    { name: `choir-${info.name}`, version: info.version },
    { instructions: info.instructions, capabilities: { logging: {} } },
  );
}

export interface ModelSelection {
  model: LanguageModel | null;
  description: string;
}

/** The environment's provider, or null with the reason; a bad CHOIR_MODEL is reported, not fatal. */
export function selectModel(env: Env, logger: Logger): ModelSelection {
  try {
    const choice = resolveModel(env);
    return { model: choice.model, description: choice.description };
  } catch (error) {
    const description = `none: ${(error as Error).message}`;
    logger.error(
      { err: (error as Error).message },
      'model configuration is invalid; continuing without a provider',
    );
    return { model: null, description };
  }
}

export interface RunStdioServerOptions<DB> {
  /** Short name: database `<data dir>/<name>.db`, logger name, MCP name `choir-<name>`. */
  name: string;
  migrationsDir: string;
  create(deps: ServerDeps<DB>): McpServer | Promise<McpServer>;
  env?: Env;
  /** How long shutdown waits for in-flight calls, ms. */
  drainTimeoutMs?: number;
}

/**
 * Starts a server on stdio: logger on stderr, store opened and migrated, provider resolved,
 * graceful shutdown on stdin close, SIGTERM and SIGINT (in-flight calls finish, database
 * closed, exit 0). stdout carries nothing but protocol messages.
 */
export async function runStdioServer<DB>(options: RunStdioServerOptions<DB>): Promise<void> {
  const env = options.env ?? process.env;
  const logger = createLogger(options.name, env);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    process.exit(1);
  });

  let store: Store<DB>;
  let settings: ServerDeps['settings'];
  try {
    settings = loadSettings(env);
    store = await openStore<DB>({ server: options.name, migrationsDir: options.migrationsDir, env });
  } catch (error) {
    logger.fatal({ err: error }, 'cannot start');
    process.stderr.write(`choir-${options.name}: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const { model, description } = selectModel(env, logger);
  const inflight = new Inflight();
  const deps: ServerDeps<DB> = {
    store,
    logger,
    model,
    modelDescription: description,
    env,
    settings,
    inflight,
  };
  let mcp: McpServer;
  try {
    mcp = await options.create(deps);
  } catch (error) {
    logger.fatal({ err: error }, 'cannot start');
    process.stderr.write(`choir-${options.name}: cannot start: ${(error as Error).message}\n`);
    await store.close().catch(() => {});
    process.exit(1);
  }
  const transport = new StdioServerTransport();

  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason, inflight: inflight.count }, 'shutting down');
    const drained = await inflight.drain(options.drainTimeoutMs ?? 10_000);
    if (!drained) logger.warn({ inflight: inflight.count }, 'shutdown timed out waiting for calls in flight');
    // Let the last responses reach the transport before it closes.
    await new Promise((resolve) => setImmediate(resolve));
    await mcp.close().catch(() => {});
    await store.close().catch((err: unknown) => logger.error({ err }, 'closing the database failed'));
    process.exit(0);
  };
  process.stdin.on('end', () => void shutdown('stdin closed'));
  process.stdin.on('close', () => void shutdown('stdin closed'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await mcp.connect(transport);
  logger.info(
    {
      database: store.location.url.startsWith('file:') ? store.location.filePath : store.location.source,
      model: description,
    },
    'ready',
  );
}
