/** The `choir` command line: commander wiring only; each command lives in commands/. */
import { Command } from 'commander';
import { HOST_VERSION } from '../version.js';
import { registerAsk } from './commands/ask.js';
import { registerChat } from './commands/chat.js';
import { registerDoctor } from './commands/doctor.js';
import { registerHistory } from './commands/history.js';
import { registerMcpConfig } from './commands/mcp-config.js';
import { registerPersonas } from './commands/personas.js';
import { registerServers } from './commands/servers.js';

const ENVIRONMENT_HELP = `
Environment:
  CHOIR_MODEL        <provider>:<model>, e.g. anthropic:claude-sonnet-4-5, openai-compatible:llama3 or none
                     (else detected from ANTHROPIC_API_KEY, OPENAI_API_KEY [+OPENAI_BASE_URL], OLLAMA_HOST, LANGBASE_API_KEY)
  CHOIR_DATA_DIR     where databases and logs live (default ~/.local/share/choir)
  CHOIR_PERSONA      default persona (default aria)
  CHOIR_MAX_CYCLES   how many PostChain cycles Yield may ask for (1-5, default 2)
  CHOIR_CONFIG       path of the config file (default ./choir.config.json)
  LOG_LEVEL          host and server log level (logs go to <data dir>/logs, never the terminal)
`;

export function buildProgram(): Command {
  const program = new Command()
    .name('choir')
    .description(
      'Every turn through the PostChain: Action, Experience, Intention, Observation, Understanding, Yield.',
    )
    .version(HOST_VERSION)
    .option('--config <path>', 'config file (default: ./choir.config.json if present)')
    .option('--data-dir <dir>', 'data directory (overrides CHOIR_DATA_DIR)')
    .addHelpText('after', ENVIRONMENT_HELP)
    .showHelpAfterError('(choir --help lists the commands)');
  registerAsk(program);
  registerChat(program);
  registerHistory(program);
  registerPersonas(program);
  registerServers(program);
  registerDoctor(program);
  registerMcpConfig(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
