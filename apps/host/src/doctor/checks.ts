/**
 * `choir doctor`'s checks: Node, the data dir, each database (integrity and migration level),
 * the model (and whether it answers), the servers. Each check says ok / warn / fail and why.
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  appliedMigrations,
  openStore,
  readMigrations,
  resolveDatabaseLocation,
  storageMigrationsDir,
} from '@choir/storage';
import type { HostConfig } from '../config/config.js';
import { BUILTIN_SERVERS, builtinServerEntry } from '../config/default-servers.js';
import type { HostModel } from '../model/host-model.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';

export interface Check {
  name: string;
  level: CheckLevel;
  detail: string;
}

export const MIN_NODE_MAJOR = 20;

export function checkNode(version = process.versions.node): Check {
  const major = Number(version.split('.')[0]);
  return major >= MIN_NODE_MAJOR
    ? { name: 'node', level: 'ok', detail: `v${version}` }
    : { name: 'node', level: 'fail', detail: `v${version}; Choir needs Node ${MIN_NODE_MAJOR} or newer` };
}

export function checkDataDir(config: HostConfig): Check {
  try {
    mkdirSync(config.dataDir, { recursive: true });
    accessSync(config.dataDir, constants.W_OK);
    return { name: 'data dir', level: 'ok', detail: `${config.dataDir} (from ${config.dataDirSource})` };
  } catch (error) {
    return {
      name: 'data dir',
      level: 'fail',
      detail: `${config.dataDir} is not writable: ${(error as Error).message}`,
    };
  }
}

/** A built-in server's shipped migrations (dist/migrations beside its entry point), if found. */
function shippedMigrations(server: string): string[] | undefined {
  const dir = join(dirname(builtinServerEntry(server as (typeof BUILTIN_SERVERS)[number])), 'migrations');
  if (!existsSync(dir)) return undefined;
  return [...readMigrations(storageMigrationsDir(), 'storage'), ...readMigrations(dir, server)].map(
    (m) => m.name,
  );
}

export async function checkDatabase(
  server: string,
  config: HostConfig,
  env: Record<string, string | undefined>,
): Promise<Check> {
  const name = `db ${server}`;
  const location = resolveDatabaseLocation(server, { ...env, CHOIR_DATA_DIR: config.dataDir });
  if (!location.filePath) {
    return { name, level: 'ok', detail: `remote libSQL (${location.source}); not checked from here` };
  }
  if (!existsSync(location.filePath)) {
    return {
      name,
      level: 'ok',
      detail: `${location.filePath} not created yet (the server creates it on first start)`,
    };
  }
  let store: Awaited<ReturnType<typeof openStore>> | undefined;
  try {
    // Opening applies only the storage package's own migrations, which the server applied already.
    store = await openStore({ server, url: location.url, env: {} });
    const integrity = await store.client.execute('PRAGMA integrity_check');
    const verdict = String(Object.values(integrity.rows[0] ?? {})[0] ?? 'unknown');
    const applied = (await appliedMigrations(store.rawClient)).map((m) => m.name);
    const shipped = shippedMigrations(server);
    const pending = shipped ? shipped.filter((m) => !applied.includes(m)) : [];
    const latest = applied.filter((m) => !m.startsWith('storage/')).at(-1) ?? 'none';
    const level = verdict !== 'ok' ? 'fail' : pending.length ? 'warn' : 'ok';
    const migrationText = pending.length
      ? `${applied.length} migrations applied, ${pending.length} pending (${pending.join(', ')}): the server applies them on start`
      : `${applied.length} migrations applied, latest ${latest}`;
    return { name, level, detail: `${location.filePath}: integrity ${verdict}; ${migrationText}` };
  } catch (error) {
    return { name, level: 'fail', detail: `${location.filePath}: ${(error as Error).message}` };
  } finally {
    await store?.close();
  }
}

export async function checkModel(model: HostModel, timeoutMs = 15_000): Promise<Check> {
  if (model.error) return { name: 'model', level: 'fail', detail: model.description };
  if (!model.model)
    return {
      name: 'model',
      level: 'warn',
      detail: `${model.description}; phases run on their no-model paths`,
    };
  const started = performance.now();
  try {
    const result = await model.model.generateText({
      messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
      maxTokens: 16,
      timeoutMs,
    });
    const ms = Math.round(performance.now() - started);
    return {
      name: 'model',
      level: 'ok',
      detail: `${model.description}; answered in ${ms} ms (${result.model})`,
    };
  } catch (error) {
    return {
      name: 'model',
      level: 'fail',
      detail: `${model.description}; does not answer: ${(error as Error).message}`,
    };
  }
}

export { BUILTIN_SERVERS };
