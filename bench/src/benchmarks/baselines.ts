/** Baselines measured in the same run as the figures they sit next to. */
import { spawn } from 'node:child_process';
import { callTool } from '@choir/server-kit/testing';
import { rssBytes } from '../proc.js';
import { connect, noopServerBin } from '../servers.js';
import { median } from '../stats.js';

/** `node -e` that reads one line from stdin and writes it back: Node's own start-up and a pipe round trip. */
const ECHO_ONE_LINE =
  "process.stdin.once('data',(c)=>{process.stdout.write(c.toString().split('\\n')[0]+'\\n',()=>process.exit(0))})";

/** Time from spawn to the answer line of a bare Node process, ms. */
export async function bareNodeAnswerMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', ECHO_ONE_LINE], { stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin.write('ping\n');
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`echo process exited with ${code} before answering`));
    });
  });
  const elapsed = performance.now() - started;
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
  return elapsed;
}

export async function medianOf(runs: number, measure: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await measure());
  return median(samples);
}

/** Start-up of the minimal SDK server (initialize answered), ms, and its RSS right then. */
export async function noopServerStart(): Promise<{ ms: number; rss: number | null }> {
  const server = await connect('noop', noopServerBin(), {});
  const rss = rssBytes(server.transport.pid);
  await server.close();
  return { ms: server.startMs, rss };
}

/** Latencies of `calls` sequential no-op tool calls on the minimal SDK server, after a warm-up. */
export async function noopRoundTrips(calls: number, warmup = 50): Promise<number[]> {
  const server = await connect('noop', noopServerBin(), {});
  try {
    for (let i = 0; i < warmup; i++) await callTool(server.client, 'noop');
    const samples: number[] = [];
    for (let i = 0; i < calls; i++) {
      const started = performance.now();
      await callTool(server.client, 'noop');
      samples.push(performance.now() - started);
    }
    return samples;
  } finally {
    await server.close();
  }
}
