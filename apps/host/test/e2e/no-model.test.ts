/**
 * The real `choir` binary and the five real servers, with no model anywhere: the whole chain
 * runs on the servers' no-model paths, the host says so once, and memory carries across runs.
 */
import { PHASES } from '@choir/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  alive,
  allServerPids,
  baseEnv,
  choir,
  completed,
  finalOf,
  parseEvents,
  requireBuilt,
  tempDataDir,
} from './helpers.js';

describe('choir without a model', () => {
  const dataDir = tempDataDir();
  const env = baseEnv(dataDir);
  let conversationId = '';

  beforeAll(() => requireBuilt());

  it('runs all six phases, answers, and says once how to configure a model', async () => {
    const run = await choir(['ask', '--json', 'Which cache policy does the billing API use?'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    const events = parseEvents(run.stdout);
    expect(run.stderr).not.toMatch(/not saved|not added to memory|not recorded/);
    for (const phase of PHASES) {
      expect(events.some((e) => e.phase === phase && e.status === 'running')).toBe(true);
      expect(completed(events, phase), `${phase} ended`).toBeDefined();
    }
    const final = finalOf(events);
    expect(final).toMatchObject({ source: 'yield', generated: false });
    expect(final.answer).toMatch(/No model is configured/);
    expect(events.every((e) => e.generated !== true)).toBe(true);
    expect(run.stderr.match(/No model configured/g)).toHaveLength(1);
    expect(run.stderr).toContain('To use a model, set CHOIR_MODEL=<provider>:<model>');
    conversationId = events[0]!.conversation_id;
    expect(events.every((e) => e.conversation_id === conversationId && e.turn === 0)).toBe(true);
    // Every child is gone once the command has returned.
    for (const pid of allServerPids(dataDir)) expect(alive(pid)).toBe(false);
  });

  it('resumes the conversation in a new process: history and priors include the first turn', async () => {
    const run = await choir(
      ['ask', '--json', '--conversation', conversationId, 'And the cache size for billing?'],
      env,
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const events = parseEvents(run.stdout);
    expect(run.stderr).not.toMatch(/not saved|not added to memory|not recorded/);
    expect(events.every((e) => e.turn === 1 && e.conversation_id === conversationId)).toBe(true);
    const action = completed(events, 'action')!;
    expect(action.output).toMatchObject({ context_source: 'history', context_messages: 2 });
    const experience = completed(events, 'experience')!;
    const priors = (experience.output as { priors: Array<{ id: string; content: string }> }).priors;
    expect(priors.map((p) => p.content)).toContain('Which cache policy does the billing API use?');
    // Without a model Understanding applies the host's rule and says so.
    const understanding = completed(events, 'understanding')!;
    expect(understanding.status).toBe('complete');
    expect(understanding.output).toMatchObject({ method: 'rule', generated: false });
    // The extractive Yield quotes the first turn's message and cites it.
    const final = finalOf(events);
    expect(final.citations.map((c) => c.prior_id)).toContain(
      priors.find((p) => p.content.startsWith('Which cache'))!.id,
    );
  });

  it('shows the stored conversation and exports it', async () => {
    const show = await choir(['history', 'show', conversationId, '--json'], env);
    expect(show.exitCode, show.stderr).toBe(0);
    const events = JSON.parse(show.stdout) as Array<{ type: string; content: string }>;
    expect(events.filter((e) => e.type === 'user_message').map((e) => e.content)).toEqual([
      'Which cache policy does the billing API use?',
      'And the cache size for billing?',
    ]);
    expect(events.filter((e) => e.type === 'phase_output')).toHaveLength(12);
    expect(events.filter((e) => e.type === 'assistant_message')).toHaveLength(2);

    const exported = await choir(['history', 'export', conversationId, '--format', 'openai'], env);
    expect(exported.exitCode, exported.stderr).toBe(0);
    const messages = JSON.parse(exported.stdout) as Array<{ role: string }>;
    expect(messages.filter((m) => m.role === 'user')).toHaveLength(2);
  });

  it('prints a readable turn when stdout is not a terminal', async () => {
    const run = await choir(['ask', 'hello there'], env);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\[action\] running$/m);
    expect(run.stdout).toMatch(/^\[yield\] complete .* final answer/m);
    expect(run.stdout).toMatch(/^Answer — no model$/m);
    expect(run.stdout).toMatch(/continue with: choir ask --conversation c_\S+ "…"/);
  });
});
