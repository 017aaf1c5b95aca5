/** `choir doctor`: is everything in place to run a turn? */
import type { Command } from 'commander';
import {
  BUILTIN_SERVERS,
  type Check,
  checkDatabase,
  checkDataDir,
  checkModel,
  checkNode,
} from '../../doctor/checks.js';
import { resolveHostModel } from '../../model/host-model.js';
import { EXIT, globalOptions, loadHostConfig, openSession, runCommand } from '../common.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('Check Node, the data dir, each database (integrity, migrations), the model and the servers')
    .option('--json', 'print the checks as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await runCommand(async () => {
        const config = loadHostConfig(globalOptions(command));
        const checks: Check[] = [checkNode(), checkDataDir(config)];
        checks.push({
          name: 'config',
          level: 'ok',
          detail: config.configPath ? config.configPath : 'no choir.config.json (defaults and environment)',
        });
        for (const server of BUILTIN_SERVERS) checks.push(await checkDatabase(server, config, process.env));
        const model = await resolveHostModel(config);
        checks.push(await checkModel(model));
        // Servers are started without the model: doctor checks that they run, not sampling.
        const { session, statuses } = await openSession(config, { model: { ...model, model: null } });
        try {
          for (const s of statuses) {
            checks.push({
              name: `server ${s.name}`,
              level: s.state === 'up' ? 'ok' : 'fail',
              detail: s.state === 'up' ? `up in ${s.startMs} ms, ${s.tools} tools` : (s.error ?? s.state),
            });
          }
        } finally {
          await session.close();
        }
        if (options.json) {
          console.log(JSON.stringify({ checks }, null, 2));
        } else {
          const mark = { ok: '✓', warn: '!', fail: '✗' } as const;
          for (const check of checks)
            console.log(`${mark[check.level]} ${check.name.padEnd(18)} ${check.detail}`);
          console.log(`logs: ${config.dataDir}/logs`);
        }
        return checks.some((c) => c.level === 'fail') ? EXIT.failure : EXIT.ok;
      });
    });
}
