/**
 * `choir-hash-v1`: an offline, deterministic embedder by signed feature hashing. It knows no
 * synonyms — texts are close when they share words, word pairs or word fragments — but it needs
 * no model, no network and no warm-up, and the same text always lands on the same vector.
 *
 * Changing anything here (tokens, stemming, weights, hash) moves every vector: bump the name.
 */
import type { Embedder } from './types.js';

export const HASH_EMBEDDER_NAME = 'choir-hash-v1';

const WORD_WEIGHT = 1.0;
const PAIR_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.25;

export interface HashEmbedderOptions {
  dimension?: number;
}

export function createHashEmbedder({ dimension = 384 }: HashEmbedderOptions = {}): Embedder {
  if (!Number.isInteger(dimension) || dimension < 2) {
    throw new RangeError(`hash embedder dimension must be an integer >= 2, got ${dimension}`);
  }
  return {
    name: HASH_EMBEDDER_NAME,
    dimension,
    async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
      signal?.throwIfAborted();
      return texts.map((text) => hashEmbed(text, dimension));
    },
  };
}

/** One text to its unit vector (all zeros when the text has no words). */
export function hashEmbed(text: string, dimension: number): Float32Array {
  const vector = new Float32Array(dimension);
  const words = wordsOf(text);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    add(vector, `w:${word}`, WORD_WEIGHT);
    const next = words[i + 1];
    if (next !== undefined) add(vector, `p:${word} ${next}`, PAIR_WEIGHT);
    // Boundary markers make `<ca` (a word start) differ from `ca` inside a word.
    const marked = Array.from(`<${word}>`);
    for (let j = 0; j + 3 <= marked.length; j++) {
      add(vector, `c:${marked[j]}${marked[j + 1]}${marked[j + 2]}`, TRIGRAM_WEIGHT);
    }
  }
  let sumSquares = 0;
  for (const v of vector) sumSquares += v * v;
  if (sumSquares === 0) return vector;
  const scale = 1 / Math.sqrt(sumSquares);
  for (let i = 0; i < dimension; i++) vector[i] = vector[i]! * scale;
  return vector;
}

/** Lowercased, NFKC-normalised, lightly stemmed word tokens (letters and digits of any script). */
export function wordsOf(text: string): string[] {
  const matches = text
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  return matches ? matches.map(stem) : [];
}

/**
 * Just enough suffix stripping that `runs`/`running`/`ran`... well, that `runs` and `running`
 * meet. Not Porter: it leaves short words alone so `is`, `bus` and `red` survive.
 */
export function stem(word: string): string {
  const n = word.length;
  if (n > 5 && word.endsWith('ing')) return undouble(word.slice(0, -3));
  if (n > 4 && word.endsWith('ied')) return `${word.slice(0, -3)}y`;
  if (n > 4 && word.endsWith('ed')) return undouble(word.slice(0, -2));
  if (n > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (n > 4 && /(?:s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (n > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** `running` → `runn` → `run`; `stopped` → `stopp` → `stop`. */
function undouble(base: string): string {
  const n = base.length;
  if (n >= 3 && base[n - 1] === base[n - 2] && !/[lsz]/.test(base[n - 1]!)) return base.slice(0, -1);
  return base;
}

function add(vector: Float32Array, feature: string, weight: number): void {
  const mixed = fmix32(fnv1a32(feature));
  const index = mixed % vector.length;
  // The sign comes from the top bit, which `% dimension` barely uses, so collisions cancel
  // out on average instead of piling up.
  const sign = mixed & 0x80000000 ? -1 : 1;
  vector[index] = vector[index]! + sign * weight;
}

const utf8 = new TextEncoder();

/** FNV-1a, 32-bit, over the UTF-8 bytes: simple, portable, and the same in any language. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finaliser: FNV-1a's low bits mix poorly and `% dimension` leans on them. */
function fmix32(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
