import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectValues, ValuePool } from './known-values.js';
import {
  type FuzzCase,
  isIdField,
  type JsonSchema,
  toolArgumentsArbitrary,
  UNKNOWN_IDS,
} from './schema-arbitrary.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    conversation_id: { type: 'string', minLength: 1, pattern: '^[a-z][a-z0-9_]{0,20}$' },
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    kind: { enum: ['a', 'b'] },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 10 },
    options: { type: 'object', properties: { deep: { type: 'boolean' } }, required: ['deep'] },
  },
  required: ['conversation_id', 'kind'],
  additionalProperties: false,
};

function sample(n: number, knownIds: string[] = []): FuzzCase[] {
  return fc.sample(toolArgumentsArbitrary(schema, { knownValues: () => knownIds }), {
    seed: 1234,
    numRuns: n,
  });
}

describe('isIdField', () => {
  it('recognises id-like names only', () => {
    for (const name of ['id', 'session_id', 'prior_ids', 'persona', 'cursor'])
      expect(isIdField(name)).toBe(true);
    for (const name of ['idea', 'valid', 'content', 'identity']) expect(isIdField(name)).toBe(false);
  });
});

describe('toolArgumentsArbitrary', () => {
  const cases = sample(600, ['conv_known']);

  it('is reproducible from its seed', () => {
    expect(sample(50, ['conv_known'])).toEqual(sample(50, ['conv_known']));
  });

  it('has every required key in as-schema cases', () => {
    const asSchema = cases.filter((c) => c.mutation === 'as-schema');
    expect(asSchema.length).toBeGreaterThan(60);
    for (const c of asSchema) {
      expect(c.args).toHaveProperty('conversation_id');
      expect(c.args).toHaveProperty('kind');
    }
  });

  it('makes plausible cases that satisfy the schema, so calls reach the handler', () => {
    const plausible = cases.filter((c) => c.mutation === 'plausible');
    expect(plausible.length).toBeGreaterThan(100);
    for (const { args } of plausible) {
      expect(typeof args.conversation_id === 'string' && args.conversation_id.length >= 1).toBe(true);
      expect(['a', 'b']).toContain(args.kind);
      if ('limit' in args)
        expect(
          Number.isInteger(args.limit) && (args.limit as number) >= 1 && (args.limit as number) <= 100,
        ).toBe(true);
      if ('tags' in args) expect((args.tags as unknown[]).every((t) => typeof t === 'string')).toBe(true);
      if ('options' in args) expect(typeof (args.options as { deep: unknown }).deep).toBe('boolean');
    }
    // With known ids, most id fields name something that exists.
    expect(plausible.filter((c) => c.args.conversation_id === 'conv_known').length).toBeGreaterThan(
      plausible.length / 2,
    );
  });

  it('breaks exactly one field of a plausible call in one-hostile cases', () => {
    expect(cases.filter((c) => c.mutation === 'one-hostile').length).toBeGreaterThan(60);
  });

  it('drops a required key in missing-required cases', () => {
    const missing = cases.filter((c) => c.mutation === 'missing-required');
    expect(missing.length).toBeGreaterThan(20);
    for (const c of missing) expect('conversation_id' in c.args && 'kind' in c.args).toBe(false);
  });

  it('covers hostile values: huge strings, unknown and known ids, out-of-range numbers, non-members', () => {
    const values = cases.flatMap((c) => Object.values(c.args));
    expect(values.some((v) => typeof v === 'string' && v.length > 100_000)).toBe(true);
    const ids = cases.map((c) => c.args.conversation_id);
    expect(ids.some((v) => UNKNOWN_IDS.includes(v as string))).toBe(true);
    expect(ids).toContain('conv_known');
    const limits = cases.map((c) => c.args.limit).filter((v) => typeof v === 'number') as number[];
    expect(limits.some((v) => v < 1 || v > 100 || !Number.isInteger(v))).toBe(true);
    expect(cases.map((c) => c.args.kind)).toContain('not_a_member');
    expect(cases.some((c) => Array.isArray(c.args.tags) && c.args.tags.length === 1001)).toBe(true);
  });

  it('puts wrong types in wrong-type cases and extra fields in extra-field cases', () => {
    expect(cases.some((c) => c.mutation === 'wrong-type')).toBe(true);
    for (const c of cases.filter((c) => c.mutation === 'extra-field')) {
      expect(c.args.unexpected_field).toBe('surprise');
    }
  });
});

describe('collectValues and ValuePool', () => {
  const inputs = new Set(['jsonl', 'session_id']);

  it('keeps ids by kind, id arrays element by element, cursors, and values of input fields', () => {
    const pool = new ValuePool();
    collectValues(
      {
        session_id: 's1',
        thought: 'x',
        priors: [{ id: 'p1' }, { id: 'p2' }],
        prior_ids: ['p3'],
        next_cursor: 'c1',
        jsonl: '{"a":1}\n',
        count: 3,
      },
      pool,
      inputs,
    );
    expect(pool.forField('session_id')).toEqual(['s1']);
    expect(pool.forField('prior_ids')).toEqual(['p3']);
    expect(pool.forField('cursor')).toEqual(['c1']);
    expect(pool.forField('jsonl')).toEqual(['{"a":1}\n']);
    // No ids of its own kind: any id but cursors; a plain field gets nothing it was not given.
    expect((pool.forField('experience_id') as string[]).sort()).toEqual(['p1', 'p2', 'p3', 's1']);
    expect(pool.forField('thought')).toEqual([]);
  });

  it('keeps each value once and gives persona fields persona ids', () => {
    const pool = new ValuePool();
    pool.add('persona_id', 'aria');
    pool.add('persona_id', 'aria');
    pool.add('session_id', 's');
    expect(pool.forField('persona')).toEqual(['aria']);
    expect(pool.size).toBe(2);
  });
});

describe('plausible strings with a pattern', () => {
  it('match the pattern when nothing is known yet', () => {
    const plausible = sample(600).filter((c) => c.mutation === 'plausible');
    expect(plausible.length).toBeGreaterThan(100);
    for (const c of plausible) expect(c.args.conversation_id).toMatch(/^[a-z][a-z0-9_]{0,20}$/);
  });
});
