/** The host's log: pino lines in <data dir>/logs/choir.log, never on the user's terminal. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger };

export function logDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

export function hostLogPath(dataDir: string): string {
  return join(logDir(dataDir), 'choir.log');
}

/** Where a server's stderr goes. */
export function serverLogPath(dataDir: string, server: string): string {
  return join(logDir(dataDir), `${server}.log`);
}

export function createHostLogger(dataDir: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  mkdirSync(logDir(dataDir), { recursive: true });
  // Synchronous writes: the CLI exits with process.exit, and an async buffer would lose the last lines.
  const destination = pino.destination({ dest: hostLogPath(dataDir), sync: true, mkdir: true });
  return pino({ name: 'choir', level, base: { pid: process.pid } }, destination);
}

/** For tests and commands that must not write a log file. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
