/**
 * The memory comparison: the same seeded sentences stored in @modelcontextprotocol/server-memory
 * (one entity with one observation each, JSONL file) and in Choir's experience server
 * (experience_record each), then the same keyword queries against both.
 */
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool } from '@choir/server-kit/testing';
import type { BenchConfig } from '../bench-config.js';
import { corpus, keywordQueries } from '../corpus.js';
import { inspectDb } from '../db-inspect.js';
import { fileBytes, rssBytes } from '../proc.js';
import {
  type Connected,
  choirBuilt,
  choirDbFile,
  connect,
  connectChoir,
  MEMORY_PEER,
  peerBin,
  removeDir,
  tempDir,
} from '../servers.js';
import { type LatencySummary, summarize } from '../stats.js';
import type { ResultRow } from '../table.js';
import { must } from './round-trip.js';

/** What one store looked like once it held `size` texts. */
interface Checkpoint {
  size: number;
  /** Wall time to store the first `size` texts, ms. */
  storeMs: number;
  searches: Record<string, LatencySummary>;
  /** Mean number of results a search returned. */
  meanResults: Record<string, number>;
  rss: number | null;
  fileBytes: number;
  /** Of fileBytes, how much is the SQLite write-ahead log (not yet checkpointed into the file). */
  walBytes: number;
  /** The biggest tables and indexes of the database (experience only), for the note. */
  largest: { name: string; bytes: number }[];
  /** Texts the store reported as duplicates (experience only). */
  duplicates: number;
}

async function timeSearches(
  client: Client,
  tool: string,
  queries: string[],
  argsFor: (query: string) => Record<string, unknown>,
  countResults: (data: Record<string, unknown>, text: string) => number,
): Promise<{ latency: LatencySummary; meanResults: number }> {
  const samples: number[] = [];
  let results = 0;
  for (const query of queries) {
    const started = performance.now();
    const outcome = await callTool(client, tool, argsFor(query));
    samples.push(performance.now() - started);
    if (outcome.isError) throw new Error(`${tool} failed: ${outcome.text}`);
    results += countResults(outcome.data, outcome.text);
  }
  return { latency: summarize(samples), meanResults: results / queries.length };
}

function memoryEntitiesIn(data: Record<string, unknown>, text: string): number {
  const fromData = (data as { entities?: unknown[] }).entities;
  if (Array.isArray(fromData)) return fromData.length;
  try {
    return ((JSON.parse(text) as { entities?: unknown[] }).entities ?? []).length;
  } catch {
    return 0;
  }
}

async function runMemoryPeer(texts: string[], config: BenchConfig, queries: string[]): Promise<Checkpoint[]> {
  const dir = tempDir('memory-peer');
  const file = join(dir, 'memory.jsonl');
  let server: Connected | undefined;
  try {
    server = await connect('server-memory', peerBin(MEMORY_PEER), { MEMORY_FILE_PATH: file });
    const checkpoints: Checkpoint[] = [];
    let stored = 0;
    let storeMs = 0;
    for (const size of config.memorySizes) {
      const started = performance.now();
      for (; stored < size; stored += config.memoryBatch) {
        const batch = texts.slice(stored, Math.min(size, stored + config.memoryBatch));
        await must(server.client, 'create_entities', {
          entities: batch.map((observation, i) => ({
            name: `note_${stored + i}`,
            entityType: 'note',
            observations: [observation],
          })),
        });
      }
      stored = size;
      storeMs += performance.now() - started;
      const search = await timeSearches(
        server.client,
        'search_nodes',
        queries,
        (query) => ({ query }),
        memoryEntitiesIn,
      );
      checkpoints.push({
        size,
        storeMs,
        searches: { keyword: search.latency },
        meanResults: { keyword: search.meanResults },
        rss: rssBytes(server.transport.pid),
        fileBytes: fileBytes(file, []),
        walBytes: 0,
        largest: [],
        duplicates: 0,
      });
    }
    return checkpoints;
  } finally {
    await server?.close();
    removeDir(dir);
  }
}

const TOP_K = 5;

async function largestObjects(file: string) {
  const inspector = inspectDb(file);
  try {
    return await inspector.spaceByObject(3);
  } finally {
    inspector.close();
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function runExperience(texts: string[], config: BenchConfig, queries: string[]): Promise<Checkpoint[]> {
  const dir = tempDir('memory-experience');
  let server: Connected | undefined;
  try {
    server = await connectChoir('experience', dir);
    const checkpoints: Checkpoint[] = [];
    let stored = 0;
    let storeMs = 0;
    let duplicates = 0;
    for (const size of config.memorySizes) {
      const started = performance.now();
      for (; stored < size; stored++) {
        const data = await must(server.client, 'experience_record', {
          content: texts[stored]!,
          role: 'user',
        });
        if (data.duplicate === true) duplicates++;
      }
      storeMs += performance.now() - started;
      const searches: Record<string, LatencySummary> = {};
      const meanResults: Record<string, number> = {};
      for (const mode of ['keyword', 'hybrid'] as const) {
        const search = await timeSearches(
          server.client,
          'experience_search',
          queries,
          (query) => ({ query, mode, top_k: TOP_K }),
          (data) => ((data as { priors?: unknown[] }).priors ?? []).length,
        );
        searches[mode] = search.latency;
        meanResults[mode] = search.meanResults;
      }
      checkpoints.push({
        size,
        storeMs,
        searches,
        meanResults,
        rss: rssBytes(server.transport.pid),
        fileBytes: fileBytes(choirDbFile('experience', dir)),
        walBytes: fileBytes(`${choirDbFile('experience', dir)}-wal`, []),
        largest: await largestObjects(choirDbFile('experience', dir)),
        duplicates,
      });
    }
    return checkpoints;
  } finally {
    await server?.close();
    removeDir(dir);
  }
}

/** server-memory storing one entity per call (as experience_record must), for the first size only. */
async function memoryOnePerCallMs(texts: string[], size: number): Promise<number> {
  const dir = tempDir('memory-peer-single');
  let server: Connected | undefined;
  try {
    server = await connect('server-memory', peerBin(MEMORY_PEER), {
      MEMORY_FILE_PATH: join(dir, 'memory.jsonl'),
    });
    const started = performance.now();
    for (let i = 0; i < size; i++) {
      await must(server.client, 'create_entities', {
        entities: [{ name: `note_${i}`, entityType: 'note', observations: [texts[i]!] }],
      });
    }
    return performance.now() - started;
  } finally {
    await server?.close();
    removeDir(dir);
  }
}

export async function memoryPeerBench(
  config: BenchConfig,
  log: (line: string) => void,
): Promise<ResultRow[]> {
  const largest = Math.max(...config.memorySizes);
  const texts = corpus(config.seed, largest);
  const queries = keywordQueries(config.seed, config.searches);
  log(`memory peer: server-memory, ${config.memorySizes.join(' then ')} entities`);
  const peer = await runMemoryPeer(texts, config, queries);
  const firstSize = config.memorySizes[0]!;
  log(`memory peer: server-memory, ${firstSize} entities one per call`);
  const peerOnePerCall = await memoryOnePerCallMs(texts, firstSize);
  const baseline = 'server-memory (JSONL knowledge graph)';
  const rows: ResultRow[] = [];
  let choir: Checkpoint[] | null = null;
  let missing: string | undefined;
  if (!choirBuilt('experience')) missing = 'experience server not built';
  else {
    try {
      log(`memory peer: choir experience, ${config.memorySizes.join(' then ')} records`);
      choir = await runExperience(texts, config, queries);
    } catch (error) {
      missing = `failed: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  for (const [i, p] of peer.entries()) {
    const c = choir?.[i];
    const n = p.size.toLocaleString('en-US');
    const textBytes = texts.slice(0, p.size).reduce((sum, t) => sum + Buffer.byteLength(t), 0);
    rows.push({
      measure: `store ${n} texts (total wall time)`,
      subject: 'choir experience: experience_record, one per call',
      figure: c ? { value: c.storeMs, unit: 'ms' } : null,
      baseline: `${baseline}: create_entities, ${config.memoryBatch} per call`,
      baselineFigure: { value: p.storeMs, unit: 'ms' },
      note: missing ?? (c && c.duplicates > 0 ? `${c.duplicates} reported as near-duplicates` : undefined),
    });
    if (i === 0) {
      rows.push({
        measure: `store ${n} texts (total wall time)`,
        subject: 'choir experience: experience_record, one per call',
        figure: c ? { value: c.storeMs, unit: 'ms' } : null,
        baseline: `${baseline}: create_entities, 1 per call`,
        baselineFigure: { value: peerOnePerCall, unit: 'ms' },
        note: missing ?? 'same number of calls on both sides',
      });
    }
    for (const mode of ['keyword', 'hybrid'] as const) {
      for (const q of ['p50', 'p99'] as const) {
        const s = c?.searches[mode];
        rows.push({
          measure: `search at ${n}, ${q} (${queries.length} keyword queries)`,
          subject: `choir experience: experience_search mode ${mode}, top_k ${TOP_K}`,
          figure: s ? { value: s[q], unit: 'ms' } : null,
          baseline: `${baseline}: search_nodes`,
          baselineFigure: { value: p.searches.keyword![q], unit: 'ms' },
          note:
            missing ??
            (q === 'p50'
              ? `mean results: choir ${c!.meanResults[mode]!.toFixed(1)}, server-memory ${p.meanResults.keyword!.toFixed(1)}`
              : undefined),
        });
      }
    }
    rows.push({
      measure: `server RSS with ${n} texts`,
      subject: 'choir experience',
      figure: c?.rss ? { value: c.rss, unit: 'bytes' } : null,
      baseline,
      baselineFigure: p.rss ? { value: p.rss, unit: 'bytes' } : null,
      note: missing,
    });
    rows.push({
      measure: `file size with ${n} texts`,
      subject: 'choir experience (experience.db + -wal)',
      figure: c ? { value: c.fileBytes, unit: 'bytes' } : null,
      baseline: `${baseline} (memory.jsonl)`,
      baselineFigure: { value: p.fileBytes, unit: 'bytes' },
      note:
        missing ??
        `raw text ${(textBytes / 1024).toFixed(0)} KiB; -wal ${mib(c!.walBytes)}; largest in the db: ${c!.largest
          .map((o) => `${o.name} ${mib(o.bytes)}`)
          .join(', ')}`,
    });
  }
  return rows;
}
