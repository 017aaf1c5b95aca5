import { describe, expect, it } from 'vitest';
import { EXIT, UserError } from '../../src/cli/common.js';
import { exportConversation } from '../../src/cli/commands/history.js';
import { unwrap } from '../../src/cli/tool-command.js';
import { Interrupts } from '../../src/cli/turn-runner.js';
import { err, FakeCaller, ok } from '../postchain/fake-caller.js';

describe('Interrupts (Ctrl-C)', () => {
  it('cancels the running turn first, and exits on the second press', () => {
    let exits = 0;
    const said: string[] = [];
    const interrupts = new Interrupts(
      () => exits++,
      (line) => said.push(line),
    );
    const signal = interrupts.begin();
    interrupts.interrupt();
    expect(signal.aborted).toBe(true);
    expect(exits).toBe(0);
    expect(said).toEqual(['cancelling the turn… (Ctrl-C again to exit)']);
    interrupts.interrupt();
    expect(exits).toBe(1);
  });

  it('exits at once when no turn is running', () => {
    let exits = 0;
    const interrupts = new Interrupts(
      () => exits++,
      () => {},
    );
    interrupts.begin();
    interrupts.end();
    interrupts.interrupt();
    expect(exits).toBe(1);
  });
});

describe('one-tool commands', () => {
  it('turns a tool error into a user error: bad input and unknown ids are usage errors (exit 2)', () => {
    expect(() => unwrap(err('NOT_FOUND', 'persona nobody'), 'persona_get')).toThrow(
      new UserError('persona_get: NOT_FOUND: persona nobody', EXIT.usage),
    );
    try {
      unwrap(err('STORAGE', 'disk'), 'history_get');
    } catch (error) {
      expect((error as UserError).exitCode).toBe(EXIT.failure);
    }
    expect(unwrap(ok({ a: 1 }, 'text'), 'x')).toEqual({ data: { a: 1 }, text: 'text' });
  });

  it('exports a long conversation page by page', async () => {
    const caller = new FakeCaller({
      history_export: (args) =>
        args.after_seq === 0
          ? { jsonl: '{"h":1}\n{"seq":1}\n', next_after_seq: 1 }
          : { jsonl: '{"seq":2}\n', next_after_seq: null },
    });
    expect(await exportConversation(caller, 'c1', 'jsonl', 1000)).toBe('{"h":1}\n{"seq":1}\n{"seq":2}\n');
    expect(caller.calls.map((c) => c.args.after_seq)).toEqual([0, 1]);
    const openai = new FakeCaller({
      history_export: { messages: [{ role: 'user', content: 'hi' }], next_after_seq: null },
    });
    expect(JSON.parse(await exportConversation(openai, 'c1', 'openai', 1000))).toEqual([
      { role: 'user', content: 'hi' },
    ]);
  });
});
