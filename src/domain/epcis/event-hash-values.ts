import { canonicalGs1Uri } from './gs1-keys.js';

/**
 * The values of the CBV 2.0 Event Hash (event-hash.ts): how each is normalised before it is written, and the order
 * texts are sorted in. Pure functions of a string; those met again and again (times, places, classes) remembered.
 */

export const CBV = 'https://ref.gs1.org/cbv/';
export const GS1_VOC = 'https://gs1.org/voc/';
const CBV_URNS: ReadonlyArray<[string, string]> = [
  ['urn:epcglobal:cbv:bizstep:', `${CBV}BizStep-`],
  ['urn:epcglobal:cbv:disp:', `${CBV}Disp-`],
  ['urn:epcglobal:cbv:btt:', `${CBV}BTT-`],
  ['urn:epcglobal:cbv:sdt:', `${CBV}SDT-`],
  ['urn:epcglobal:cbv:er:', `${CBV}ER-`],
];

/**
 * A pure function of a string, remembering its answers for the texts met again (vocabulary IRIs, a document's
 * eventTime); forgets them all when `size` are kept, so unique texts (EPCs) cost no more than a map entry.
 */
export function memoised<T>(f: (text: string) => T, size = 4096): (text: string) => T {
  const known = new Map<string, T>();
  return function remembered(text) {
    let answer = known.get(text);
    if (answer === undefined) {
      if (known.size >= size) known.clear();
      answer = f(text);
      known.set(text, answer);
    }
    return answer;
  };
}

// ---- values ----

/** A property's value as the pre-hash string writes it: a time (by its name: `…Time`, not `…Offset`) or any value. */
export function canonicalPropertyValue(name: string, text: string): string {
  const lower = name.toLowerCase();
  return lower.includes('time') && !lower.includes('offset')
    ? canonicalTimestamp(text)
    : canonicalValue(text);
}

export function canonicalValue(text: string): string {
  let value = text;
  if (value.includes('urn:epcglobal:cbv:'))
    for (const [urn, iri] of CBV_URNS) value = value.replaceAll(urn, iri);
  value = canonicalNumber(value) ?? value;
  const mayBeKey = value.includes('.') && (value.startsWith('urn:epc:') || value.startsWith('http'));
  return (mayBeKey ? canonicalKey(value) : undefined) ?? value;
}

/** A GS1 key's canonical form: worth remembering (a document names the same places and classes again and again). */
const canonicalKey = memoised((text: string) => canonicalGs1Uri(text) ?? null);

const DECIMAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;

/** A decimal number's shortest form (`+012.50` → `12.5`, `1.0` → `1`), or undefined for text that is none. */
function canonicalNumber(text: string): string | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text.replaceAll('_', ''));
  return Number.isFinite(value) ? numberText(value) : undefined;
}

/** A number as the reference writes it: integers in full, others in their shortest form (`1e-05` below 1e-4). */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return BigInt(value).toString();
  if (Math.abs(value) >= 1e-4) return String(value);
  const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A timestamp in UTC at millisecond precision (`2020-03-04T11:00:30+01:00` → `2020-03-04T10:00:30.000Z`); finer
 * fractions round half to even on the microsecond, as the reference does. A timestamp without offset is read as UTC
 * (EPCIS requires one). Text that is no timestamp stays as it is.
 */
const canonicalTimestamp = memoised((text: string): string => {
  const m = TIMESTAMP.exec(text);
  if (!m) return text;
  const micros = Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  let millis = Math.floor(micros / 1000);
  const below = micros % 1000;
  if (below > 500 || (below === 500 && millis % 2 === 1)) millis += 1;
  let offsetMinutes = 0;
  const zone = m[8]?.toUpperCase();
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes =
      (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0')) * (zone[0] === '-' ? -1 : 1);
  }
  const date = new Date(0);
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]) - offsetMinutes, Number(m[6] ?? '0'), millis);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
});

// ---- ordering: by Unicode code point, as the reference's string comparison does (not UTF-16 code units) ----

const codePointKey = (unit: number) =>
  unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit;

export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointKey(x) - codePointKey(y);
  }
  return a.length - b.length;
}
