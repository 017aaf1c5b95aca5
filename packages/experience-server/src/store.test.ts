import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHashEmbedder } from '@choir/llm';
import { openStore, type Store } from '@choir/storage';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExperienceDB } from './db.js';
import { buildFtsMatch } from './fts-query.js';
import { ExperienceStore, type NewExperience } from './store.js';
import type { VectorSpace } from './vector-space.js';

const migrationsDir = join(import.meta.dirname, '..', '..', '..', 'migrations', 'experience');
const embedder = createHashEmbedder();
const space: VectorSpace = { embedder: embedder.name, dimension: embedder.dimension, generation: 1 };
const now = '2025-01-01T00:00:00.000Z';

let raw: Store<ExperienceDB>;
let store: ExperienceStore;

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'choir-exp-store-'));
  raw = await openStore<ExperienceDB>({ server: 'experience', migrationsDir, env: { CHOIR_DATA_DIR: dir } });
  store = new ExperienceStore(raw);
  await store.transaction(async (trx) => {
    await store.createVectorTable(trx, space);
    await store.writeVectorSpace(trx, space, now);
  });
});

afterEach(async () => {
  await raw.close();
});

function experience(content: string, extra: Partial<NewExperience> = {}): NewExperience {
  return {
    content,
    contentKey: content,
    role: 'user',
    phase: null,
    threadId: null,
    author: null,
    metadata: null,
    tags: [],
    maxSimilarity: 0,
    novelty: 1,
    noveltyReward: 100,
    createdAt: now,
    ...extra,
  };
}

async function add(content: string, extra: Partial<NewExperience> = {}): Promise<number> {
  const [vector] = await embedder.embed([content]);
  return store.transaction(async (trx) => {
    const seq = await store.insertExperience(trx, experience(content, extra));
    await store.insertVector(trx, space, seq, vector!);
    return seq;
  });
}

describe('experience store', () => {
  it('records the vector space and reads it back', async () => {
    expect(await store.readVectorSpace(store.db)).toEqual(space);
  });

  it('finds the nearest vectors through vector_top_k, with exact similarity', async () => {
    const cats = await add('cats chase mice around the barn');
    await add('the stock market fell sharply on tuesday');
    const [query] = await embedder.embed(['cats chase mice']);
    const nearest = await store.nearest(store.db, space, query!, 2);
    expect(nearest[0]!.seq).toBe(cats);
    const exact = await store.nearestExact(store.db, space, query!, 2);
    expect(nearest).toEqual(exact);
    expect(nearest[0]!.similarity).toBeGreaterThan(nearest[1]!.similarity);
  });

  it('ranks keyword hits with BM25 over content and tags, stemming words', async () => {
    const a = await add('Running shoes for marathons', { tags: ['sport'] });
    await add('A recipe for bread');
    const hits = await store.keywordSearch(store.db, buildFtsMatch('runs marathon')!, 10);
    expect(hits.map((h) => h.seq)).toEqual([a]);
    expect(hits[0]!.score).toBeGreaterThan(0);
    expect((await store.keywordSearch(store.db, buildFtsMatch('sport')!, 10)).map((h) => h.seq)).toEqual([a]);
  });

  it('keeps the FTS index in step with tag updates and deletes', async () => {
    const a = await add('plain words');
    await store.updateTags(store.db, a, ['astronomy']);
    expect(await store.keywordSearch(store.db, '"astronomy"', 5)).toHaveLength(1);
    await store.deleteExperiences(store.db, [a]);
    expect(await store.keywordSearch(store.db, '"astronomy"', 5)).toHaveLength(0);
    expect(await store.keywordSearch(store.db, '"plain"', 5)).toHaveLength(0);
  });

  it('never lets user text produce an FTS syntax error', async () => {
    await add('something to match against, C++ and "quotes"');
    const nasty = [
      '"',
      "'",
      'AND',
      'OR NOT',
      'NEAR(a b)',
      'a*',
      '^x',
      'col:val',
      '(((',
      ')',
      '-',
      '+',
      '\\',
      '{}',
      'c++?',
    ];
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      nasty.push(
        Array.from({ length: 12 }, (_, j) =>
          String.fromCharCode(32 + (((seed >> (j % 16)) + j * 7) % 95)),
        ).join(''),
      );
    }
    for (const text of nasty) {
      const match = buildFtsMatch(text);
      if (match) await expect(store.keywordSearch(store.db, match, 5)).resolves.toBeInstanceOf(Array);
    }
  });

  it('cascades a delete to vectors, links, citations and rewards (after earlier transactions)', async () => {
    const a = await add('first message');
    const b = await add('second message');
    await store.transaction(async (trx) => {
      await store.upsertLinks(trx, [
        { source: b, target: a, type: 'relates', weight: 0.5, origin: 'caller', createdAt: now },
      ]);
      await store.insertCitation(trx, b, a, 0.5, now);
      await store.insertReward(trx, {
        experienceSeq: a,
        kind: 'citation',
        amount: 0.5,
        author: 'x',
        threadId: null,
        sourceSeq: b,
        createdAt: now,
      });
    });
    expect(await store.edgesTouching(store.db, [a], 10)).toEqual([
      { source: b, target: a, type: 'cites', weight: 1 },
      { source: b, target: a, type: 'relates', weight: 0.5 },
    ]);
    expect(await store.deleteExperiences(store.db, [a])).toBe(1);
    expect(await store.countVectors(store.db, space)).toBe(1);
    expect(await store.edgesTouching(store.db, [b], 10)).toEqual([]);
    expect(await store.rewardTotal(store.db, {})).toEqual({ total: 0, count: 0 });
  });

  it('finds same-text experiences in the same thread only', async () => {
    const a = await add('hello there', { threadId: 't1', contentKey: 'k' });
    await add('hello there', { threadId: 't2', contentKey: 'k' });
    const [vector] = await embedder.embed(['hello there']);
    const same = await store.sameTextInThread(store.db, space, 'k', 't1', vector!);
    expect(same).toHaveLength(1);
    expect(same[0]!.seq).toBe(a);
    expect(same[0]!.similarity).toBeCloseTo(1, 6);
    expect(await store.sameTextInThread(store.db, space, 'k', null, vector!)).toEqual([]);
  });

  it('treats an all-zero vector (text without words) as similarity 0', async () => {
    const seq = await add('?!');
    const [zero] = await embedder.embed(['?!']);
    expect((await store.similarities(store.db, space, zero!, [seq])).get(seq)).toBe(0);
    expect(await store.nearest(store.db, space, zero!, 1)).toEqual([{ seq, similarity: 0 }]);
  });

  it('reads a stored vector back exactly', async () => {
    const seq = await add('exact bytes');
    const [vector] = await embedder.embed(['exact bytes']);
    expect(await store.vectorOf(store.db, space, seq)).toEqual(vector);
  });
});
