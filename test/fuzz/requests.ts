/** One fuzz request for an operation: path, query, headers and body, valid or with faults, from a seeded PRNG. */
import { PURPOSES } from '../../src/domain/policy/purposes.js';
import {
  ODD_STRINGS,
  chance,
  toJson,
  mutate,
  pick,
  validValue,
  type Generator,
  type Rng,
} from './generate.js';
import type { Operation, Parameter, Spec } from './spec.js';
import { poolFor, type Caller, type World } from './world.js';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** For the report: the operation it was made for and the caller's kind. */
  operation: string;
  caller: string;
}

/** Path and query values that break parsers: encodings, NUL, huge, numbers past every bound. */
const ODD_PARAMS = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%C3%28',
  '%FF%FE',
  '%',
  '%zz',
  '..',
  '%2e%2e',
  '%2F',
  '1e20',
  '9223372036854775807',
  '99999999999999999999',
  'Infinity',
  '-Infinity',
  'NaN',
  '-1',
  '0',
  '1.5',
  '0x1A',
  'null',
  'true',
  '%20',
  '%F0%9F%A4%96',
  `${'9'.repeat(400)}`,
  'A'.repeat(201),
];

/** Percent-encoding that also writes a lone surrogate, as the (invalid) UTF-8 bytes a hostile client sends. */
function encode(text: string): string {
  return Array.from(text, (ch) => {
    const code = ch.charCodeAt(0);
    if (ch.length > 1 || code < 0xd800 || code > 0xdfff) return encodeURIComponent(ch);
    return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
      .map((b) => `%${b.toString(16).toUpperCase()}`)
      .join('');
  }).join('');
}

export function makeRequest(spec: Spec, world: World, op: Operation, rng: Rng): FuzzRequest {
  const g: Generator = {
    rng,
    resolve: spec.resolve,
    known: (name) => {
      const pool = poolFor(op.path, name);
      return pool ? world.pools[pool] : undefined;
    },
  };
  // Callers with a bad key get 401 whatever else is wrong: one request in ten, so the rest reach the handlers.
  const bad = world.callers.filter((c) => c.badKey);
  const caller = pick(rng, chance(rng, 0.1) ? bad : world.callers.filter((c) => !c.badKey));
  const path = op.segments
    .map((segment) => {
      if (!segment.startsWith('{')) return segment;
      const name = segment.slice(1, -1);
      const param = op.parameters.find((p) => p.in === 'path' && p.name === name);
      return pathValue(g, param);
    })
    .join('/');
  const query = queryString(
    g,
    op.parameters.filter((p) => p.in === 'query'),
  );
  const headers = headersFor(rng, caller, op);
  const body = bodyFor(g, world, op, headers);
  let method = op.method;
  if (chance(rng, 0.01)) method = pick(rng, ['PUT', 'PATCH', 'DELETE', 'POST', 'GET', 'OPTIONS']);
  return {
    method,
    path: path + query,
    headers,
    ...(body === undefined ? {} : { body }),
    operation: op.id,
    caller: caller.kind,
  };
}

function pathValue(g: Generator, param: Parameter | undefined): string {
  const { rng } = g;
  const roll = rng();
  if (roll < 0.15) return pick(rng, ODD_PARAMS); // sent raw: the encodings are the point
  if (roll < 0.2) return encode(pick(rng, ODD_STRINGS)) || 'x';
  if (roll < 0.21) return 'A'.repeat(pick(rng, [199, 200, 201, 5000]));
  return encode(String(validValue(g, param?.schema ?? { type: 'string' }, param?.name ?? '')));
}

function queryString(g: Generator, params: Parameter[]): string {
  const { rng } = g;
  const pairs: [string, string][] = [];
  for (const param of params) {
    if (!param.required && !chance(rng, 0.35)) continue;
    const roll = rng();
    const value =
      roll < 0.15
        ? pick(rng, ODD_PARAMS)
        : roll < 0.2
          ? encode(pick(rng, ODD_STRINGS))
          : encode(String(validValue(g, param.schema, param.name)));
    pairs.push([param.name, value]);
    if (chance(rng, 0.03)) pairs.push([param.name, value]); // the same parameter twice
  }
  if (chance(rng, 0.05)) pairs.push([pick(rng, ['unknown', '__proto__', 'constructor', '']), '1']);
  if (chance(rng, 0.005)) pairs.push(['filler', 'q'.repeat(pick(rng, [8_000, 100_000]))]);
  if (pairs.length === 0) return chance(rng, 0.02) ? '?' : '';
  return `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

function headersFor(rng: Rng, caller: Caller, op: Operation): Record<string, string> {
  const headers: Record<string, string> = {};
  if (caller.authorization) headers.authorization = caller.authorization;
  if (chance(rng, 0.02))
    headers.authorization = pick(rng, ['Bearer', 'Basic abc', 'Bearer a b', 'bearer  x ', '']);
  if (op.method === 'GET' && (caller.kind === 'regulator' ? chance(rng, 0.9) : chance(rng, 0.2))) {
    headers['robotid-purpose'] = chance(rng, 0.9)
      ? pick(rng, PURPOSES)
      : pick(rng, ['spying', '', 'recall,recall']);
  }
  if (chance(rng, 0.15))
    headers.accept = pick(rng, ['text/html', 'application/json', '*/*', 'image/png', 'x/y']);
  if (chance(rng, 0.02))
    headers['robotid-read-after'] = pick(rng, ['', 'garbage', '0/0', '-1', 'FFFFFFFF/FFFFFFFF']);
  if (op.path === '/v1/events' && chance(rng, 0.3)) {
    headers['gs1-capture-error-behaviour'] = pick(rng, ['rollback', 'proceed', 'proceed', 'maybe']);
  }
  if (chance(rng, 0.003)) headers['x-filler'] = 'h'.repeat(20_000);
  return headers;
}

const INVALID_UTF8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe]);

function bodyFor(g: Generator, world: World, op: Operation, headers: Record<string, string>) {
  const { rng } = g;
  const takesBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(op.method);
  if (!takesBody) return undefined;
  if (!op.body && !chance(rng, 0.2)) return undefined;
  headers['content-type'] = 'application/json';
  const example = world.examples[op.id];
  const valid = () =>
    example && chance(rng, 0.7) ? example(rng) : validValue(g, op.body ?? { type: 'object' });
  const roll = rng();
  if (roll < 0.45) return toJson(valid());
  if (roll < 0.85) return toJson(mutate(g, valid(), op.body));
  if (roll < 0.88)
    headers['content-type'] = pick(rng, [
      'text/plain',
      'application/xml',
      'a/b/c',
      '',
      'application/json; charset=latin1',
    ]);
  if (roll < 0.9) delete headers['content-type'];
  const text = toJson(valid());
  return pick(rng, [
    text,
    '',
    'null',
    '[]',
    '"x"',
    text.slice(0, Math.floor(text.length / 2)),
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"admin":true}}}',
    Buffer.concat([Buffer.from('{"name":"'), INVALID_UTF8, Buffer.from('"}')]),
    `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    JSON.stringify({ pad: 'p'.repeat(300_000) }),
  ]);
}
