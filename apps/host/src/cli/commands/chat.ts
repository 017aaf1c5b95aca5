/** `choir chat`: an interactive conversation, one PostChain turn per message, with slash commands. */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { newConversation } from '../../conversation/state.js';
import {
  EXIT,
  globalOptions,
  loadHostConfig,
  noModelNotice,
  openSession,
  requireUsableModel,
  runCommand,
} from '../common.js';
import { Interrupts, runCliTurn, terminalView } from '../turn-runner.js';
import { checkPersona, loadState } from './ask.js';

export const CHAT_HELP = `Commands:
  /persona NAME   answer as another persona (/persona alone shows the current one)
  /new            start a new conversation
  /history        this conversation so far
  /id             the conversation id (to resume: choir chat --conversation ID)
  /help           this list
  /quit           leave (Ctrl-D works too)
Ctrl-C cancels a running turn; pressed twice, it exits.`;

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description('Talk with Choir: every message runs the PostChain; memory persists across sessions')
    .option('-c, --conversation <id>', 'continue a stored conversation')
    .option('-p, --persona <name>', 'persona to answer as')
    .addHelpText('after', `\n${CHAT_HELP}`)
    .action(async (options: { conversation?: string; persona?: string }, command: Command) => {
      await runCommand(() => chat(options, command));
    });
}

async function chat(options: { conversation?: string; persona?: string }, command: Command): Promise<number> {
  const config = loadHostConfig({
    ...globalOptions(command),
    ...(options.persona ? { persona: options.persona } : {}),
  });
  const model = await requireUsableModel(config);
  const view = terminalView();
  const { session } = await openSession(config, {
    model,
    report: (line) => console.log(line),
    onSupervision: (line) => view.notice(line),
  });
  let persona = config.persona;
  let exiting = false;
  let promptInterrupts = 0;
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY === true,
  });
  const exit = () => {
    exiting = true;
    rl.close();
  };
  const interrupts = new Interrupts(
    () => {
      // At the prompt, one Ctrl-C only explains; a second one leaves.
      if (!interrupts.turnRunning && ++promptInterrupts < 2) {
        console.log('\n(Ctrl-C again or /quit to leave)');
        rl.prompt();
        return;
      }
      exit();
    },
    (line) => view.notice(line),
  );
  interrupts.install();
  rl.on('SIGINT', () => interrupts.interrupt());

  try {
    if (!model.model) view.notice(noModelNotice(model));
    let state = await loadState(session, options.conversation, persona, options.persona !== undefined);
    persona = state.persona ?? persona;
    await checkPersona(session, persona, options.persona !== undefined);
    console.log(
      state.turns.length
        ? `Resumed conversation ${state.id} (${state.turns.length} turns). /help for commands.`
        : `New conversation ${state.id}. /help for commands.`,
    );
    rl.setPrompt(`${persona}> `);
    rl.prompt();
    for await (const raw of rl) {
      promptInterrupts = 0;
      const line = raw.trim();
      if (!line) {
        rl.prompt();
        continue;
      }
      if (line.startsWith('/')) {
        const [name, ...rest] = line.slice(1).split(/\s+/);
        const arg = rest.join(' ');
        switch (name) {
          case 'quit':
          case 'exit':
            exit();
            break;
          case 'help':
            console.log(CHAT_HELP);
            break;
          case 'id':
            console.log(state.id);
            break;
          case 'new':
            state = newConversation({ persona, maxCycles: config.maxCycles });
            console.log(`New conversation ${state.id}.`);
            break;
          case 'history':
            if (state.messages.length === 0) console.log('(nothing yet)');
            for (const message of state.messages) {
              console.log(`${message.role === 'user' ? 'you' : 'choir'}: ${message.content}\n`);
            }
            break;
          case 'persona':
            if (!arg) {
              console.log(`persona: ${persona}`);
              break;
            }
            try {
              await checkPersona(session, arg, true);
              persona = arg;
              rl.setPrompt(`${persona}> `);
              console.log(`Now answering as ${persona}.`);
            } catch (error) {
              console.log((error as Error).message);
            }
            break;
          default:
            console.log(`unknown command /${name}; /help lists them`);
        }
        if (exiting) break;
        rl.prompt();
        continue;
      }
      const signal = interrupts.begin();
      const result = await runCliTurn(session, config, state, line, { view, signal, persona });
      interrupts.end();
      view.close();
      if (result.cancelled) console.log('(turn cancelled; not saved)');
      else state = result.state;
      if (exiting) break;
      rl.prompt();
    }
    return EXIT.ok;
  } finally {
    interrupts.uninstall();
    rl.close();
    await session.close();
  }
}
