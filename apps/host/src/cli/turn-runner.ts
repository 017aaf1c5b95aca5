/** Running turns from the terminal: Ctrl-C handling, the live view or NDJSON, warnings. */
import type { ConversationState, PhaseEvent } from '@choir/contracts';
import type { HostConfig } from '../config/config.js';
import type { HostSession } from '../host-session.js';
import { runTurn, type TurnResult } from '../postchain/driver.js';
import { TerminalRenderer } from '../render/terminal.js';

/**
 * First Ctrl-C cancels the running turn (the phase's calls are aborted, which sends MCP
 * notifications/cancelled to the servers); a second one, or one with no turn running, exits.
 */
export class Interrupts {
  private controller: AbortController | null = null;
  private readonly handler = () => this.interrupt();

  constructor(
    private readonly onExit: () => void,
    private readonly say: (text: string) => void,
  ) {}

  install(): void {
    process.on('SIGINT', this.handler);
  }

  uninstall(): void {
    process.off('SIGINT', this.handler);
  }

  begin(): AbortSignal {
    this.controller = new AbortController();
    return this.controller.signal;
  }

  end(): void {
    this.controller = null;
  }

  get turnRunning(): boolean {
    return this.controller !== null;
  }

  interrupt(): void {
    if (this.controller && !this.controller.signal.aborted) {
      this.controller.abort();
      this.say('cancelling the turn… (Ctrl-C again to exit)');
      return;
    }
    this.onExit();
  }
}

export interface TurnView {
  event(event: PhaseEvent): void;
  notice(text: string): void;
  close(): void;
}

/** NDJSON on stdout, one PhaseEvent per line and nothing else; notices go to stderr. */
export function jsonView(): TurnView {
  return {
    event: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
    notice: (text) => process.stderr.write(`choir: ${text}\n`),
    close: () => {},
  };
}

export function terminalView(): TurnView {
  const renderer = new TerminalRenderer(process.stdout);
  return {
    event: (event) => renderer.event(event),
    notice: (text) => renderer.notice(text),
    close: () => renderer.close(),
  };
}

export async function runCliTurn(
  session: HostSession,
  config: HostConfig,
  state: ConversationState,
  message: string,
  options: { view: TurnView; signal: AbortSignal; persona: string },
): Promise<TurnResult> {
  const result = await runTurn(state, message, {
    caller: session.pool,
    settings: {
      persona: options.persona,
      maxCycles: config.maxCycles,
      phases: config.phases,
      timeouts: config.timeouts,
    },
    emit: (event) => options.view.event(event),
    signal: options.signal,
    deltas: session.deltas,
    usage: session.usage,
  });
  for (const warning of result.persisted?.warnings ?? []) options.view.notice(warning);
  return result;
}
