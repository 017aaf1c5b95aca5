/** Ready-to-paste client configs for Choir's servers, with absolute paths. */
import { BUILTIN_SERVERS, type ServerEntry } from './config/default-servers.js';

export const CLIENTS = ['claude', 'cursor', 'vscode'] as const;
export type ClientKind = (typeof CLIENTS)[number];

export const CLIENT_FILES: Record<ClientKind, string> = {
  claude:
    'claude_desktop_config.json (macOS: ~/Library/Application Support/Claude/, Windows: %APPDATA%\\Claude\\, Linux: ~/.config/Claude/)',
  cursor: '.cursor/mcp.json in your project, or ~/.cursor/mcp.json for every project',
  vscode: '.vscode/mcp.json in your workspace',
};

/** The key a client shows: `choir-reasoning`, … */
export function clientServerName(name: string): string {
  return name.startsWith('choir-') ? name : `choir-${name}`;
}

export function mcpConfig(
  servers: Record<string, ServerEntry>,
  options: { client: ClientKind; only?: string; dataDir: string },
): Record<string, unknown> {
  const names = Object.keys(servers).filter(
    (n) => !servers[n]!.disabled && (!options.only || n === options.only),
  );
  if (options.only && names.length === 0) {
    const known = Object.keys(servers).join(', ');
    throw new Error(`no server named ${options.only} (known: ${known})`);
  }
  const entries: Record<string, Record<string, unknown>> = {};
  for (const name of names) {
    const entry = servers[name]!;
    // The data dir is set explicitly so the client shares memory with the `choir` CLI.
    const env = { CHOIR_DATA_DIR: options.dataDir, ...entry.env };
    entries[clientServerName(name)] =
      options.client === 'vscode'
        ? { type: 'stdio', command: entry.command, args: entry.args, env }
        : { command: entry.command, args: entry.args, env };
  }
  return options.client === 'vscode' ? { servers: entries } : { mcpServers: entries };
}

export { BUILTIN_SERVERS };
