import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineTransport, stdoutRecords } from './line-transport.js';
import { benchDir } from './servers.js';

const impureServer = join(benchDir, 'test', 'fixtures', 'impure-server.mjs');

async function runToClose(transport: LineTransport, kill = false): Promise<unknown[]> {
  const messages: unknown[] = [];
  transport.onmessage = (m) => messages.push(m);
  transport.onerror = () => {};
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await transport.start();
  if (kill) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await transport.kill9();
  }
  await closed;
  return messages;
}

describe('LineTransport', () => {
  it('passes JSON-RPC lines on and records every other line as impure', async () => {
    const transport = new LineTransport({ server: 'impure', bin: impureServer, untracked: true });
    const messages = await runToClose(transport);
    expect(messages).toHaveLength(1);
    expect(transport.record.lines).toBe(3);
    expect(transport.record.impure.map((i) => [i.line, i.reason])).toEqual([
      ['server started on stdio', 'not JSON'],
      ['{"hello":"world"}', 'JSON but not a JSON-RPC 2.0 message'],
      ['{"jsonrpc":"2.0","met', 'text after the last newline at exit'],
    ]);
  });

  it('treats a line cut off by our own kill -9 as truncated, not impure', async () => {
    const transport = new LineTransport({
      server: 'impure',
      bin: impureServer,
      args: ['wait'],
      untracked: true,
    });
    await runToClose(transport, true);
    expect(transport.record.truncatedByKill).toBe('{"jsonrpc":"2.0","met');
    expect(transport.record.impure).toHaveLength(2);
    expect(transport.alive).toBe(false);
  });

  it('keeps untracked transports out of the suite-wide records', () => {
    expect(stdoutRecords().filter((r) => r.server === 'impure')).toEqual([]);
  });
});
