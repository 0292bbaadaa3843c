/**
 * ISO/IEC 7064 MOD 1271-36: pure system, modulus M = 1271, radix r = 36, two check characters from `0-9A-Z`
 * (character values 0..35). Detects every single substitution, every adjacent transposition and every jump
 * transposition (abc -> cba); see docs/id-format.md for why.
 *
 * These functions work on upper-case strings only and are tight loops over a lookup table (no regex, no BigInt):
 * computing the check characters of a 29-character ID costs well under a microsecond.
 */
import { invalid } from '../errors.js';
import { CHECK_ALPHABET, CHECK_VALUE } from './alphabet.js';

export const MOD1271_36_MODULUS = 1271;
export const MOD1271_36_RADIX = 36;

const M = MOD1271_36_MODULUS;
const R = MOD1271_36_RADIX;
// Module-local aliases keep the hot loops free of imported-binding lookups (which some loaders turn into getters).
const VALUE = CHECK_VALUE;
const ALPHABET = CHECK_ALPHABET;

function badCharacter(s: string, i: number) {
  const c = String.fromCodePoint(s.codePointAt(i) ?? 0);
  return invalid(
    'invalid-character',
    `character '${c}' at position ${i + 1} is not in the ISO/IEC 7064 alphabet 0-9A-Z (upper case)`,
    [{ field: 'value', message: `character '${c}' is not in 0-9A-Z`, position: i + 1 }],
  );
}

/**
 * The check value (0..1270) that, appended as two characters, makes `s` valid.
 * Throws a DomainError `invalid-character` for anything outside `0-9A-Z`.
 */
export function mod1271_36Checksum(s: string): number {
  let p = 0;
  for (let i = 0; i < s.length; i++) {
    const v = VALUE[s.charCodeAt(i)] ?? -1;
    if (v < 0) throw badCharacter(s, i);
    p = ((p + v) * R) % M;
  }
  p = (p * R) % M;
  return (M + 1 - p) % M;
}

/** The two check characters for `s` (upper-case `0-9A-Z`). */
export function mod1271_36CheckCharacters(s: string): string {
  const checksum = mod1271_36Checksum(s);
  return ALPHABET.charAt(Math.floor(checksum / R)) + ALPHABET.charAt(checksum % R);
}

/**
 * Whether `s` (data followed by its two check characters) satisfies the ISO/IEC 7064 validation rule
 * `sum(v_i * 36^(n-i)) mod 1271 === 1`. Returns false for characters outside `0-9A-Z` or strings shorter than 3.
 *
 * Note: a pair of check characters encodes 0..1295, so the pairs for 1271..1295 (`ZB`..`ZZ`) satisfy this rule as
 * aliases of `00`..`0O`. The computation above never produces them; a strict parser compares the check
 * characters with the computed ones instead of relying on this rule alone.
 */
export function mod1271_36IsValid(s: string): boolean {
  if (s.length < 3) return false;
  let p = 0;
  for (let i = 0; i < s.length; i++) {
    const v = VALUE[s.charCodeAt(i)] ?? -1;
    if (v < 0) return false;
    p = (p * R + v) % M;
  }
  return p === 1;
}
