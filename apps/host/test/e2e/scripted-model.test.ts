/**
 * The real `choir` binary and servers with a scripted model on loopback (OpenAI wire format).
 * The servers have no key: every model call is their sampling request, answered by the host.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHASES, type PhaseEvent } from '@choir/contracts';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedModel, startScriptedModel } from '../../src/testing/scripted-model.js';
import {
  alive,
  allServerPids,
  BIN,
  baseEnv,
  choir,
  completed,
  finalOf,
  hostLog,
  parseEvents,
  requireBuilt,
  serverPids,
  tempDataDir,
  until,
} from './helpers.js';

describe('choir with a scripted model', () => {
  let model: ScriptedModel;
  const dataDir = tempDataDir();
  let env: Record<string, string>;
  let conversationId = '';

  beforeAll(async () => {
    requireBuilt();
    model = await startScriptedModel();
    env = baseEnv(dataDir, {
      CHOIR_MODEL: 'openai-compatible:scripted',
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'test',
    });
  });
  afterAll(async () => {
    await model?.close();
  });

  it('runs the six phases with the model, streaming the first answer', async () => {
    const run = await choir(['ask', '--json', 'How do we rotate the signing keys?'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    const events = parseEvents(run.stdout);
    expect(run.stderr).not.toMatch(/not saved|not added to memory|not recorded/);
    for (const phase of PHASES) expect(completed(events, phase)?.status, phase).toBe('complete');
    const deltas = events
      .filter((e) => e.phase === 'action' && e.status === 'delta')
      .map((e) => e.text)
      .join('');
    expect(deltas).toBe('Scripted first answer; I was given 0 earlier messages.');
    expect(completed(events, 'action')).toMatchObject({ generated: true });
    expect(completed(events, 'intention')!.output).toMatchObject({ generated: true });
    expect(finalOf(events)).toMatchObject({
      source: 'yield',
      generated: true,
      answer: 'Scripted final answer without passages.',
    });
    expect(run.stderr).not.toContain('No model configured');
    conversationId = events[0]!.conversation_id;
    // The servers had no key of their own: each says so in its log, and asked the host instead.
    for (const server of ['action', 'reasoning', 'experience']) {
      const ready = readFileSync(join(dataDir, 'logs', `${server}.log`), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"msg":"ready"'))
        .map((l) => JSON.parse(l) as { model: string });
      expect(ready.at(-1)!.model, server).toMatch(/^none/);
    }
    expect(hostLog(dataDir).filter((l) => l.msg === 'sampling answered').length).toBeGreaterThanOrEqual(3);
  });

  it('cites a prior in the second turn and sees the first in history (after a restart)', async () => {
    const run = await choir(
      ['ask', '--json', '--conversation', conversationId, 'And how often do we rotate the signing keys?'],
      env,
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const events = parseEvents(run.stdout);
    expect(run.stderr).not.toMatch(/not saved|not added to memory|not recorded/);
    expect(events.every((e) => e.turn === 1)).toBe(true);
    const deltas = events
      .filter((e) => e.phase === 'action' && e.status === 'delta')
      .map((e) => e.text)
      .join('');
    expect(deltas).toBe('Scripted first answer; I was given 2 earlier messages.');
    const priors = (
      completed(events, 'experience')!.output as { priors: Array<{ id: string; content: string }> }
    ).priors;
    expect(priors.map((p) => p.content)).toContain('How do we rotate the signing keys?');
    const final = finalOf(events);
    expect(final.citations.length).toBeGreaterThan(0);
    const priorIds = priors.map((p) => p.id);
    for (const citation of final.citations) expect(priorIds).toContain(citation.prior_id);
    expect(final.answer).toContain(`[${final.citations[0]!.prior_id}]`);

    // The turn is in chat-history: the answer with the model and the tokens it cost.
    const show = await choir(['history', 'show', conversationId, '--json'], env);
    const stored = JSON.parse(show.stdout) as Array<{
      type: string;
      model?: string;
      usage?: { input_tokens?: number };
      extra?: { citations?: unknown[] };
    }>;
    const answers = stored.filter((e) => e.type === 'assistant_message');
    expect(answers).toHaveLength(2);
    expect(answers[1]).toMatchObject({ model: 'scripted', extra: { citations: final.citations } });
    expect(answers[1]!.usage?.input_tokens).toBeGreaterThan(0);
  });

  it('keeps going when a server is killed mid-turn, and restarts it', async () => {
    model.delayFor = (prompt) => (prompt.includes('Intention:') && prompt.includes('slowkill') ? 8_000 : 0);
    const child = execa(process.execPath, [BIN, 'ask', '--json', 'slowkill: what changed in the release?'], {
      env,
      extendEnv: false,
      reject: false,
      timeout: 60_000,
      stdin: 'ignore',
    });
    const seen: PhaseEvent[] = [];
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.trim()) seen.push(JSON.parse(line) as PhaseEvent);
    });
    await until(
      () => seen.some((e) => e.phase === 'intention' && e.status === 'running'),
      30_000,
      'intention running',
    );
    // The reasoning server is now waiting for the (slow) model through sampling.
    await until(
      () =>
        model.requests.some(
          (r) =>
            JSON.stringify(r.messages).includes('slowkill') &&
            JSON.stringify(r.messages).includes('Intention:'),
        ),
      10_000,
      'sampling in flight',
    );
    const before = serverPids(dataDir).reasoning!;
    process.kill(before, 'SIGKILL');
    const run = await child;
    model.delayFor = () => 0;
    expect(run.exitCode, run.stderr).toBe(0);
    const events = parseEvents(run.stdout);
    expect(run.stderr).not.toMatch(/not saved|not added to memory|not recorded/);
    expect(completed(events, 'intention')).toMatchObject({
      status: 'error',
      error: { code: 'SERVER_EXITED' },
    });
    // The restarted server answered Understanding; the turn ended with Yield's answer.
    expect(completed(events, 'understanding')!.status).toBe('complete');
    expect(finalOf(events)).toMatchObject({ source: 'yield' });
    const log = hostLog(dataDir);
    expect(log.some((l) => l.msg === 'server exited' && l.server === 'reasoning' && l.pid === before)).toBe(
      true,
    );
    expect(log.some((l) => l.msg === 'server restarted' && l.server === 'reasoning')).toBe(true);
    // The user was told, on stderr (stdout carries only events with --json).
    expect(run.stderr).toMatch(/server reasoning exited \(code none, signal SIGKILL\).*; restarting it/);
    expect(run.stderr).toContain('server reasoning is back up');
    const after = serverPids(dataDir).reasoning!;
    expect(after).not.toBe(before);
    for (const pid of allServerPids(dataDir)) expect(alive(pid)).toBe(false);
  });

  it('cancels the turn on Ctrl-C, exits 130, and leaves no server behind', async () => {
    model.delayFor = (prompt) => (prompt.includes('Intention:') && prompt.includes('slowcancel') ? 8_000 : 0);
    const child = execa(process.execPath, [BIN, 'ask', '--json', 'slowcancel: summarise the incident'], {
      env,
      extendEnv: false,
      reject: false,
      timeout: 60_000,
      stdin: 'ignore',
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(
      () =>
        model.requests.some(
          (r) =>
            JSON.stringify(r.messages).includes('slowcancel') &&
            JSON.stringify(r.messages).includes('Intention:'),
        ),
      30_000,
      'sampling in flight',
    );
    child.kill('SIGINT');
    const run = await child;
    model.delayFor = () => 0;
    expect(run.exitCode).toBe(130);
    const events = parseEvents(run.stdout);
    expect(run.stderr).not.toMatch(/not saved|not added to memory|not recorded/);
    expect(completed(events, 'intention')).toMatchObject({ status: 'error', error: { code: 'CANCELLED' } });
    expect(events.some((e) => e.phase === 'observation')).toBe(false);
    expect(events.at(-1)).toMatchObject({ phase: 'yield', status: 'error', error: { code: 'CANCELLED' } });
    expect(run.stderr).toContain('cancelling the turn');
    for (const pid of allServerPids(dataDir)) expect(alive(pid)).toBe(false);
  });
});
