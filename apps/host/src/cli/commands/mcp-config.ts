/** `choir mcp-config`: a client config for any of the servers, ready to paste. */
import type { Command } from 'commander';
import { CLIENT_FILES, CLIENTS, type ClientKind, mcpConfig } from '../../mcp-config.js';
import { EXIT, globalOptions, loadHostConfig, runCommand, UserError } from '../common.js';

export function registerMcpConfig(program: Command): void {
  program
    .command('mcp-config')
    .description(
      'Print an mcpServers config (absolute paths) to add Choir servers to Claude Desktop, Cursor or VS Code',
    )
    .option('--client <client>', `claude | cursor | vscode`, 'claude')
    .option('--server <name>', 'only this server (action, experience, reasoning, persona, chat-history)')
    .action(async (options: { client: string; server?: string }, command: Command) => {
      await runCommand(async () => {
        if (!CLIENTS.includes(options.client as ClientKind)) {
          throw new UserError(`--client must be one of ${CLIENTS.join(', ')}`, EXIT.usage);
        }
        const config = loadHostConfig(globalOptions(command));
        let json: Record<string, unknown>;
        try {
          json = mcpConfig(config.servers, {
            client: options.client as ClientKind,
            ...(options.server ? { only: options.server } : {}),
            dataDir: config.dataDir,
          });
        } catch (error) {
          throw new UserError((error as Error).message, EXIT.usage);
        }
        console.log(JSON.stringify(json, null, 2));
        console.error(`Paste into ${CLIENT_FILES[options.client as ClientKind]}.`);
        return EXIT.ok;
      });
    });
}
