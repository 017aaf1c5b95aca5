import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv, STRIPPED_MODEL_VARS } from '../../src/config/child-env.js';
import { ConfigError, DEFAULT_TIMEOUTS, loadConfig } from '../../src/config/config.js';
import { BUILTIN_SERVERS } from '../../src/config/default-servers.js';
import { mcpConfig } from '../../src/mcp-config.js';
import { modelEnv } from '../../src/model/host-model.js';
import { DEFAULT_BACKOFF, nextAttempt, restartDelay } from '../../src/servers/backoff.js';

function dirWithConfig(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'choir-config-'));
  writeFileSync(join(dir, 'choir.config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

describe('loadConfig', () => {
  it('has working defaults without a file: five servers, aria, two cycles, every phase on', () => {
    const dir = mkdtempSync(join(tmpdir(), 'choir-config-'));
    const config = loadConfig({}, { CHOIR_DATA_DIR: '/data' }, dir);
    expect(Object.keys(config.servers)).toEqual([...BUILTIN_SERVERS]);
    expect(config.servers.reasoning).toMatchObject({ command: 'node', env: {} });
    expect(config.servers.reasoning!.args[0]).toMatch(/packages\/reasoning-server\/dist\/index\.js$/);
    expect(config).toMatchObject({
      dataDir: '/data',
      dataDirSource: 'CHOIR_DATA_DIR',
      persona: 'aria',
      maxCycles: 2,
    });
    expect(Object.values(config.phases).every(Boolean)).toBe(true);
    expect(config.timeouts).toEqual(DEFAULT_TIMEOUTS);
    expect(config.configPath).toBeUndefined();
  });

  it('reads choir.config.json; environment beats the file and flags beat the environment', () => {
    const dir = dirWithConfig({
      model: 'ollama:llama3.2',
      dataDir: 'data',
      persona: 'kira',
      maxCycles: 3,
      phases: { intention: false },
      timeouts: { yield: 5000 },
      mcpServers: { 'chat-history': { disabled: true }, extra: { command: 'my-server', args: ['--stdio'] } },
    });
    const fromFile = loadConfig({}, {}, dir);
    expect(fromFile).toMatchObject({
      dataDir: join(dir, 'data'),
      model: 'ollama:llama3.2',
      persona: 'kira',
      maxCycles: 3,
      phases: { intention: false, action: true },
      timeouts: { yield: 5000, action: DEFAULT_TIMEOUTS.action },
    });
    expect(fromFile.servers['chat-history']!.disabled).toBe(true);
    expect(fromFile.servers.extra).toEqual({ command: 'my-server', args: ['--stdio'], env: {} });
    const fromEnv = loadConfig(
      {},
      { CHOIR_MODEL: 'none', CHOIR_PERSONA: 'aria', CHOIR_MAX_CYCLES: '1' },
      dir,
    );
    expect(fromEnv).toMatchObject({
      model: 'none',
      modelSource: 'CHOIR_MODEL',
      persona: 'aria',
      maxCycles: 1,
    });
    expect(
      loadConfig({ persona: 'bard', maxCycles: 4, dataDir: '/x' }, { CHOIR_PERSONA: 'aria' }, dir),
    ).toMatchObject({
      persona: 'bard',
      maxCycles: 4,
      dataDir: '/x',
    });
  });

  it('names every field that is wrong', () => {
    const dir = dirWithConfig({
      maxCycles: 9,
      phases: { reflection: true },
      timeouts: { yield: -1 },
      colour: 'blue',
    });
    let message = '';
    try {
      loadConfig({}, {}, dir);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('has errors:');
    expect(message).toMatch(/maxCycles: .*5/);
    expect(message).toContain('phases: Unrecognized key');
    expect(message).toContain('timeouts.yield:');
    expect(message).toContain('(top level): Unrecognized key');
  });

  it('reports JSON syntax errors, missing explicit files and new servers without a command', () => {
    expect(() => loadConfig({}, {}, dirWithConfig('{ nope'))).toThrow(/is not valid JSON/);
    expect(() => loadConfig({ configPath: 'missing.json' }, {}, tmpdir())).toThrow(/config file not found/);
    expect(() => loadConfig({}, {}, dirWithConfig({ mcpServers: { extra: { args: [] } } }))).toThrow(
      /mcpServers.extra is not a built-in server, so it needs a command/,
    );
  });

  it('gives the file’s model to @choir/llm only when CHOIR_MODEL is not set', () => {
    const config = loadConfig({}, {}, dirWithConfig({ model: 'ollama:x' }));
    expect(modelEnv(config, { PATH: '/bin' })).toEqual({ PATH: '/bin', CHOIR_MODEL: 'ollama:x' });
    expect(modelEnv(config, { CHOIR_MODEL: 'none' })).toEqual({ CHOIR_MODEL: 'none' });
  });
});

describe('childEnv', () => {
  it('passes the basics and the data dir, and never a model key', () => {
    const host: Record<string, string> = {
      PATH: '/bin',
      HOME: '/home/u',
      SECRET_THING: 'x',
      DATABASE_URL: 'libsql://db',
    };
    for (const name of STRIPPED_MODEL_VARS) host[name] = 'secret';
    const env = childEnv(host, { dataDir: '/data' });
    expect(env).toEqual({
      PATH: '/bin',
      HOME: '/home/u',
      DATABASE_URL: 'libsql://db',
      CHOIR_DATA_DIR: '/data',
      LOG_LEVEL: 'info',
    });
  });

  it('lets a server entry set its own variables', () => {
    expect(childEnv({}, { dataDir: '/d', extra: { PIPE_LINEAR: 'p' }, logLevel: 'debug' })).toEqual({
      CHOIR_DATA_DIR: '/d',
      LOG_LEVEL: 'debug',
      PIPE_LINEAR: 'p',
    });
  });
});

describe('restart backoff', () => {
  it('doubles from 200 ms up to 5 s and gives up after five restarts', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => restartDelay(n))).toEqual([200, 400, 800, 1600, 3200, null]);
    expect(restartDelay(4, { ...DEFAULT_BACKOFF, maxRestarts: 10 })).toBe(3200);
    expect(restartDelay(6, { ...DEFAULT_BACKOFF, maxRestarts: 10 })).toBe(5000);
  });

  it('forgives earlier crashes of a server that stayed up a minute', () => {
    expect(nextAttempt(3, 59_999)).toBe(3);
    expect(nextAttempt(3, 60_000)).toBe(0);
  });
});

describe('mcpConfig', () => {
  const servers = {
    reasoning: { command: 'node', args: ['/abs/reasoning/dist/index.js'], env: {} },
    persona: { command: 'node', args: ['/abs/persona/dist/index.js'], env: { X: '1' } },
    off: { command: 'node', args: [], env: {}, disabled: true },
  };

  it('prints the mcpServers shape for Claude and Cursor, with the data dir', () => {
    expect(mcpConfig(servers, { client: 'claude', dataDir: '/data' })).toEqual({
      mcpServers: {
        'choir-reasoning': {
          command: 'node',
          args: ['/abs/reasoning/dist/index.js'],
          env: { CHOIR_DATA_DIR: '/data' },
        },
        'choir-persona': {
          command: 'node',
          args: ['/abs/persona/dist/index.js'],
          env: { CHOIR_DATA_DIR: '/data', X: '1' },
        },
      },
    });
  });

  it('prints VS Code’s servers shape, and one server on request', () => {
    expect(mcpConfig(servers, { client: 'vscode', only: 'reasoning', dataDir: '/d' })).toEqual({
      servers: {
        'choir-reasoning': {
          type: 'stdio',
          command: 'node',
          args: ['/abs/reasoning/dist/index.js'],
          env: { CHOIR_DATA_DIR: '/d' },
        },
      },
    });
    expect(() => mcpConfig(servers, { client: 'cursor', only: 'nope', dataDir: '/d' })).toThrow(
      /no server named nope/,
    );
  });
});
