/**
 * The host's settings: defaults, then choir.config.json (cwd or --config), then environment,
 * then command-line flags. The file is validated with zod and errors name the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { PHASES, type PhaseName } from '@choir/contracts';
import { resolveDataDir } from '@choir/storage';
import { z } from 'zod';
import { defaultServers, type ServerEntry } from './default-servers.js';

export const CONFIG_FILE_NAME = 'choir.config.json';
export const DEFAULT_PERSONA = 'aria';
export const DEFAULT_MAX_CYCLES = 2;
/** Yield may ask for more cycles; more than this is a configuration mistake, not a wish. */
export const MAX_MAX_CYCLES = 5;

/** Per-phase limits, ms. Generous enough for a local model; a phase that passes its limit is reported and skipped. */
export const DEFAULT_TIMEOUTS: Record<PhaseName, number> & { startup: number; persist: number } = {
  action: 60_000,
  experience: 20_000,
  intention: 60_000,
  observation: 30_000,
  understanding: 60_000,
  yield: 90_000,
  /** Spawning a server until its tools are listed. */
  startup: 20_000,
  /** Each after-turn write (history, experience, citations, persona). */
  persist: 20_000,
};
export type Timeouts = typeof DEFAULT_TIMEOUTS;

const Millis = z.number().int().positive().max(3_600_000);

const ServerEntrySchema = z
  .object({
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    disabled: z.boolean().optional(),
  })
  .strict();

export const ConfigFileSchema = z
  .object({
    $schema: z.string().optional(),
    /** Same form as CHOIR_MODEL: `<provider>:<model>`, or `none`. */
    model: z.string().min(1).optional(),
    dataDir: z.string().min(1).optional(),
    persona: z.string().min(1).optional(),
    maxCycles: z.number().int().min(1).max(MAX_MAX_CYCLES).optional(),
    phases: z
      .object(Object.fromEntries(PHASES.map((p) => [p, z.boolean().optional()])))
      .strict()
      .optional(),
    timeouts: z
      .object({
        ...Object.fromEntries(PHASES.map((p) => [p, Millis.optional()])),
        startup: Millis.optional(),
        persist: Millis.optional(),
      })
      .strict()
      .optional(),
    mcpServers: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,31}$/), ServerEntrySchema).optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export interface HostConfig {
  dataDir: string;
  /** Where the data dir came from, for doctor. */
  dataDirSource: string;
  /** CHOIR_MODEL, else the file's `model`; undefined lets @choir/llm detect from the environment. */
  model?: string;
  modelSource?: string;
  persona: string;
  maxCycles: number;
  phases: Record<PhaseName, boolean>;
  timeouts: Timeouts;
  servers: Record<string, ServerEntry>;
  /** The config file that was read, if any. */
  configPath?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface ConfigOverrides {
  configPath?: string;
  dataDir?: string;
  persona?: string;
  maxCycles?: number;
}

export type Env = Record<string, string | undefined>;

export function loadConfig(
  overrides: ConfigOverrides = {},
  env: Env = process.env,
  cwd = process.cwd(),
): HostConfig {
  const explicit = overrides.configPath ?? env.CHOIR_CONFIG;
  const configPath = explicit ? resolve(cwd, explicit) : join(cwd, CONFIG_FILE_NAME);
  let file: ConfigFile = {};
  let readPath: string | undefined;
  if (existsSync(configPath)) {
    file = parseConfigFile(readFileSync(configPath, 'utf8'), configPath);
    readPath = configPath;
  } else if (explicit) {
    throw new ConfigError(`config file not found: ${configPath}`);
  }
  return buildConfig(file, readPath, overrides, env);
}

export function parseConfigFile(text: string, path: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 10)
      .map((i) => `  ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`)
      .join('\n');
    throw new ConfigError(`${path} has errors:\n${issues}`);
  }
  return parsed.data;
}

export function buildConfig(
  file: ConfigFile,
  configPath: string | undefined,
  overrides: ConfigOverrides,
  env: Env,
): HostConfig {
  const base = configPath ? dirname(configPath) : process.cwd();
  let dataDir: string;
  let dataDirSource: string;
  if (overrides.dataDir) {
    dataDir = expandPath(overrides.dataDir, process.cwd());
    dataDirSource = '--data-dir';
  } else if (env.CHOIR_DATA_DIR?.trim()) {
    dataDir = expandPath(env.CHOIR_DATA_DIR.trim(), process.cwd());
    dataDirSource = 'CHOIR_DATA_DIR';
  } else if (file.dataDir) {
    dataDir = expandPath(file.dataDir, base);
    dataDirSource = `${configPath} (dataDir)`;
  } else {
    dataDir = resolveDataDir({});
    dataDirSource = 'XDG data dir';
  }

  const envModel = env.CHOIR_MODEL?.trim();
  const model = envModel || file.model;
  const modelSource = envModel ? 'CHOIR_MODEL' : file.model ? `${configPath} (model)` : undefined;

  const maxCycles =
    overrides.maxCycles ?? envInt(env, 'CHOIR_MAX_CYCLES') ?? file.maxCycles ?? DEFAULT_MAX_CYCLES;
  if (!Number.isInteger(maxCycles) || maxCycles < 1 || maxCycles > MAX_MAX_CYCLES) {
    throw new ConfigError(`max cycles must be an integer from 1 to ${MAX_MAX_CYCLES}, got ${maxCycles}`);
  }

  const phases = Object.fromEntries(PHASES.map((p) => [p, file.phases?.[p] ?? true])) as Record<
    PhaseName,
    boolean
  >;
  const timeouts = { ...DEFAULT_TIMEOUTS } as Timeouts;
  for (const [key, value] of Object.entries(file.timeouts ?? {})) {
    if (typeof value === 'number') timeouts[key as keyof Timeouts] = value;
  }

  return {
    dataDir,
    dataDirSource,
    ...(model ? { model } : {}),
    ...(modelSource ? { modelSource } : {}),
    persona: overrides.persona ?? (env.CHOIR_PERSONA?.trim() || file.persona || DEFAULT_PERSONA),
    maxCycles,
    phases,
    timeouts,
    servers: mergeServers(file.mcpServers ?? {}, configPath),
    ...(configPath ? { configPath } : {}),
  };
}

function mergeServers(
  fromFile: NonNullable<ConfigFile['mcpServers']>,
  configPath: string | undefined,
): Record<string, ServerEntry> {
  const servers = defaultServers();
  for (const [name, entry] of Object.entries(fromFile)) {
    const existing = servers[name];
    if (!existing && !entry.command) {
      throw new ConfigError(
        `${configPath}: mcpServers.${name} is not a built-in server, so it needs a command`,
      );
    }
    servers[name] = {
      command: entry.command ?? existing!.command,
      // A new command without args means the command alone, not the built-in's script.
      args: entry.args ?? (entry.command ? [] : existing!.args),
      env: { ...(existing?.env ?? {}), ...(entry.env ?? {}) },
      ...(entry.disabled !== undefined ? { disabled: entry.disabled } : {}),
    };
  }
  return servers;
}

function envInt(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  return value;
}

function expandPath(path: string, base: string): string {
  const home = path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
  return isAbsolute(home) ? home : resolve(base, home);
}
