import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * A pino logger writing to stderr (fd 2), synchronously so nothing is lost on exit.
 * stdout belongs to the MCP protocol and is never written to.
 */
export function createLogger(name: string, env: Record<string, string | undefined> = process.env): Logger {
  return pino(
    {
      name,
      level: env.LOG_LEVEL ?? 'info',
      redact: {
        paths: ['*.apiKey', '*.authToken', '*.api_key', 'apiKey', 'authToken'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
