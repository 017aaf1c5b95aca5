// pnpm bench: append throughput (MCP tool vs a raw libSQL insert loop, same run, same table) and
// history_context latency on a 1,000-event vs a 100,000-event conversation. Needs `pnpm build`.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { countTokens } from '@choir/llm';
import {
  callTool,
  connectInMemory,
  openTestStore,
  spawnServer,
  tempDataDir,
  testDeps,
} from '@choir/server-kit/testing';

const here = import.meta.dirname;
const bin = resolve(here, '..', 'dist', 'index.js');
if (!existsSync(bin)) {
  process.stderr.write('dist/ is missing: run pnpm build first\n');
  process.exit(1);
}
const { createChatHistoryServer, migrationsDir } = await import('../dist/server.js');

const BATCH = 100;
const BATCHES = 20;
const CONTEXT_RUNS = 40;
const UNLIMITED = { CHAT_HISTORY_RETENTION: 'unlimited' };

const WORDS =
  'the quick brown fox jumps over a lazy dog while six phases of the postchain run in order'.split(' ');
/** A message of 20-40 words that differs from its neighbours, so token counting is not all cache hits. */
function sentence(i) {
  const n = 20 + (i % 21);
  const out = [];
  for (let k = 0; k < n; k++) out.push(WORDS[(i * 7 + k * 3) % WORDS.length]);
  return `${out.join(' ')} #${i}`;
}
/** A realistic mix: user, assistant, and every tenth turn a tool call with its result. */
function event(i) {
  if (i % 10 === 7)
    return {
      type: 'tool_call',
      content: '',
      tool_calls: [{ id: `call_${i}`, name: 'search', arguments: { q: sentence(i) } }],
    };
  if (i % 10 === 8) return { type: 'tool_result', tool_call_id: `call_${i - 1}`, content: sentence(i) };
  return { type: i % 2 ? 'assistant_message' : 'user_message', content: sentence(i) };
}
const batchOf = (b) => Array.from({ length: BATCH }, (_, k) => event(b * BATCH + k));

const ms = (t0) => performance.now() - t0;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const fmt = (n, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function appendThroughMcp(client, conversationId) {
  const t0 = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    const r = await callTool(client, 'history_append', {
      conversation_id: conversationId,
      events: batchOf(b),
    });
    if (r.isError) throw new Error(r.text);
  }
  return ms(t0);
}

const COLUMNS =
  'id, conversation_id, seq, timestamp, type, role, content, tool_calls, tool_call_id, token_count';
const ROLE = {
  user_message: 'user',
  assistant_message: 'assistant',
  tool_call: 'assistant',
  tool_result: 'tool',
};
function insertStatement(conversationId, seq, e, now) {
  const toolCalls = e.tool_calls ? JSON.stringify(e.tool_calls) : null;
  return {
    sql: `INSERT INTO chat_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    args: [
      `evt_${randomUUID().replaceAll('-', '')}`,
      conversationId,
      seq,
      now,
      e.type,
      ROLE[e.type],
      e.content,
      toolCalls,
      e.tool_call_id ?? null,
      countTokens(e.content) + (toolCalls ? countTokens(toolCalls) : 0),
    ],
  };
}
async function createConversation(client, id, now) {
  await client.execute({
    sql: `INSERT INTO conversations (id, metadata, created_at, updated_at, last_activity_at, next_seq) VALUES (?, '{}', ?, ?, ?, 1)`,
    args: [id, now, now, now],
  });
}

/**
 * The same rows into the same table (triggers, FTS and all), one write transaction per batch and
 * nothing else: statements, ids and token counts are prepared before the clock starts.
 */
async function appendRaw(client, conversationId, total = BATCH * BATCHES, perTransaction = BATCH) {
  const now = new Date().toISOString();
  await createConversation(client, conversationId, now);
  const transactions = [];
  for (let first = 0; first < total; first += perTransaction) {
    const statements = [];
    for (let i = first; i < Math.min(total, first + perTransaction); i++) {
      statements.push(insertStatement(conversationId, i + 1, event(i), now));
    }
    statements.push({
      sql: 'UPDATE conversations SET next_seq = ? WHERE id = ?',
      args: [first + statements.length + 1, conversationId],
    });
    transactions.push(statements);
  }
  const t0 = performance.now();
  for (const statements of transactions) await client.batch(statements, 'write');
  return ms(t0);
}

async function contextTimes(client, conversationId) {
  const times = [];
  let last;
  for (let i = 0; i < CONTEXT_RUNS + 5; i++) {
    const t0 = performance.now();
    last = await callTool(client, 'history_context', { conversation_id: conversationId, max_tokens: 4000 });
    if (last.isError) throw new Error(last.text);
    if (i >= 5) times.push(ms(t0)); // the first calls warm up caches and JIT
  }
  return { times, returned: last.data.events.length, used: last.data.tokens_used };
}

const store = await openTestStore('chat-history', migrationsDir(), tempDataDir('choir-history-bench-'));
const client = await connectInMemory(createChatHistoryServer(testDeps(store, { env: UNLIMITED })));
const events = BATCH * BATCHES;

// Append throughput. The raw loop runs first and last so neither side gets only a warm cache.
const rawA = await appendRaw(store.client, 'raw-a');
const viaMcp = await appendThroughMcp(client, 'mcp');
const rawB = await appendRaw(store.client, 'raw-b');
const raw = Math.min(rawA, rawB);
const stdioDir = tempDataDir('choir-history-bench-stdio-');
const spawned = await spawnServer(bin, { CHOIR_DATA_DIR: stdioDir, ...UNLIMITED });
const viaStdio = await appendThroughMcp(spawned.client, 'stdio');
await spawned.close();

// history_context on 1,000 vs 100,000 events; the big one is loaded with raw inserts.
await appendRaw(store.client, 'small', 1_000, 1_000);
const loadStart = performance.now();
await appendRaw(store.client, 'large', 100_000, 5_000);
const loadMs = ms(loadStart);
const small = await contextTimes(client, 'small');
const large = await contextTimes(client, 'large');

await client.close();
await store.close();

const out = [];
out.push(
  `## chat-history bench (${new Date().toISOString()}, node ${process.version}, file database, synchronous=FULL)`,
);
out.push('');
out.push(`### Append ${events} events in batches of ${BATCH}`);
out.push('');
out.push('| path | total ms | events/s | vs raw |');
out.push('| --- | ---: | ---: | ---: |');
const row = (name, t) => `| ${name} | ${fmt(t, 0)} | ${fmt((events / t) * 1000, 0)} | ${fmt(t / raw, 2)}× |`;
out.push(
  row(
    'raw libSQL insert loop, rows prepared in advance (client.batch, one write transaction per 100) — baseline',
    raw,
  ),
);
out.push(row('`history_append` through an MCP client (in-memory transport)', viaMcp));
out.push(row('`history_append` through the built bin over stdio', viaStdio));
out.push('');
out.push(
  `### \`history_context\` (max_tokens 4000, reserve 500), ${CONTEXT_RUNS} calls each after 5 warm-up calls`,
);
out.push('');
out.push('| conversation | median ms | p95 ms | events returned | tokens used |');
out.push('| ---: | ---: | ---: | ---: | ---: |');
out.push(
  `| 1,000 events — baseline | ${fmt(median(small.times), 2)} | ${fmt(p95(small.times), 2)} | ${small.returned} | ${small.used} |`,
);
out.push(
  `| 100,000 events | ${fmt(median(large.times), 2)} | ${fmt(p95(large.times), 2)} | ${large.returned} | ${large.used} |`,
);
out.push('');
out.push(
  `Ratio of medians (100,000 / 1,000): ${fmt(median(large.times) / median(small.times), 2)}. Loading the 100,000 events with raw inserts took ${fmt(loadMs / 1000, 1)} s.`,
);
process.stdout.write(`${out.join('\n')}\n`);
