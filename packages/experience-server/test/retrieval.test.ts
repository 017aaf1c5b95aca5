/**
 * Retrieval quality on a corpus this package ships (test/fixtures/retrieval-corpus.json: 300
 * short documents on 30 topics, 90 questions with the documents that answer them), through the
 * real tools with the built-in embedder. Prints recall@5 per mode.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './helpers.js';

interface Corpus {
  documents: { id: string; topic: string; text: string }[];
  queries: { query: string; relevant: string[] }[];
}

const corpus = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'retrieval-corpus.json'), 'utf8'),
) as Corpus;

const K = 5;
const MODES = ['hybrid', 'vector', 'keyword'] as const;

/** Mean over queries of (relevant documents in the top k) / (relevant documents). */
export function recallAtK(results: string[][], relevant: string[][], k: number): number {
  let sum = 0;
  results.forEach((ids, i) => {
    const top = new Set(ids.slice(0, k));
    const wanted = relevant[i]!;
    sum += wanted.filter((id) => top.has(id)).length / wanted.length;
  });
  return sum / results.length;
}

let h: Harness;
const docOf = new Map<string, string>();

beforeAll(async () => {
  h = await harness();
  for (const doc of corpus.documents) {
    const r = await h.call<{ id: string; duplicate: boolean }>('experience_record', {
      content: doc.text,
      role: 'user',
      thread_id: doc.topic,
    });
    expect(r.isError, r.text).toBe(false);
    expect(r.data.duplicate).toBe(false);
    docOf.set(r.data.id, doc.id);
  }
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('retrieval quality on the shipped corpus', () => {
  it('has the corpus it claims', () => {
    expect(corpus.documents).toHaveLength(300);
    expect(corpus.queries.length).toBeGreaterThanOrEqual(60);
    const ids = new Set(corpus.documents.map((d) => d.id));
    for (const q of corpus.queries) for (const id of q.relevant) expect(ids.has(id)).toBe(true);
  });

  it('recall@5: hybrid is at least as good as vector-only and keyword-only', async () => {
    const recall: Record<string, number> = {};
    for (const mode of MODES) {
      const results: string[][] = [];
      for (const q of corpus.queries) {
        const r = await h.call<{ priors: { id: string }[] }>('experience_search', {
          query: q.query,
          top_k: K,
          mode,
        });
        expect(r.isError, r.text).toBe(false);
        results.push(r.data.priors.map((p) => docOf.get(p.id)!));
      }
      recall[mode] = recallAtK(
        results,
        corpus.queries.map((q) => q.relevant),
        K,
      );
    }
    process.stdout.write(
      `\nrecall@${K} over ${corpus.queries.length} queries, ${corpus.documents.length} documents (choir-hash-v1):\n` +
        MODES.map((m) => `  ${m.padEnd(8)} ${recall[m]!.toFixed(3)}`).join('\n') +
        '\n',
    );
    expect(recall.hybrid).toBeGreaterThanOrEqual(recall.vector!);
    expect(recall.hybrid).toBeGreaterThanOrEqual(recall.keyword!);
    // A floor well under what this corpus gives, so a broken ranking cannot pass.
    expect(recall.hybrid).toBeGreaterThan(0.5);
  });

  it('computes recall exactly', () => {
    expect(recallAtK([['a', 'b'], ['c']], [['a', 'x'], ['c']], 5)).toBe(0.75);
    expect(recallAtK([['b', 'a']], [['a']], 1)).toBe(0);
  });
});
