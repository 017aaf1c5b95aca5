/** `choir ask "<text>"`: one turn through the PostChain. */
import type { Command } from 'commander';
import type { ConversationState } from '@choir/contracts';
import { newConversation } from '../../conversation/state.js';
import { ResumeError, resumeConversation } from '../../conversation/resume.js';
import type { HostSession } from '../../host-session.js';
import {
  EXIT,
  globalOptions,
  loadHostConfig,
  noModelNotice,
  openSession,
  requireUsableModel,
  runCommand,
  UserError,
} from '../common.js';
import { Interrupts, jsonView, runCliTurn, terminalView, type TurnView } from '../turn-runner.js';

interface AskOptions {
  conversation?: string;
  persona?: string;
  json?: boolean;
}

export function registerAsk(program: Command): void {
  program
    .command('ask')
    .description('Run one turn of the PostChain and print the answer')
    .argument('<text...>', 'your message')
    .option('-c, --conversation <id>', 'continue a stored conversation')
    .option('-p, --persona <name>', 'persona to answer as (default: aria, or "persona" in choir.config.json)')
    .option('--json', 'print NDJSON phase events on stdout (one per line) instead of the live view')
    .addHelpText(
      'after',
      '\nExamples:\n  choir ask "What did we decide about the cache?"\n  choir ask --conversation c_abc "And why?"\n  choir ask --json "hello" | jq .phase',
    )
    .action(async (words: string[], options: AskOptions, command: Command) => {
      await runCommand(() => ask(words.join(' '), options, command));
    });
}

async function ask(text: string, options: AskOptions, command: Command): Promise<number> {
  if (!text.trim()) throw new UserError('the message is empty', EXIT.usage);
  const config = loadHostConfig({
    ...globalOptions(command),
    ...(options.persona ? { persona: options.persona } : {}),
  });
  const model = await requireUsableModel(config);
  const view: TurnView = options.json ? jsonView() : terminalView();
  const { session } = await openSession(config, {
    model,
    onSupervision: (line) => view.notice(line),
    report: (line) => (options.json ? process.stderr.write(`choir: ${line}\n`) : console.log(dim(line))),
  });
  const interrupts = new Interrupts(
    () => void exitNow(session),
    (line) => view.notice(line),
  );
  interrupts.install();
  try {
    if (!model.model) view.notice(noModelNotice(model));
    const state = await loadState(
      session,
      options.conversation,
      config.persona,
      options.persona !== undefined,
    );
    const persona = state.persona ?? config.persona;
    await checkPersona(session, persona, options.persona !== undefined);
    const signal = interrupts.begin();
    const result = await runCliTurn(session, config, state, text, { view, signal, persona });
    interrupts.end();
    view.close();
    if (!options.json) {
      console.log(
        dim(
          result.cancelled
            ? `conversation ${state.id} (this turn was cancelled and not saved)`
            : `conversation ${state.id} · continue with: choir ask --conversation ${state.id} "…"`,
        ),
      );
    }
    if (result.cancelled) return EXIT.cancelled;
    // No answer at all (every answering phase failed) is a failure for scripts, though reported.
    return result.final.source === 'none' ? EXIT.failure : EXIT.ok;
  } finally {
    interrupts.uninstall();
    await session.close();
  }
}

/**
 * A new conversation, or a stored one rebuilt from chat-history. A resumed conversation keeps
 * the persona it was having unless the user named another one (`explicitPersona`).
 */
export async function loadState(
  session: HostSession,
  conversationId: string | undefined,
  persona: string,
  explicitPersona: boolean,
): Promise<ConversationState> {
  const { config } = session;
  if (!conversationId) return newConversation({ persona, maxCycles: config.maxCycles });
  try {
    const state = await resumeConversation(session.pool, conversationId, {
      maxCycles: config.maxCycles,
      ...(explicitPersona ? { persona } : {}),
      timeoutMs: config.timeouts.persist,
    });
    return state.persona ? state : { ...state, persona };
  } catch (error) {
    if (error instanceof ResumeError) throw new UserError(error.message);
    throw error;
  }
}

/** A persona the user named must exist; the default one is checked by the Action phase itself. */
export async function checkPersona(session: HostSession, persona: string, explicit: boolean): Promise<void> {
  if (!explicit) return;
  const result = await session.pool.call(
    'persona_prompt',
    { persona },
    { timeoutMs: session.config.timeouts.startup },
  );
  if (!result.ok && result.error.code === 'NOT_FOUND') {
    throw new UserError(`persona "${persona}" does not exist (choir personas list shows them)`, EXIT.usage);
  }
}

async function exitNow(session: HostSession): Promise<void> {
  const timer = setTimeout(() => {
    session.pool.killAll();
    process.exit(EXIT.cancelled);
  }, 3_000);
  timer.unref();
  await session.close().catch(() => {});
  process.exit(EXIT.cancelled);
}

function dim(text: string): string {
  return process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[2m${text}\x1b[22m` : text;
}
