/** What every command shares: loading config, opening a session, reporting servers, exit codes. */
import type { Command } from 'commander';
import { ConfigError, type ConfigOverrides, type HostConfig, loadConfig } from '../config/config.js';
import type { HostSession } from '../host-session.js';
import { CONFIGURE_MODEL_HINT, type HostModel, NO_MODEL, resolveHostModel } from '../model/host-model.js';
import type { ServerStatus } from '../servers/managed-server.js';

export const EXIT = { ok: 0, failure: 1, usage: 2, cancelled: 130 } as const;

/** An error the user can act on: printed as is, without a stack. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

export interface GlobalOptions {
  config?: string;
  dataDir?: string;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

export function loadHostConfig(options: GlobalOptions & { persona?: string }): HostConfig {
  const overrides: ConfigOverrides = {
    ...(options.config ? { configPath: options.config } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.persona ? { persona: options.persona } : {}),
  };
  try {
    return loadConfig(overrides);
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message, EXIT.usage);
    throw error;
  }
}

/** The model, or a UserError when the configuration names one that cannot work: no quiet downgrade. */
export async function requireUsableModel(config: HostConfig): Promise<HostModel> {
  const model = await resolveHostModel(config);
  if (model.error) {
    throw new UserError(
      `The model configuration cannot work: ${model.error}\nFix it, or set CHOIR_MODEL=none to run without a model.`,
      EXIT.usage,
    );
  }
  return model;
}

export function noModelNotice(model: HostModel): string {
  const why = model.description.startsWith('none: disabled') ? ` (${model.description.slice(6)})` : '';
  return (
    `No model configured${why}: every phase runs on its no-model path, so answers are built from ` +
    `what is stored and marked "no model".\n${CONFIGURE_MODEL_HINT}`
  );
}

/** Starts a session with the given servers (all by default) and says which came up. */
export async function openSession(
  config: HostConfig,
  options: {
    model?: HostModel;
    servers?: string[];
    report?: (line: string) => void;
    /** Told when a server dies, is restarted or given up on, after start-up. */
    onSupervision?: (line: string) => void;
  } = {},
): Promise<{ session: HostSession; statuses: ServerStatus[] }> {
  const { HostSession } = await import('../host-session.js');
  let started = false;
  const session = new HostSession(config, {
    model: options.model ?? NO_MODEL,
    onServerState: (server, state, detail) => {
      if (!started || !options.onSupervision) return;
      if (state === 'restarting' && detail)
        options.onSupervision(`server ${server} ${detail}; restarting it`);
      if (state === 'up') options.onSupervision(`server ${server} is back up`);
      if (state === 'failed')
        options.onSupervision(`server ${server} gave up after repeated failures: ${detail ?? ''}`);
    },
  });
  const startedAt = performance.now();
  let statuses: ServerStatus[];
  try {
    statuses = await session.start(options.servers);
  } catch (error) {
    await session.close();
    throw new UserError((error as Error).message, EXIT.usage);
  }
  started = true;
  options.report?.(serverSummary(statuses, Math.round(performance.now() - startedAt)));
  for (const failed of statuses.filter((s) => s.state !== 'up')) {
    options.report?.(`server ${failed.name} did not start: ${failed.error ?? failed.state}`);
  }
  return { session, statuses };
}

export function serverSummary(statuses: ServerStatus[], totalMs: number): string {
  const up = statuses.filter((s) => s.state === 'up');
  const parts = statuses.map((s) =>
    s.state === 'up' ? `${s.name} ${s.tools} tools ${s.startMs}ms` : `${s.name} FAILED`,
  );
  return `servers: ${up.length}/${statuses.length} up in ${totalMs} ms (${parts.join(', ')})`;
}

/** Runs a command body, turning errors into a message and an exit code. */
export async function runCommand(body: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await body();
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`choir: ${error.message}`);
      code = error.exitCode;
    } else {
      console.error(`choir: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
      code = EXIT.failure;
    }
  }
  process.exit(code);
}
