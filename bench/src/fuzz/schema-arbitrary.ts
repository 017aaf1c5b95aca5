/**
 * fast-check arbitraries for a tool's arguments, built from the JSON Schema it lists in
 * tools/list. Most runs are almost valid (so calls reach the handler and its semantic checks);
 * the rest are broken on purpose: wrong types, missing fields, huge strings, awkward unicode,
 * negative and huge numbers, unknown ids.
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
}

export interface ArbitraryOptions {
  /**
   * Values seen in earlier successful results under a field's name (ids, cursors, an export's
   * document…): plausible values that name things that exist.
   */
  knownValues?: (field: string) => readonly unknown[];
  /** Longest string the server accepts (server-kit default 100,000): huge strings go just past it. */
  maxStringLength?: number;
}

/** Field names that name a stored thing: they get unknown (and known) ids. */
export function isIdField(name: string): boolean {
  return /(^|_)(id|ids)$/.test(name) || /^(persona|with|cursor)$/.test(name);
}

export const UNKNOWN_IDS = [
  'does-not-exist',
  'exp_999999999',
  '00000000-0000-4000-8000-000000000000',
  'conv_unknown',
  '0',
  '-1',
  'null',
  '../../etc/passwd',
];

/** Strings that have broken real parsers: FTS5 syntax, SQL quoting, NUL, RTL, emoji, lone surrogates. */
export const AWKWARD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF\uD800',
  '💥🧨 ǅ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'مرحبا بالعالم',
  'e\u0301\u0301\u0301',
  '\n\n\t\r',
  "'; DROP TABLE events; --",
  '"',
  '*',
  'NEAR(a b',
  'AND OR NOT',
  '"unterminated',
  'col:value',
  '^',
  '%_%',
  '{"json": true}',
];

/** Nesting the generators follow before giving up with null (arguments nest 5–6 levels at most). */
const MAX_DEPTH = 10;

const JUNK_NUMBERS = [
  -1,
  0,
  -0.5,
  0.5,
  1.5,
  -2_147_483_649,
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  -1e308,
  5e-324,
];

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type) return [schema.type];
  if (schema.properties) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

/** Any JSON value of a different shape: what "wrong type" means for a field. */
export function wrongTypeArbitrary(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string({ maxLength: 8 }),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  );
}

function stringArbitrary(schema: JsonSchema, name: string, options: ArbitraryOptions): fc.Arbitrary<string> {
  const limit = options.maxStringLength ?? 100_000;
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 60, 60));
  const choices: fc.WeightedArbitrary<string>[] = [
    { weight: 6, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 2, arbitrary: fc.constantFrom(...AWKWARD_STRINGS) },
    // Just past the limit (must be refused before any work) and big but allowed.
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(limit + 1), 'é🧨'.repeat(Math.floor(limit / 6))) },
  ];
  if (schema.maxLength !== undefined) {
    choices.push({ weight: 1, arbitrary: fc.constant('y'.repeat(schema.maxLength + 1)) });
  }
  if (isIdField(name)) {
    choices.push({ weight: 6, arbitrary: fc.constantFrom(...UNKNOWN_IDS) });
    const known = knownStrings(name, options);
    if (known.length) choices.push({ weight: 8, arbitrary: fc.constantFrom(...known) });
  }
  return fc.oneof(...choices);
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0);
  const high =
    schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : low + 100);
  const inRange = integer
    ? fc.integer({ min: Math.ceil(Math.max(low, -1e9)), max: Math.floor(Math.min(Math.max(high, low), 1e9)) })
    : fc.double({ min: Math.max(low, -1e9), max: Math.min(Math.max(high, low), 1e9), noNaN: true });
  const edges = [...JUNK_NUMBERS];
  if (schema.minimum !== undefined) edges.push(schema.minimum - 1, schema.minimum - 0.001);
  if (schema.maximum !== undefined) edges.push(schema.maximum + 1, schema.maximum + 0.001);
  return fc.oneof({ weight: 3, arbitrary: inRange }, { weight: 2, arbitrary: fc.constantFrom(...edges) });
}

/** A value for `schema`: usually of the right shape, with hostile contents. */
export function valueArbitrary(
  schema: JsonSchema,
  name: string,
  options: ArbitraryOptions,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) {
    return fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...schema.enum) },
      { weight: 1, arbitrary: fc.constantFrom('not_a_member', '', 'UPPER') },
    );
  }
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length) return fc.oneof(...branches.map((b) => valueArbitrary(b, name, options, depth + 1)));
  if (schema.allOf?.length) return valueArbitrary(schema.allOf[0]!, name, options, depth + 1);
  const types = typesOf(schema);
  if (types.length === 0) return fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(...types.map((type) => valueOfType(type, schema, name, options, depth)));
}

function valueOfType(
  type: string,
  schema: JsonSchema,
  name: string,
  options: ArbitraryOptions,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArbitrary(schema, name, options);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = schema.items
        ? valueArbitrary(schema.items, singular(name), options, depth + 1)
        : fc.jsonValue();
      const min = schema.minItems ?? 0;
      return fc.oneof(
        {
          weight: 8,
          arbitrary: fc.array(item, {
            minLength: min,
            maxLength: Math.max(min, Math.min(schema.maxItems ?? 4, 4)),
          }),
        },
        // One past the default array limit of 1,000 items.
        { weight: 1, arbitrary: fc.constant(Array.from({ length: 1001 }, (_, i) => `item ${i}`)) },
      );
    }
    case 'object':
      return objectArbitrary(schema, options, depth + 1);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function singular(name: string): string {
  return name.endsWith('_ids') ? `${name.slice(0, -4)}_id` : name;
}

/** An object with every required key and some optional ones, each value from its schema. */
export function objectArbitrary(
  schema: JsonSchema,
  options: ArbitraryOptions,
  depth = 0,
): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, child] of Object.entries(properties))
    model[key] = valueArbitrary(child, key, options, depth);
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
}

const ABSENT = Symbol('absent');

function knownStrings(name: string, options: ArbitraryOptions): string[] {
  return (options.knownValues?.(name) ?? []).filter((v): v is string => typeof v === 'string');
}

function matchesType(value: unknown, type: string | undefined): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return false;
  }
}

/** A string for the schema's `pattern`, when fast-check can read it as a JavaScript regex. */
function patternArbitrary(schema: JsonSchema, min: number, max: number): fc.Arbitrary<string> | null {
  if (!schema.pattern) return null;
  let regex: RegExp;
  try {
    regex = new RegExp(schema.pattern);
  } catch {
    return null;
  }
  return fc
    .stringMatching(regex, { maxLength: Math.max(max, 1) })
    .filter((s) => s.length >= min && s.length <= max);
}

/** A value that satisfies `schema` as far as the schema can say: calls that reach the handler. */
export function plausibleArbitrary(
  schema: JsonSchema,
  name: string,
  options: ArbitraryOptions,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches?.length)
    return fc.oneof(...branches.map((b) => plausibleArbitrary(b, name, options, depth + 1)));
  if (schema.allOf?.length) return plausibleArbitrary(schema.allOf[0]!, name, options, depth + 1);
  const type = typesOf(schema).find((t) => t !== 'null') ?? typesOf(schema)[0];
  const generated = plausibleOfType(type, schema, name, options, depth);
  const known = (options.knownValues?.(name) ?? []).filter((v) => matchesType(v, type));
  if (known.length === 0) return generated;
  // Mostly things that exist; sometimes a made-up one (an unknown id, for a start).
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    {
      weight: 1,
      arbitrary: isIdField(name) && type === 'string' ? fc.constantFrom(...UNKNOWN_IDS) : generated,
    },
  );
}

function plausibleOfType(
  type: string | undefined,
  schema: JsonSchema,
  name: string,
  options: ArbitraryOptions,
  depth: number,
): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string': {
      const min = Math.max(1, schema.minLength ?? 0);
      const max = Math.max(min, Math.min(schema.maxLength ?? 200, 200));
      return (
        patternArbitrary(schema, min, max) ??
        fc
          .lorem({ maxCount: 8 })
          .map((text) => (text.length < min ? text.padEnd(min, 'x') : text.slice(0, max)))
      );
    }
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum : 0);
      const high =
        schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum : low + 20);
      if (type === 'integer') {
        const lo = Math.ceil(schema.exclusiveMinimum !== undefined ? low + 1 : low);
        const hi = Math.floor(schema.exclusiveMaximum !== undefined ? high - 1 : high);
        return fc.integer({ min: lo, max: Math.max(lo, Math.min(hi, lo + 1000)) });
      }
      return fc.double({
        min: low,
        max: Math.max(low, high),
        noNaN: true,
        minExcluded: schema.exclusiveMinimum !== undefined,
        maxExcluded: schema.exclusiveMaximum !== undefined,
      });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.max(min, Math.min(schema.maxItems ?? min + 3, min + 3));
      const item = schema.items
        ? plausibleArbitrary(schema.items, singular(name), options, depth + 1)
        : fc.string();
      return fc.array(item, { minLength: min, maxLength: max });
    }
    case 'object': {
      // Optional keys appear a third of the time: a plausible call looks like a real one.
      const required = new Set(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, child] of Object.entries(schema.properties ?? {})) {
        const value = plausibleArbitrary(child, key, options, depth + 1);
        model[key] = required.has(key)
          ? value
          : fc.oneof({ weight: 2, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: value });
      }
      return fc
        .record(model)
        .map((record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ABSENT)));
    }
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

export type Mutation =
  | 'plausible'
  | 'one-hostile'
  | 'as-schema'
  | 'missing-required'
  | 'wrong-type'
  | 'extra-field'
  | 'garbage'
  | 'empty';

export interface FuzzCase {
  mutation: Mutation;
  args: Record<string, unknown>;
}

/** The arguments a fuzz run sends to one tool, tagged with how they were broken. */
export function toolArgumentsArbitrary(
  inputSchema: JsonSchema,
  options: ArbitraryOptions = {},
): fc.Arbitrary<FuzzCase> {
  const base = objectArbitrary(inputSchema, options);
  const keys = Object.keys(inputSchema.properties ?? {});
  const required = inputSchema.required ?? [];
  const tag =
    (mutation: Mutation) =>
    (args: Record<string, unknown>): FuzzCase => ({ mutation, args });
  const plausible = plausibleArbitrary(inputSchema, '', options) as fc.Arbitrary<Record<string, unknown>>;
  const cases: fc.WeightedArbitrary<FuzzCase>[] = [
    { weight: 6, arbitrary: plausible.map(tag('plausible')) },
    { weight: 4, arbitrary: base.map(tag('as-schema')) },
    {
      weight: 2,
      arbitrary: base.map((args) => ({ ...args, unexpected_field: 'surprise' })).map(tag('extra-field')),
    },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
        .map(tag('garbage')),
    },
    { weight: 1, arbitrary: fc.constant({}).map(tag('empty')) },
  ];
  if (required.length > 0) {
    cases.push({
      weight: 3,
      arbitrary: fc.tuple(base, fc.constantFrom(...required)).map(([args, key]) => {
        const { [key]: _dropped, ...rest } = args;
        return { mutation: 'missing-required' as const, args: rest };
      }),
    });
  }
  if (keys.length > 0) {
    const properties = inputSchema.properties ?? {};
    cases.push({
      weight: 4,
      arbitrary: fc
        .constantFrom(...keys)
        .chain((key) => fc.tuple(plausible, fc.constant(key), valueArbitrary(properties[key]!, key, options)))
        .map(([args, key, value]) => ({ mutation: 'one-hostile' as const, args: { ...args, [key]: value } })),
    });
    cases.push({
      weight: 3,
      arbitrary: fc
        .tuple(base, fc.constantFrom(...keys), wrongTypeArbitrary())
        .map(([args, key, value]) => ({ mutation: 'wrong-type' as const, args: { ...args, [key]: value } })),
    });
  }
  return fc.oneof(...cases);
}
