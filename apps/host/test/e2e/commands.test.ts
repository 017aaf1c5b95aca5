/** The other commands, through the real binary: servers, doctor, mcp-config, personas, chat, config errors. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { alive, BIN, baseEnv, choir, requireBuilt, tempDataDir } from './helpers.js';

describe('choir commands', () => {
  const dataDir = tempDataDir();
  const env = baseEnv(dataDir);

  beforeAll(() => requireBuilt());

  it('servers: starts the five in parallel and reports each, then stops them', async () => {
    const run = await choir(['servers', '--json'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      total_ms: number;
      servers: Array<{ name: string; state: string; tools: number; pid: number; startMs: number }>;
    };
    expect(report.servers.map((s) => s.name)).toEqual([
      'action',
      'experience',
      'reasoning',
      'persona',
      'chat-history',
    ]);
    for (const server of report.servers) {
      expect(server.state, server.name).toBe('up');
      expect(server.tools, server.name).toBeGreaterThan(0);
      expect(server.startMs).toBeLessThanOrEqual(report.total_ms);
      expect(alive(server.pid), `${server.name} stopped`).toBe(false);
    }
  });

  it('doctor: node, data dir, databases, model, servers', async () => {
    const run = await choir(['doctor', '--json'], env);
    const { checks } = JSON.parse(run.stdout) as {
      checks: Array<{ name: string; level: string; detail: string }>;
    };
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName.node!.level).toBe('ok');
    expect(byName['data dir']!.detail).toContain(dataDir);
    expect(byName.model).toMatchObject({ level: 'warn' });
    expect(byName.model!.detail).toMatch(/^none/);
    // The servers test above created the databases: each is intact and fully migrated.
    for (const server of ['action', 'experience', 'reasoning', 'persona', 'chat-history']) {
      expect(byName[`db ${server}`], server).toMatchObject({ level: 'ok' });
      expect(byName[`db ${server}`]!.detail).toMatch(/integrity ok; \d+ migrations applied, latest/);
      expect(byName[`server ${server}`]!.level).toBe('ok');
    }
    expect(run.exitCode, run.stdout).toBe(0);
  });

  it('mcp-config: a paste-ready config whose paths exist', async () => {
    const run = await choir(['mcp-config', '--client', 'cursor', '--server', 'reasoning'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    const config = JSON.parse(run.stdout) as {
      mcpServers: Record<string, { command: string; args: string[]; env: Record<string, string> }>;
    };
    const entry = config.mcpServers['choir-reasoning']!;
    expect(entry.command).toBe('node');
    expect(existsSync(entry.args[0]!)).toBe(true);
    expect(entry.env.CHOIR_DATA_DIR).toBe(dataDir);
    expect(run.stderr).toContain('.cursor/mcp.json');
    const bad = await choir(['mcp-config', '--client', 'emacs'], env);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--client must be one of claude, cursor, vscode');
  });

  it('personas: list and show through the persona server', async () => {
    const list = await choir(['personas', 'list', '--json'], env);
    expect(list.exitCode, list.stderr).toBe(0);
    const names = (JSON.parse(list.stdout) as { personas: Array<{ name: string }> }).personas.map((p) =>
      p.name.toLowerCase(),
    );
    expect(names).toEqual(expect.arrayContaining(['aria', 'kira']));
    const show = await choir(['personas', 'show', 'kira'], env);
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout.toLowerCase()).toContain('kira');
  });

  it('chat: reads lines, runs a turn, obeys slash commands', async () => {
    const run = await execa(process.execPath, [BIN, 'chat'], {
      env,
      extendEnv: false,
      reject: false,
      timeout: 60_000,
      input: 'hello from chat\n/persona nobody\n/persona kira\n/history\n/new\n/quit\n',
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/New conversation c_\S+\. \/help for commands\./);
    expect(run.stdout).toMatch(/^\[yield\] complete/m);
    expect(run.stdout).toContain('persona "nobody" does not exist');
    expect(run.stdout).toContain('Now answering as kira.');
    expect(run.stdout).toMatch(/you: hello from chat/);
  });

  it('reports config errors with the field and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'choir-badconfig-'));
    writeFileSync(
      join(dir, 'choir.config.json'),
      JSON.stringify({ maxCycles: 0, timeouts: { yield: 'slow' } }),
    );
    const run = await choir(['ask', 'hi'], env, { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('choir.config.json has errors:');
    expect(run.stderr).toMatch(/maxCycles: /);
    expect(run.stderr).toMatch(/timeouts\.yield: /);
  });

  it('refuses a model configuration that cannot work instead of running without it', async () => {
    const run = await choir(['ask', 'hi'], { ...env, CHOIR_MODEL: 'nosuchprovider:x' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('The model configuration cannot work');
    expect(run.stderr).toContain('CHOIR_MODEL=none');
  });
});
