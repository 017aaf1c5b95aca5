import { describe, expect, it } from 'vitest';
import { createHashEmbedder, fnv1a32, stem, wordsOf } from './hash-embedder.js';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

function norm(v: Float32Array): number {
  return Math.sqrt(cosine(v, v));
}

describe('createHashEmbedder', () => {
  const embedder = createHashEmbedder();

  it('is named choir-hash-v1 and reports its dimension', () => {
    expect(embedder.name).toBe('choir-hash-v1');
    expect(embedder.dimension).toBe(384);
    expect(createHashEmbedder({ dimension: 64 }).dimension).toBe(64);
    expect(() => createHashEmbedder({ dimension: 0 })).toThrow(RangeError);
  });

  it('is deterministic across calls and instances', async () => {
    const [a] = await embedder.embed(['Atomic migrations with checksums']);
    const [b] = await createHashEmbedder().embed(['Atomic migrations with checksums']);
    expect(Array.from(a!)).toEqual(Array.from(b!));
  });

  it('returns unit vectors of the right length, and zeros for text without words', async () => {
    const [v, empty, punct] = await embedder.embed(['hello there, world', '', '  ?!  ']);
    expect(v).toHaveLength(384);
    expect(norm(v!)).toBeCloseTo(1, 5);
    expect(Array.from(empty!).every((x) => x === 0)).toBe(true);
    expect(Array.from(punct!).every((x) => x === 0)).toBe(true);
  });

  it('ranks paraphrases above unrelated text, which sits near zero', async () => {
    const [query, paraphrase, unrelated] = await embedder.embed([
      'How do I reset my password?',
      'Password reset instructions for my account',
      'The weather in Paris is sunny today',
    ]);
    const close = cosine(query!, paraphrase!);
    const far = cosine(query!, unrelated!);
    expect(close).toBeGreaterThan(0.35);
    expect(Math.abs(far)).toBeLessThan(0.15);
    expect(close).toBeGreaterThan(far);
  });

  it('treats inflections as the same word and ignores case', async () => {
    const [a, b, c] = await embedder.embed([
      'The cats were running',
      'the cat runs',
      'Quarterly revenue grew',
    ]);
    expect(cosine(a!, b!)).toBeGreaterThan(0.5);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!));
    const [upper, lower] = await embedder.embed(['DATABASE MIGRATION', 'database migration']);
    expect(cosine(upper!, lower!)).toBeCloseTo(1, 5);
  });

  it('orders similarity by how much is shared', async () => {
    const [base, most, some, none] = await embedder.embed([
      'libsql vector search with checksummed migrations',
      'vector search with checksummed migrations in libsql',
      'vector search in postgres',
      'a recipe for lemon cake',
    ]);
    const s1 = cosine(base!, most!);
    const s2 = cosine(base!, some!);
    const s3 = cosine(base!, none!);
    expect(s1).toBeGreaterThan(s2);
    expect(s2).toBeGreaterThan(s3);
  });

  it('handles non-Latin scripts', async () => {
    const [a, b] = await embedder.embed(['日本語 テキスト', '日本語 テキスト']);
    expect(norm(a!)).toBeCloseTo(1, 5);
    expect(cosine(a!, b!)).toBeCloseTo(1, 5);
  });

  it('honours an already-aborted signal', async () => {
    await expect(embedder.embed(['x'], AbortSignal.abort())).rejects.toThrow();
  });
});

describe('tokenising and hashing', () => {
  it('splits on anything that is not a letter or digit, lowercases and stems', () => {
    expect(wordsOf('Running, runs! Boxes & CITIES; café 42')).toEqual([
      'run',
      'run',
      'box',
      'city',
      'café',
      '42',
    ]);
  });

  it('stems lightly and leaves short words alone', () => {
    expect(stem('stopped')).toBe('stop');
    expect(stem('walked')).toBe('walk');
    expect(stem('sitting')).toBe('sit');
    expect(stem('studies')).toBe('study');
    expect(stem('class')).toBe('class');
    expect(stem('bus')).toBe('bus');
    expect(stem('is')).toBe('is');
    expect(stem('red')).toBe('red');
    expect(stem('sing')).toBe('sing');
  });

  it('uses standard FNV-1a 32-bit', () => {
    // Reference values from the FNV spec's test suite.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});
