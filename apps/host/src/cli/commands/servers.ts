/** `choir servers`: start every configured server, report each, stop them. */
import type { Command } from 'commander';
import { EXIT, globalOptions, loadHostConfig, openSession, runCommand } from '../common.js';

export function registerServers(program: Command): void {
  program
    .command('servers')
    .description('Start each configured server and report: up or failed, start time, tool count, pid')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await runCommand(async () => {
        const config = loadHostConfig(globalOptions(command));
        const started = performance.now();
        const { session, statuses } = await openSession(config, {});
        const totalMs = Math.round(performance.now() - started);
        try {
          if (options.json) {
            console.log(JSON.stringify({ total_ms: totalMs, servers: statuses }, null, 2));
          } else {
            console.log(
              `${'server'.padEnd(14)}${'status'.padEnd(10)}${'start'.padStart(8)}${'tools'.padStart(7)}  pid / error`,
            );
            for (const s of statuses) {
              const start = s.startMs !== undefined ? `${s.startMs}ms` : '-';
              const detail = s.state === 'up' ? String(s.pid ?? '') : (s.error ?? '');
              console.log(
                `${s.name.padEnd(14)}${s.state.padEnd(10)}${start.padStart(8)}${String(s.tools).padStart(7)}  ${detail}`,
              );
            }
            console.log(`all started in ${totalMs} ms; logs in ${config.dataDir}/logs`);
          }
          return statuses.every((s) => s.state === 'up') ? EXIT.ok : EXIT.failure;
        } finally {
          await session.close();
        }
      });
    });
}
