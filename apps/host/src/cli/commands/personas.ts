/** `choir personas list|show`: the persona server's personas. */
import type { Command } from 'commander';
import { EXIT, globalOptions, loadHostConfig, runCommand } from '../common.js';
import { printResult, unwrap, withServer } from '../tool-command.js';

export function registerPersonas(program: Command): void {
  const personas = program.command('personas').description('List and show personas (persona server)');
  personas
    .command('list')
    .description('List personas')
    .option('--json', 'print the structured result')
    .action(async (options: { json?: boolean }, command: Command) => {
      await runCommand(async () => {
        const config = loadHostConfig(globalOptions(command));
        await withServer(config, 'persona', async (session) => {
          printResult(unwrap(await session.pool.call('persona_list', {}), 'persona_list'), options.json);
        });
        return EXIT.ok;
      });
    });
  personas
    .command('show')
    .description('Show one persona: traits, backstory, state')
    .argument('<name>', 'persona id or name')
    .option('--json', 'print the structured result')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      await runCommand(async () => {
        const config = loadHostConfig(globalOptions(command));
        await withServer(config, 'persona', async (session) => {
          printResult(
            unwrap(await session.pool.call('persona_get', { persona: name }), 'persona_get'),
            options.json,
          );
        });
        return EXIT.ok;
      });
    });
}
