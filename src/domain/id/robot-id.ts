/**
 * The robot ID: parsing, formatting, part validation and allocation helpers. The format is specified in
 * docs/id-format.md; keep the two in step.
 *
 *   CN 0001 H00001 R0000000000000001 27
 *   |  |    |      |                 check characters (ISO/IEC 7064 MOD 1271-36 over the 29 characters before)
 *   |  |    |      serial (17)
 *   |  |    model code (6)
 *   |  enterprise code (4)
 *   country code (ISO 3166-1 alpha-2)
 */
import { DomainError, invalid } from '../errors.js';
import type { FieldIssue } from '../errors.js';
import { ALLOCATED_ALPHABET, ALLOCATED_VALUE, CHECK_VALUE } from './alphabet.js';
import { countryName, isCountryCode } from './countries.js';
import { mod1271_36CheckCharacters } from './mod1271-36.js';

export const CANONICAL_LENGTH = 29;
export const PRINTED_LENGTH = 31;
export const DISPLAY_LENGTH = 35;

export const COUNTRY_LENGTH = 2;
export const ENTERPRISE_LENGTH = 4;
export const MODEL_LENGTH = 6;
export const SERIAL_LENGTH = 17;
export const CHECK_LENGTH = 2;

/** Largest enterprise sequence number: 33^4 - 1 (`ZZZZ`); `0000` is never allocated. */
export const MAX_ENTERPRISE_SEQUENCE = 33 ** 4 - 1;
/** Largest registry serial number: 16 decimal digits. */
export const MAX_REGISTRY_SERIAL = 9_999_999_999_999_999n;

export type RobotIdForm = 'canonical' | 'printed' | 'display';

export interface RobotIdParts {
  country: string;
  enterprise: string;
  model: string;
  serial: string;
}

export interface RobotId extends RobotIdParts {
  /** 29 characters: country + enterprise + model + serial. */
  canonical: string;
  /** 31 characters: canonical + check characters. This is what labels, QR codes and URLs carry. */
  printed: string;
  /** `CN-XXXX-XXXXXX-XXXXXXXXXXXXXXXXX-CC`. */
  display: string;
  check: string;
  /** The form the input was given in. */
  form: RobotIdForm;
}

type PartKind = 'country' | 'allocated' | 'check';

interface PartSpec {
  readonly label: string;
  readonly kind: PartKind;
  readonly length: number;
}

const COUNTRY: PartSpec = { label: 'country code', kind: 'country', length: COUNTRY_LENGTH };
const ENTERPRISE: PartSpec = { label: 'enterprise code', kind: 'allocated', length: ENTERPRISE_LENGTH };
const MODEL: PartSpec = { label: 'model code', kind: 'allocated', length: MODEL_LENGTH };
const SERIAL: PartSpec = { label: 'serial', kind: 'allocated', length: SERIAL_LENGTH };
const CHECK: PartSpec = { label: 'check characters', kind: 'check', length: CHECK_LENGTH };

/** The five groups in order; also the groups of the display form. */
const GROUPS: readonly PartSpec[] = [COUNTRY, ENTERPRISE, MODEL, SERIAL, CHECK];

/** Part of each of the 31 character positions of the printed form. */
const PART_AT: readonly PartSpec[] = GROUPS.flatMap((g) => Array.from({ length: g.length }, () => g));

/** 0-based indexes of the hyphens in the display form: 2, 7, 14, 32 (positions 3, 8, 15, 33). */
const DISPLAY_HYPHENS: readonly number[] = [2, 7, 14, 32];

/** 0 for A-Z, -1 otherwise (country code letters). */
const COUNTRY_LETTER: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let code = 0x41; code <= 0x5a; code++) table[code] = 0;
  return table;
})();

/** Where the five groups start in the printed (and canonical) form and in the display form. */
const COMPACT_GROUP_STARTS = [0, 2, 6, 12, 29] as const;
const DISPLAY_GROUP_STARTS = [0, 3, 8, 15, 33] as const;

const tableFor = (kind: PartKind): Int8Array =>
  kind === 'country' ? COUNTRY_LETTER : kind === 'allocated' ? ALLOCATED_VALUE : CHECK_VALUE;

/** For each of the 31 positions of the printed form, the table of allowed (upper-case) ASCII codes (>= 0). */
const TABLE_AT: readonly Int8Array[] = PART_AT.map((spec) => tableFor(spec.kind));

const isAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
};

const FORMS_EXPECTED = 'expected 29 (canonical), 31 (with check characters) or 35 (display form)';

// ---------------------------------------------------------------------------------------------------------------
// Character checks shared by the parser and the part validators

/** ASCII-only upper-casing: `toUpperCase()` would turn 'ß' into 'SS' and 'ſ' into 'S' and shift positions. */
const asciiUpper = (c: string): string => {
  const code = c.charCodeAt(0);
  return c.length === 1 && code >= 0x61 && code <= 0x7a ? String.fromCharCode(code - 0x20) : c;
};

/** A character quoted for a message; invisible ones are shown as U+XXXX. */
const show = (c: string): string => {
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0xa0) || code === 0x3000
    ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `'${c}'`;
};

/**
 * Why `typed` (one character as typed) is not allowed in a part of the given kind, or undefined if it is.
 * `upper` is its ASCII upper-case form.
 */
function characterProblem(typed: string, upper: string, kind: PartKind): string | undefined {
  const code = upper.length === 1 ? upper.charCodeAt(0) : -1;
  if (kind === 'allocated' && code >= 0 && (ALLOCATED_VALUE[code] ?? -1) >= 0) return undefined;
  if (kind === 'check' && code >= 0 && (CHECK_VALUE[code] ?? -1) >= 0) return undefined;
  if (kind === 'country' && code >= 0x41 && code <= 0x5a) return undefined;

  if (kind === 'allocated' && (upper === 'I' || upper === 'O' || upper === 'Q'))
    return 'the letters I, O and Q are never used';
  if (kind === 'country' && code >= 0x30 && code <= 0x39) return 'the country code is two letters';
  if (typed === '-') return 'hyphens are only allowed between the groups of the display form';
  const point = typed.codePointAt(0) ?? 0;
  if (point >= 0xff01 && point <= 0xff5e)
    return 'full-width characters are not used; switch the input method to half-width';
  return kind === 'country' ? 'the country code is two letters' : 'only letters A-Z and digits 0-9 are used';
}

const characterMessage = (typed: string, position: number, label: string, why: string) =>
  `character ${show(typed)} at position ${position} (${label}) is not allowed: ${why}`;

const countryMessage = (upper: string) => `'${upper}' is not an ISO 3166-1 country code`;

// ---------------------------------------------------------------------------------------------------------------
// Part validators

const PART_ERROR_CODES = {
  country: 'invalid-country-code',
  enterprise: 'invalid-enterprise-code',
  model: 'invalid-model-code',
  serial: 'invalid-serial',
} as const;

/** Fast path for issuance: the upper-cased part if it is exactly right as given, else undefined. */
function cleanPart(value: string, spec: PartSpec): string | undefined {
  if (value.length !== spec.length) return undefined;
  const table = tableFor(spec.kind);
  let lower = false;
  for (let i = 0; i < value.length; i++) {
    let code = value.charCodeAt(i);
    if (code >= 0x61 && code <= 0x7a) {
      code -= 0x20;
      lower = true;
    }
    if ((table[code] ?? -1) < 0) return undefined;
  }
  const upper = lower ? value.toUpperCase() : value;
  return spec.kind === 'country' && !isCountryCode(upper) ? undefined : upper;
}

/** Issues with one part given on its own; positions are 1-based within the (trimmed) value. */
function partIssues(value: string, spec: PartSpec, field: string): { upper: string; issues: FieldIssue[] } {
  const clean = cleanPart(value, spec);
  if (clean !== undefined) return { upper: clean, issues: [] };
  const typed = [...value.trim()];
  const upper = typed.map(asciiUpper).join('');
  if (typed.length !== spec.length) {
    const unit = spec.kind === 'country' ? 'letters' : 'characters';
    const message = `wrong length: the ${spec.label} has ${spec.length} ${unit}, got ${typed.length}`;
    return { upper, issues: [{ field, message }] };
  }
  const issues: FieldIssue[] = [];
  typed.forEach((c, i) => {
    const why = characterProblem(c, asciiUpper(c), spec.kind);
    if (why !== undefined)
      issues.push({ field, message: characterMessage(c, i + 1, spec.label, why), position: i + 1 });
  });
  if (issues.length === 0 && spec.kind === 'country' && !isCountryCode(upper))
    issues.push({ field, message: countryMessage(upper) });
  return { upper, issues };
}

const firstMessage = (issues: readonly FieldIssue[]): string => {
  const first = issues[0]?.message ?? 'invalid';
  return issues.length > 1 ? `${first} (and ${issues.length - 1} more)` : first;
};

function validatePart(value: string, spec: PartSpec, field: string, code: string): string {
  const { upper, issues } = partIssues(value, spec, field);
  if (issues.length > 0) throw invalid(code, firstMessage(issues), issues);
  return upper;
}

/** An officially assigned ISO 3166-1 alpha-2 code (case-insensitive, trimmed); returns it upper-cased. */
export const validateCountryCode = (value: string, field: string): string =>
  validatePart(value, COUNTRY, field, PART_ERROR_CODES.country);

/** 4 characters of `0-9A-Z` without I, O, Q (case-insensitive, trimmed); returns it upper-cased. */
export const validateEnterpriseCode = (value: string, field: string): string =>
  validatePart(value, ENTERPRISE, field, PART_ERROR_CODES.enterprise);

/** 6 characters of `0-9A-Z` without I, O, Q (case-insensitive, trimmed); returns it upper-cased. */
export const validateModelCode = (value: string, field: string): string =>
  validatePart(value, MODEL, field, PART_ERROR_CODES.model);

/**
 * 17 characters of `0-9A-Z` without I, O, Q (case-insensitive, trimmed); returns it upper-cased. This is the
 * structural rule only: registry-reserved serials (`R` + 16 digits) pass; see {@link validateManufacturerSerial}.
 */
export const validateSerial = (value: string, field: string): string =>
  validatePart(value, SERIAL, field, PART_ERROR_CODES.serial);

/** {@link validateSerial}, and also rejects serials reserved for registry issuance (`reserved-serial`). */
export function validateManufacturerSerial(value: string, field: string): string {
  const serial = validateSerial(value, field);
  if (isRegistrySerial(serial)) {
    const message = `serial '${serial}' is reserved: serials of the form R + 16 digits are issued only by the registry`;
    throw invalid('reserved-serial', message, [{ field, message }]);
  }
  return serial;
}

/**
 * The printed form of a canonical ID built from parts that were validated already (as when the registry issues a
 * block for one model): computes the check characters without checking the structure again.
 */
export const printedFromValidCanonical = (canonical: string): string =>
  canonical + mod1271_36CheckCharacters(canonical);

// ---------------------------------------------------------------------------------------------------------------
// Building and parsing

function build(
  country: string,
  enterprise: string,
  model: string,
  serial: string,
  form: RobotIdForm,
): RobotId {
  const canonical = country + enterprise + model + serial;
  const check = mod1271_36CheckCharacters(canonical);
  return {
    canonical,
    printed: canonical + check,
    display: `${country}-${enterprise}-${model}-${serial}-${check}`,
    country,
    enterprise,
    model,
    serial,
    check,
    form,
  };
}

/**
 * Validates the parts (case-insensitive; each trimmed) and returns the ID in all forms, `form: 'canonical'`.
 * Throws `invalid-robot-id` listing every faulty part (fields `country`, `enterprise`, `model`, `serial`).
 */
export function formatRobotId(parts: RobotIdParts): RobotId {
  const country = partIssues(parts.country, COUNTRY, 'country');
  const enterprise = partIssues(parts.enterprise, ENTERPRISE, 'enterprise');
  const model = partIssues(parts.model, MODEL, 'model');
  const serial = partIssues(parts.serial, SERIAL, 'serial');
  const issues = [...country.issues, ...enterprise.issues, ...model.issues, ...serial.issues];
  if (issues.length > 0) throw invalid('invalid-robot-id', firstMessage(issues), issues);
  return build(country.upper, enterprise.upper, model.upper, serial.upper, 'canonical');
}

/**
 * Check characters of a 29-character canonical ID (case-insensitive). The structure is validated as by
 * {@link parseRobotId}; throws `invalid-robot-id` otherwise.
 */
export function checkCharacters(canonical: string): string {
  // Fast path (issuance): already canonical and upper case.
  if (canonical.length === CANONICAL_LENGTH) {
    let i = 0;
    while (i < CANONICAL_LENGTH && ((TABLE_AT[i] ?? COUNTRY_LETTER)[canonical.charCodeAt(i)] ?? -1) >= 0) i++;
    if (i === CANONICAL_LENGTH && isCountryCode(canonical.slice(0, 2)))
      return mod1271_36CheckCharacters(canonical);
  }
  const length = [...canonical.trim()].length;
  if (length !== CANONICAL_LENGTH) {
    const message = `wrong length: ${length} characters; expected 29 (canonical)`;
    throw invalid('invalid-robot-id', message, [{ field: 'canonical', message }]);
  }
  return parseRobotId(canonical, 'canonical').check;
}

function wrongLength(typed: readonly string[], field: string): DomainError {
  let message = `wrong length: ${typed.length} characters; ${FORMS_EXPECTED}`;
  if (typed.includes('-')) {
    const groups = typed.join('').split('-');
    if (groups.length !== GROUPS.length) {
      message += `; the display form has 5 groups separated by hyphens, found ${groups.length}`;
    } else {
      const i = GROUPS.findIndex((g, k) => [...(groups[k] ?? '')].length !== g.length);
      const g = GROUPS[i];
      if (g !== undefined)
        message += `; in the display form the ${g.label} has ${g.length} characters, got ${[...(groups[i] ?? '')].length}`;
    }
  }
  return invalid('invalid-robot-id', message, [{ field, message }]);
}

/**
 * Parses a robot ID in any of its three forms: canonical (29 characters), printed (31, with check characters) or
 * display (`CN-XXXX-XXXXXX-XXXXXXXXXXXXXXXXX-CC`). Surrounding whitespace is ignored and letters may be lower case;
 * nothing else is tolerated. Throws `invalid-robot-id` whose issues (on `field`) name the wrong part, the reason
 * and, for a single bad character, its 1-based position in the input as typed (after trimming).
 */
export function parseRobotId(input: string, field = 'robotId'): RobotId {
  const trimmed = input.trim();
  // Positions count characters as seen (code points), so non-ASCII input is split into code points.
  const typed: ArrayLike<string> = isAscii(trimmed) ? trimmed : [...trimmed];
  const length = typed.length;
  let form: RobotIdForm;
  if (length === CANONICAL_LENGTH) form = 'canonical';
  else if (length === PRINTED_LENGTH) form = 'printed';
  else if (length === DISPLAY_LENGTH) form = 'display';
  else throw wrongLength(Array.from(typed), field);

  const display = form === 'display';
  if (display) {
    for (const h of DISPLAY_HYPHENS) {
      if (typed[h] !== '-') {
        const message = `hyphen expected at position ${h + 1}`;
        throw invalid('invalid-robot-id', message, [{ field, message, position: h + 1 }]);
      }
    }
  }

  // Check the 29 or 31 characters outside the display form's hyphens.
  const count = form === 'canonical' ? CANONICAL_LENGTH : PRINTED_LENGTH;
  let issues: FieldIssue[] | undefined;
  for (let i = 0; i < count; i++) {
    const at = display ? i + (i < 2 ? 0 : i < 6 ? 1 : i < 12 ? 2 : i < 29 ? 3 : 4) : i;
    let code = trimmed.charCodeAt(at); // only meaningful for ASCII input; anything else fails below
    if (code >= 0x61 && code <= 0x7a) code -= 0x20;
    if (typed === trimmed && ((TABLE_AT[i] ?? COUNTRY_LETTER)[code] ?? -1) >= 0) continue;
    const c = typed[at] ?? '';
    const spec = PART_AT[i] ?? CHECK;
    const why = characterProblem(c, asciiUpper(c), spec.kind);
    if (why !== undefined)
      (issues ??= []).push({
        field,
        message: characterMessage(c, at + 1, spec.label, why),
        position: at + 1,
      });
  }
  // Every character passed, so the input is ASCII and upper-casing it changes nothing but a-z.
  const upper = trimmed.toUpperCase();
  const country = upper.slice(0, 2);
  if (
    !issues?.some((issue) => issue.position !== undefined && issue.position <= 2) &&
    !isCountryCode(country)
  )
    (issues ??= []).unshift({ field, message: countryMessage(country) });
  if (issues !== undefined) throw invalid('invalid-robot-id', firstMessage(issues), issues);

  const g = display ? DISPLAY_GROUP_STARTS : COMPACT_GROUP_STARTS;
  const id = build(
    country,
    upper.slice(g[1], g[1] + 4),
    upper.slice(g[2], g[2] + 6),
    upper.slice(g[3], g[3] + 17),
    form,
  );
  if (form !== 'canonical') {
    const got = upper.slice(g[4]);
    if (got !== id.check) {
      const message = `check characters do not match (expected ${id.check}, got ${got}): the code was probably mistyped`;
      throw invalid('invalid-robot-id', message, [{ field, message }]);
    }
  }
  return id;
}

// ---------------------------------------------------------------------------------------------------------------
// Allocation helpers

/**
 * Enterprise code for the registry's sequence number `n` (1..33^4-1 = 1,185,920): `n` in base 33 over
 * `0123456789ABCDEFGHJKLMNPRSTUVWXYZ`, zero-padded to 4 characters (1 -> `0001`, 33 -> `0010`).
 */
export function enterpriseCodeFor(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_ENTERPRISE_SEQUENCE) {
    const message = `enterprise sequence number must be an integer from 1 to ${MAX_ENTERPRISE_SEQUENCE}, got ${n}`;
    throw invalid('invalid-enterprise-sequence', message, [{ field: 'sequence', message }]);
  }
  let code = '';
  for (let i = 0, rest = n; i < ENTERPRISE_LENGTH; i++, rest = Math.floor(rest / 33))
    code = ALLOCATED_ALPHABET.charAt(rest % 33) + code;
  return code;
}

/** Inverse of {@link enterpriseCodeFor}: the sequence number of an enterprise code (`0000` has none). */
export function enterpriseSequenceOf(code: string, field = 'enterprise'): number {
  const upper = validateEnterpriseCode(code, field);
  let n = 0;
  for (let i = 0; i < upper.length; i++) n = n * 33 + (ALLOCATED_VALUE[upper.charCodeAt(i)] ?? 0);
  if (n === 0) {
    const message = `enterprise code '0000' is never allocated (sequence numbers start at 1)`;
    throw invalid(PART_ERROR_CODES.enterprise, message, [{ field, message }]);
  }
  return n;
}

/** Serials of this form are reserved for registry issuance. */
export const REGISTRY_SERIAL_PATTERN = /^R[0-9]{16}$/;

/** Registry-issued serial number `n` (1..10^16-1): `R` + 16 zero-padded decimal digits. */
export function registrySerial(n: bigint | number): string {
  const ok = typeof n === 'bigint' ? n >= 1n && n <= MAX_REGISTRY_SERIAL : Number.isSafeInteger(n) && n >= 1; // 2^53 < 10^16
  if (!ok) {
    const message = `registry serial number must be an integer from 1 to ${MAX_REGISTRY_SERIAL}, got ${n}`;
    throw invalid('invalid-registry-serial', message, [{ field: 'serial', message }]);
  }
  return 'R' + n.toString().padStart(16, '0');
}

/** Whether a serial (case-insensitive) is of the registry-reserved form `R` + 16 digits. */
export const isRegistrySerial = (serial: string): boolean =>
  REGISTRY_SERIAL_PATTERN.test(serial.toUpperCase());

// ---------------------------------------------------------------------------------------------------------------
// Explanation (offline `robotid id check`)

export interface RobotIdPartExplanation {
  name: 'country' | 'enterprise code' | 'model code' | 'serial' | 'check characters';
  value: string;
  meaning: string;
}

export type RobotIdExplanation =
  { ok: true; parsed: RobotId; parts: RobotIdPartExplanation[] } | { ok: false; error: DomainError };

/** Parses `input` and explains each part, or returns the parse error (other errors are thrown). */
export function explainRobotId(input: string): RobotIdExplanation {
  let parsed: RobotId;
  try {
    parsed = parseRobotId(input);
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error };
    throw error;
  }
  const en = countryName(parsed.country, 'en') ?? parsed.country;
  const zh = countryName(parsed.country, 'zh');
  const sequence = parsed.enterprise === '0000' ? undefined : enterpriseSequenceOf(parsed.enterprise);
  const registry = isRegistrySerial(parsed.serial);
  return {
    ok: true,
    parsed,
    parts: [
      { name: 'country', value: parsed.country, meaning: zh === undefined ? en : `${en} (${zh})` },
      {
        name: 'enterprise code',
        value: parsed.enterprise,
        meaning:
          sequence === undefined
            ? 'manufacturer, allocated by the registry'
            : `manufacturer, allocated by the registry (enterprise no. ${sequence})`,
      },
      {
        name: 'model code',
        value: parsed.model,
        meaning: "the manufacturer's model, registered with the registry",
      },
      {
        name: 'serial',
        value: parsed.serial,
        meaning: registry
          ? `registry-issued (serial no. ${parsed.serial.slice(1).replace(/^0+(?=.)/, '')})`
          : "manufacturer's own numbering",
      },
      {
        name: 'check characters',
        value: parsed.check,
        meaning:
          parsed.form === 'canonical'
            ? 'not given (canonical form); computed with ISO/IEC 7064 MOD 1271-36'
            : 'ISO/IEC 7064 MOD 1271-36: correct',
      },
    ],
  };
}
