/**
 * Deterministic test texts: a seeded PRNG and a sentence generator, so every run (and every
 * server) gets exactly the same varied sentences and the same keyword queries.
 */

/** mulberry32: a small, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

const PEOPLE = [
  'Amara',
  'Bruno',
  'Chen',
  'Dalia',
  'Emeka',
  'Farah',
  'Goran',
  'Hana',
  'Ivo',
  'Jun',
  'Keanu',
  'Lena',
  'Mateo',
  'Nia',
  'Oskar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
] as const;
const VERBS = [
  'repaired',
  'painted',
  'sold',
  'borrowed',
  'photographed',
  'measured',
  'cleaned',
  'described',
  'ordered',
  'catalogued',
  'moved',
  'tested',
  'sketched',
  'weighed',
  'returned',
  'polished',
] as const;
const ADJECTIVES = [
  'rusty',
  'crimson',
  'ancient',
  'fragile',
  'heavy',
  'tiny',
  'wooden',
  'silver',
  'noisy',
  'striped',
  'foldable',
  'waterproof',
  'handmade',
  'borrowed',
  'electric',
  'velvet',
] as const;
export const NOUNS = [
  'lantern',
  'bicycle',
  'telescope',
  'violin',
  'kettle',
  'compass',
  'typewriter',
  'canoe',
  'banjo',
  'microscope',
  'hammock',
  'sextant',
  'gramophone',
  'easel',
  'anvil',
  'harmonica',
  'loom',
  'barometer',
  'accordion',
  'sundial',
] as const;
const PLACES = [
  'the harbour',
  'the old mill',
  'the library',
  'the market square',
  'the ferry terminal',
  'the orchard',
  'the observatory',
  'the bakery',
  'the train depot',
  'the greenhouse',
  'the lighthouse',
  'the quarry',
] as const;
const TIMES = [
  'on Monday',
  'at dawn',
  'last winter',
  'before lunch',
  'during the storm',
  'after the festival',
  'in March',
  'at midnight',
  'on a rainy Thursday',
  'yesterday evening',
] as const;
const REASONS = [
  'because the museum asked for it',
  'so that the class could study it',
  'although nobody had requested it',
  'to settle a long argument with a neighbour',
  'after reading an article about restoration',
  'since the insurance required a record',
  'for a photography competition',
  'while waiting for the delivery van',
] as const;

/** The i-th sentence of a seeded corpus: one varied, plausible sentence. */
export function sentence(rng: () => number, index: number): string {
  const who = pick(rng, PEOPLE);
  const verb = pick(rng, VERBS);
  const thing = `${pick(rng, ADJECTIVES)} ${pick(rng, NOUNS)}`;
  const where = pick(rng, PLACES);
  const when = pick(rng, TIMES);
  const why = pick(rng, REASONS);
  // The index makes every sentence distinct text, as real notes are; it is also a searchable tag.
  switch (Math.floor(rng() * 3)) {
    case 0:
      return `${who} ${verb} the ${thing} at ${where} ${when} ${why} (item ${index}).`;
    case 1:
      return `${when[0]!.toUpperCase()}${when.slice(1)}, ${who} ${verb} a ${thing} near ${where}, ${why}; ref ${index}.`;
    default:
      return `At ${where}, the ${thing} was ${verb} by ${who} ${when} ${why}. Record ${index}.`;
  }
}

/** n sentences from a seed: the same n texts every time. */
export function corpus(seed: number, n: number): string[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => sentence(rng, i));
}

/** Keyword queries drawn from the corpus's nouns, so each matches a known share of the texts. */
export function keywordQueries(seed: number, n: number): string[] {
  const rng = createRng(seed ^ 0x9e3779b9);
  return Array.from({ length: n }, () => pick(rng, NOUNS));
}
