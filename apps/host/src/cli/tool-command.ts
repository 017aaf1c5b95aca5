/** Commands that are one tool call on one server: start only that server, call, print. */
import type { HostConfig } from '../config/config.js';
import type { HostSession } from '../host-session.js';
import type { ToolOutcome } from '../postchain/tool-caller.js';
import { EXIT, openSession, UserError } from './common.js';

export async function withServer<T>(
  config: HostConfig,
  server: string,
  body: (session: HostSession) => Promise<T>,
): Promise<T> {
  const { session, statuses } = await openSession(config, { servers: [server] });
  try {
    const status = statuses[0];
    if (status?.state !== 'up') {
      throw new UserError(`the ${server} server did not start: ${status?.error ?? status?.state}`);
    }
    return await body(session);
  } finally {
    await session.close();
  }
}

/** The tool's data, or a UserError with its code and message. */
export function unwrap<T>(outcome: ToolOutcome<T>, tool: string): { data: T; text: string } {
  if (!outcome.ok) {
    const code =
      outcome.error.code === 'INVALID_INPUT' || outcome.error.code === 'NOT_FOUND'
        ? EXIT.usage
        : EXIT.failure;
    throw new UserError(
      `${tool}: ${outcome.error.code}: ${outcome.error.message}${outcome.error.hint ? `\n${outcome.error.hint}` : ''}`,
      code,
    );
  }
  return { data: outcome.data, text: outcome.text };
}

export function printResult(result: { data: unknown; text: string }, json: boolean | undefined): void {
  if (json) console.log(JSON.stringify(result.data, null, 2));
  else console.log(result.text);
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`expected a positive integer, got "${value}"`, EXIT.usage);
  return n;
}
