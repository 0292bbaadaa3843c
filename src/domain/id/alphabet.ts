/**
 * Character sets of the robot ID.
 *
 * - `CHECK_ALPHABET` (36 characters, `0-9A-Z`) is the ISO/IEC 7064 alphabet: every character of the ID has the
 *   value of its index here when the check characters are computed, and the check characters themselves are drawn
 *   from it (so they can be I, O or Q).
 * - `ALLOCATED_ALPHABET` (33 characters) is used for the enterprise code, model code and serial. Like a VIN it
 *   leaves out I, O and Q, which are too easily read as 1 and 0.
 */

export const CHECK_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const ALLOCATED_ALPHABET = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';

/** Letters never used in allocated parts. */
export const EXCLUDED_LETTERS = 'IOQ';

/** Value of each ASCII code point in {@link CHECK_ALPHABET}, or -1 (upper case only). */
export const CHECK_VALUE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < CHECK_ALPHABET.length; i++) table[CHECK_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Value of each ASCII code point in {@link ALLOCATED_ALPHABET}, or -1 (upper case only). */
export const ALLOCATED_VALUE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALLOCATED_ALPHABET.length; i++) table[ALLOCATED_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

export const isAllocatedChar = (c: string): boolean =>
  c.length === 1 && (ALLOCATED_VALUE[c.charCodeAt(0)] ?? -1) >= 0;

export const isCheckChar = (c: string): boolean =>
  c.length === 1 && (CHECK_VALUE[c.charCodeAt(0)] ?? -1) >= 0;
