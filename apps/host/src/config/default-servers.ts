/**
 * The five built-in servers, started as `node <abs path>/dist/index.js`. The path comes from
 * resolving each server package from the host's own location, so it works both in this
 * workspace and when the host is installed from a registry with the servers beside it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILTIN_SERVERS = ['action', 'experience', 'reasoning', 'persona', 'chat-history'] as const;
export type BuiltinServer = (typeof BUILTIN_SERVERS)[number];

/** Which server offers a tool family, by the tool's prefix (tools/list is the authority once up). */
export const TOOL_PREFIX_SERVER: Record<string, BuiltinServer> = {
  action: 'action',
  experience: 'experience',
  reasoning: 'reasoning',
  persona: 'persona',
  history: 'chat-history',
};

export interface ServerEntry {
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Set in choir.config.json to leave a server out. */
  disabled?: boolean;
}

/** Absolute path of a built-in server's entry point (which may not be built yet). */
export function builtinServerEntry(name: BuiltinServer): string {
  const specifier = `@choir/${name}-server`;
  try {
    // The package's "." export is dist/server.js; the bin is dist/index.js beside it.
    return join(dirname(fileURLToPath(import.meta.resolve(specifier))), 'index.js');
  } catch {
    // Not resolvable (e.g. not built yet): the workspace layout, relative to apps/host/dist/config.
    const here = dirname(fileURLToPath(import.meta.url));
    return resolve(here, '..', '..', '..', '..', 'packages', `${name}-server`, 'dist', 'index.js');
  }
}

export function defaultServers(): Record<string, ServerEntry> {
  const servers: Record<string, ServerEntry> = {};
  for (const name of BUILTIN_SERVERS) {
    servers[name] = { command: 'node', args: [builtinServerEntry(name)], env: {} };
  }
  return servers;
}

/** For error messages: a built-in whose entry point is missing has not been built. */
export function missingEntryHint(entry: ServerEntry): string | undefined {
  const script = entry.args.find((a) => a.endsWith('.js'));
  if (script && !existsSync(script)) {
    return `${script} does not exist; build the workspace first (pnpm build, or pnpm choir which builds for you)`;
  }
  return undefined;
}
