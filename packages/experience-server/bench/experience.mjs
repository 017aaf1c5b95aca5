// pnpm bench: record throughput, search latency at two store sizes, and recall@10 of the
// vector_top_k index against an exact scan — each next to a baseline measured in the same run.
//
//   BENCH_SMALL (default 10000)   experiences recorded through the MCP tool, one call each
//   BENCH_LARGE (default 100000)  total after bulk-loading the rest (batched transactions)
//   BENCH_QUERIES (default 100)   queries per latency / recall measurement
//   BENCH_INDEX (default 5000)    vectors per index-settings comparison (0 skips it)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHashEmbedder } from '@choir/llm';
import { callTool, connectInMemory, openTestStore, tempDataDir, testDeps } from '@choir/server-kit/testing';
import { vectorBlob } from '@choir/storage';
import { forMemory } from '../dist/content-words.js';
import { createExperienceServer } from '../dist/server.js';
import { ExperienceStore } from '../dist/store.js';
import { contentKey } from '../dist/tools/record.js';
import { VECTOR_INDEX_OPTIONS } from '../dist/vector-space.js';

const SMALL = Number(process.env.BENCH_SMALL ?? 10_000);
const LARGE = Number(process.env.BENCH_LARGE ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 100);
const INDEX_COMPARE = Number(process.env.BENCH_INDEX ?? 5000);
const here = import.meta.dirname;
const out = (line = '') => process.stdout.write(`${line}\n`);

// --- synthetic experiences: sentences over the retrieval corpus's vocabulary -----------------
const corpus = JSON.parse(
  readFileSync(join(here, '..', 'test', 'fixtures', 'retrieval-corpus.json'), 'utf8'),
);
const vocabulary = [...new Set(corpus.documents.flatMap((d) => d.text.toLowerCase().match(/[a-z]+/g)))];
function mulberry32(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(42);
/** Zipf-like: low indexes far more often, as in real text. */
const word = () => vocabulary[Math.floor(vocabulary.length * random() ** 2.5)];
const sentence = (i) => `${Array.from({ length: 10 + Math.floor(random() * 15) }, word).join(' ')} ${i}`;

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
const ms = (v) => `${v.toFixed(2)} ms`;

async function timeEach(items, fn) {
  const times = [];
  for (const item of items) {
    const t = performance.now();
    await fn(item);
    times.push(performance.now() - t);
  }
  return times;
}

// --- set-up -----------------------------------------------------------------------------------
const dataDir = tempDataDir('choir-exp-bench-');
const store = await openTestStore('experience', join(here, '..', 'dist', 'migrations'), dataDir);
const client = await connectInMemory(createExperienceServer(testDeps(store)));
const experiences = new ExperienceStore(store);
const embedder = forMemory(createHashEmbedder());
const rows = [];
out(`experience-server bench — ${new Date().toISOString()}, node ${process.version}, data in ${dataDir}`);

// 1. record throughput through the tool, against bulk loading in the same store.
let t = performance.now();
for (let i = 0; i < SMALL; i++) {
  const r = await callTool(client, 'experience_record', {
    content: sentence(i),
    role: 'user',
    thread_id: `t${i % 100}`,
  });
  if (r.isError) throw new Error(r.text);
}
const recordRate = SMALL / ((performance.now() - t) / 1000);
rows.push(['experience_record via MCP, 1 per call', `0 → ${SMALL}`, `${recordRate.toFixed(0)} /s`]);

async function bulkLoad(target) {
  const space = await experiences.readVectorSpace(experiences.db);
  let count = await experiences.countExperiences(experiences.db);
  const started = performance.now();
  const from = count;
  while (count < target) {
    const n = Math.min(500, target - count);
    const texts = Array.from({ length: n }, (_, j) => sentence(count + j));
    const vectors = await embedder.embed(texts);
    await experiences.transaction(async (trx) => {
      for (let j = 0; j < n; j++) {
        const seq = await experiences.insertExperience(trx, {
          content: texts[j],
          contentKey: contentKey(texts[j]),
          role: 'user',
          phase: null,
          threadId: `t${(count + j) % 100}`,
          author: null,
          metadata: null,
          tags: [],
          maxSimilarity: 0,
          novelty: 1,
          noveltyReward: 0,
          createdAt: new Date().toISOString(),
        });
        await experiences.insertVector(trx, space, seq, vectors[j]);
      }
    });
    count += n;
    if (count % 10_000 === 0) process.stderr.write(`  bulk-loaded ${count}\n`);
  }
  return (count - from) / ((performance.now() - started) / 1000);
}

// 2. search latency at the small size: hybrid via MCP, against an exact-scan vector search.
const queries = Array.from({ length: QUERIES }, () => Array.from({ length: 6 }, word).join(' '));
async function latencies(size) {
  const hybrid = await timeEach(queries, (q) =>
    callTool(client, 'experience_search', { query: q, top_k: 10 }),
  );
  const keyword = await timeEach(queries, (q) =>
    callTool(client, 'experience_search', { query: q, top_k: 10, mode: 'keyword' }),
  );
  const space = await experiences.readVectorSpace(experiences.db);
  const vectors = await embedder.embed(queries);
  const ann = await timeEach(vectors, (v) => experiences.nearest(experiences.db, space, v, 10));
  const exact = await timeEach(vectors, (v) => experiences.nearestExact(experiences.db, space, v, 10));
  rows.push([
    `experience_search hybrid via MCP, p50 / p95`,
    `${size}`,
    `${ms(percentile(hybrid, 0.5))} / ${ms(percentile(hybrid, 0.95))}`,
  ]);
  rows.push([
    `experience_search keyword via MCP, p50 / p95`,
    `${size}`,
    `${ms(percentile(keyword, 0.5))} / ${ms(percentile(keyword, 0.95))}`,
  ]);
  rows.push([
    `vector_top_k(10) alone, p50 / p95`,
    `${size}`,
    `${ms(percentile(ann, 0.5))} / ${ms(percentile(ann, 0.95))}`,
  ]);
  rows.push([
    `baseline: exact scan top 10, p50 / p95`,
    `${size}`,
    `${ms(percentile(exact, 0.5))} / ${ms(percentile(exact, 0.95))}`,
  ]);
  return { space, vectors };
}
if (SMALL > 0) await latencies(SMALL);

// 3. grow to the large size, then latency and recall@10 of the index against the exact scan.
if (SMALL > 0 && LARGE > SMALL) {
  t = performance.now();
  const bulkRate = await bulkLoad(LARGE);
  rows.push([
    'baseline: bulk insert, 500 per transaction',
    `${SMALL} → ${LARGE}`,
    `${bulkRate.toFixed(0)} /s`,
  ]);
  const { space, vectors } = await latencies(LARGE);
  let found = 0;
  for (const v of vectors) {
    const ann = new Set((await experiences.nearest(experiences.db, space, v, 10)).map((n) => n.seq));
    const exact = await experiences.nearestExact(experiences.db, space, v, 10);
    found += exact.filter((n) => ann.has(n.seq)).length;
  }
  rows.push([
    'recall@10 of vector_top_k vs exact scan',
    `${LARGE}`,
    (found / (10 * vectors.length)).toFixed(3),
  ]);
}

// 4. the index settings this server uses against libSQL's defaults, on the same vectors.
if (INDEX_COMPARE > 0) {
  const texts = Array.from({ length: INDEX_COMPARE }, (_, i) => sentence(i));
  const vectors = await embedder.embed(texts);
  const probes = await embedder.embed(queries);
  for (const [label, options] of [
    ['libSQL default index', ["'metric=cosine'"]],
    ['this server (float8, 32 neighbours, search_l=400)', VECTOR_INDEX_OPTIONS.map((o) => `'${o}'`)],
  ]) {
    const table = `bench_index_${rows.length}`;
    await store.client.execute(
      `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, e F32_BLOB(${vectors[0].length}))`,
    );
    await store.client.execute(
      `CREATE INDEX ${table}_idx ON ${table} (libsql_vector_idx(e, ${options.join(', ')}))`,
    );
    const started = performance.now();
    for (let i = 0; i < vectors.length; i += 500) {
      await store.client.batch(
        vectors
          .slice(i, i + 500)
          .map((v) => ({ sql: `INSERT INTO ${table} (e) VALUES (?)`, args: [vectorBlob(v)] })),
      );
    }
    const rate = vectors.length / ((performance.now() - started) / 1000);
    let found = 0;
    for (const probe of probes) {
      const blob = vectorBlob(probe);
      const ann = await store.client.execute({
        sql: `SELECT id FROM vector_top_k('${table}_idx', ?, 10)`,
        args: [blob],
      });
      const exact = await store.client.execute({
        sql: `SELECT id FROM ${table} ORDER BY vector_distance_cos(e, ?) LIMIT 10`,
        args: [blob],
      });
      const annIds = new Set(ann.rows.map((r) => r.id));
      found += exact.rows.filter((r) => annIds.has(r.id)).length;
    }
    rows.push([
      `${label}: inserts / recall@10`,
      `${INDEX_COMPARE}`,
      `${rate.toFixed(0)} /s / ${(found / (10 * probes.length)).toFixed(3)}`,
    ]);
  }
}

out();
const widths = [0, 1, 2].map((c) =>
  Math.max(...[['measurement', 'stored', 'result'], ...rows].map((r) => r[c].length)),
);
const line = (r) => `| ${r.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
out(line(['measurement', 'stored', 'result']));
out(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) out(line(r));
await client.close();
await store.close();
