/**
 * Everything a command needs to talk to the servers: config, log, model, the supervised pool,
 * and a guarantee that no child outlives the host.
 */
import { HOST_VERSION } from './version.js';
import { childEnv } from './config/child-env.js';
import type { HostConfig } from './config/config.js';
import { createHostLogger, type Logger, serverLogPath } from './logging/logger.js';
import type { HostModel } from './model/host-model.js';
import { DeltaRouter, UsageMeter } from './postchain/driver.js';
import type { BackoffPolicy } from './servers/backoff.js';
import type { ServerState, ServerStatus } from './servers/managed-server.js';
import { createSamplingHandler } from './servers/sampling.js';
import { ServerPool } from './servers/server-pool.js';

export { HOST_VERSION };

export interface HostSessionOptions {
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** The host's model (resolveHostModel), or NO_MODEL: sampling is offered only with a model. */
  model: HostModel;
  onServerState?: (server: string, state: ServerState, detail?: string) => void;
  backoff?: BackoffPolicy;
}

export class HostSession {
  readonly deltas = new DeltaRouter();
  readonly usage = new UsageMeter();
  readonly pool: ServerPool;
  readonly model: HostModel;
  readonly logger: Logger;
  private closed = false;
  private readonly exitHandler = () => this.pool.killAll();

  constructor(
    readonly config: HostConfig,
    options: HostSessionOptions,
  ) {
    const env = options.env ?? process.env;
    this.logger = options.logger ?? createHostLogger(config.dataDir, env.LOG_LEVEL);
    this.model = options.model;
    const model = this.model.model;
    this.pool = new ServerPool({
      servers: config.servers,
      envFor: (_name, entry) => childEnv(env, { dataDir: config.dataDir, extra: entry.env }),
      stderrPathFor: (name) => serverLogPath(config.dataDir, name),
      startupTimeoutMs: config.timeouts.startup,
      logger: this.logger,
      clientVersion: HOST_VERSION,
      // No model, no sampling capability: servers then take their no-model paths.
      ...(model
        ? {
            sampling: createSamplingHandler(model, {
              deltas: this.deltas,
              usage: this.usage,
              logger: this.logger,
            }),
          }
        : {}),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.onServerState ? { onStateChange: options.onServerState } : {}),
    });
    // Last resort if the process exits without close(): children get SIGKILL, synchronously.
    process.on('exit', this.exitHandler);
    this.logger.info(
      { dataDir: config.dataDir, model: this.model.description, config: config.configPath },
      'session',
    );
  }

  start(names?: string[]): Promise<ServerStatus[]> {
    return this.pool.start(names);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
    process.off('exit', this.exitHandler);
    this.logger.info('session closed');
  }
}
