/** Values from JSON Schemas: valid ones, and the faults a hostile or careless client sends. */
import type { Schema } from './spec.js';

export type Rng = () => number;
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
export const chance = (rng: Rng, p: number) => rng() < p;
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));

/** Text a careless or hostile client sends: empty, huge, control and format characters, broken UTF-16. */
export const ODD_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\ufeffBOM',
  'e\u0301\u0301\u0301',
  '\u202eevil\u202c',
  '😀🤖👩‍🔧',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'İıſK',
  '\r\n\t',
  '<script>alert(1)</script>',
  "'; DROP TABLE robots; --",
  '../../etc/passwd',
  '%00',
  '%s%n%x',
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  'null',
  '1e20',
  '9223372036854775807',
  '-1',
  'Infinity',
  'NaN',
  '0x10',
  '２０２６-01-01',
  '2026-02-30T25:61:61Z',
  '9999-12-31T23:59:59.999999999Z',
  '0000-00-00',
];

export const ODD_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  -0.5,
  1e-300,
  1e20,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 32,
  2 ** 53,
  2 ** 53 - 1,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
];

const ALNUM = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
function randomString(rng: Rng, min: number, max: number): string {
  const length = int(rng, min, Math.min(max, min + 12));
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[int(rng, 0, ALNUM.length - 1)];
  return s;
}

export interface Generator {
  rng: Rng;
  resolve(schema: Schema): Schema;
  /** Real values the world holds for a property name (ids, codes), used some of the time. */
  known(name: string): string[] | undefined;
}

/** A value that the schema accepts (as far as JSON Schema says; the registry may refuse it for other reasons). */
export function validValue(g: Generator, raw: Schema, name = '', depth = 0): unknown {
  const schema = g.resolve(raw);
  const { rng } = g;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return pick(rng, schema.enum);
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (union) return validValue(g, pick(rng, union), name, depth);
  const type = Array.isArray(schema.type) ? pick(rng, schema.type as string[]) : schema.type;
  switch (type) {
    case 'string':
      return validString(g, schema, name);
    case 'integer':
    case 'number':
      return validNumber(rng, schema, type === 'integer');
    case 'boolean':
      return chance(rng, 0.5);
    case 'null':
      return null;
    case 'array': {
      const min = Number(schema.minItems ?? 0);
      const max = Math.min(Number(schema.maxItems ?? 4), min + 3);
      const items = (schema.items ?? {}) as Schema;
      return Array.from({ length: int(rng, min, max) }, () => validValue(g, items, name, depth + 1));
    }
    case 'object':
    default: {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(properties)) {
        if (required.has(key) || (depth < 4 && chance(rng, 0.6)))
          out[key] = validValue(g, sub, key, depth + 1);
      }
      return out;
    }
  }
}

function validString(g: Generator, schema: Schema, name: string): string {
  const { rng } = g;
  const known = g.known(name);
  if (known && known.length > 0 && chance(rng, 0.8)) return pick(rng, known);
  const min = Number(schema.minLength ?? 0);
  const max = Number(schema.maxLength ?? 40);
  switch (schema.format) {
    case 'date-time':
      return new Date(Date.now() - int(rng, -86_400_000, 86_400_000 * 30)).toISOString();
    case 'date':
      return new Date(Date.now() - int(rng, 0, 86_400_000 * 365)).toISOString().slice(0, 10);
    case 'uri':
      return `https://hooks.example.test/${randomString(rng, 1, 8)}`;
    case 'email':
      return `${randomString(rng, 1, 8).toLowerCase()}@mail.test`;
    default:
      if (chance(rng, 0.05)) return 'x'.repeat(max);
      return randomString(rng, Math.max(min, 1) > max ? min : Math.max(min, 1), max);
  }
}

function validNumber(rng: Rng, schema: Schema, integer: boolean): number {
  const lower =
    schema.minimum !== undefined
      ? Number(schema.minimum)
      : schema.exclusiveMinimum !== undefined
        ? Number(schema.exclusiveMinimum) + (integer ? 1 : 0.001)
        : 0;
  const upper = schema.maximum !== undefined ? Number(schema.maximum) : lower + 1000;
  // Bounds now and then (an upper bound can be costly, say 100,000 IDs, so rarely), small values mostly.
  if (chance(rng, 0.05)) return lower;
  if (chance(rng, 0.01)) return upper;
  const value = lower + rng() * Math.min(upper - lower, 20);
  return integer ? Math.floor(value) : value;
}

/** A value of another JSON type than the schema's. */
export function wrongType(rng: Rng): unknown {
  return pick(rng, [null, true, 0, -1, 1.5, '', 'x', [], {}, [null], { a: 1 }, '1', 'true']);
}

/**
 * A stand-in for `[[[…]]]` nested `depth` deep: JSON.stringify cannot write that (it recurses), so toJson puts
 * the brackets in its place.
 */
export const deeplyNested = (depth: number) => `\u0001DEEP:${depth}`;

/** JSON text of a generated value, with deep nesting written out. */
export const toJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /"\\u0001DEEP:(\d+)"/g,
    (_m, depth: string) => '['.repeat(Number(depth)) + ']'.repeat(Number(depth)),
  );

/**
 * The value with one fault somewhere in it: a wrong type, a missing or extra field, huge or odd text, numbers
 * out of bounds, deep nesting.
 */
export function mutate(g: Generator, value: unknown, raw: Schema | undefined): unknown {
  const { rng } = g;
  const schema = raw ? g.resolve(raw) : {};
  if (value && typeof value === 'object' && !Array.isArray(value) && chance(rng, 0.7)) {
    const object = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(object);
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const roll = rng();
    if (roll < 0.15 && keys.length > 0) delete object[pick(rng, keys)];
    else if (roll < 0.25) object[pick(rng, ['extra', '__proto__', 'constructor', 'é', ''])] = wrongType(rng);
    else if (keys.length > 0) {
      const key = pick(rng, keys);
      object[key] = mutate(g, object[key], properties[key]);
    }
    return object;
  }
  if (Array.isArray(value) && value.length > 0 && chance(rng, 0.6)) {
    const copy = [...value];
    const i = int(rng, 0, copy.length - 1);
    copy[i] = mutate(g, copy[i], (schema.items ?? {}) as Schema);
    return copy;
  }
  return faultyLeaf(rng, value);
}

function faultyLeaf(rng: Rng, value: unknown): unknown {
  const roll = rng();
  if (roll < 0.2) return wrongType(rng);
  if (roll < 0.45) return pick(rng, ODD_STRINGS);
  if (roll < 0.6) return pick(rng, ODD_NUMBERS);
  if (roll < 0.68) return 'A'.repeat(pick(rng, [201, 1_000, 70_000, 300_000]));
  if (roll < 0.74) return deeplyNested(pick(rng, [50, 1_000, 20_000]));
  if (roll < 0.8) return Array.from({ length: pick(rng, [2, 100, 20_000]) }, () => value ?? 'x');
  if (typeof value === 'string') return value + pick(rng, ODD_STRINGS);
  if (typeof value === 'number') return -value - 1;
  return wrongType(rng);
}
