// A robot ID checked as it is typed (docs/id-format.md): the console's port of the registry's codec
// (src/domain/id), which it may not import. Spaces and hyphens are ignored and letters may be lower case, so the
// printed form (31 characters) and the display form (CN-XXXX-XXXXXX-XXXXXXXXXXXXXXXXX-CC) both work; the two check
// characters (ISO/IEC 7064 MOD 1271-36) catch every single wrong character and every swap of neighbours before the
// registry is asked. test/console/robot-id.test.ts holds it to the registry's codec with vectors. The country code
// is checked as two letters only: which codes exist is the registry's list.

const CHECK_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** As a VIN: no I, O or Q in the enterprise code, model code and serial. */
const ALLOCATED_ALPHABET = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export const PRINTED_LENGTH = 31;
const CANONICAL_LENGTH = 29;
/** Where the groups of the display form begin in the printed form: country, enterprise, model, serial, check. */
const GROUP_STARTS = [0, 2, 6, 12, 29, 31];

type Part = 'country' | 'enterprise' | 'model' | 'serial' | 'check';
const PARTS: Part[] = ['country', 'enterprise', 'model', 'serial', 'check'];

const partAt = (i: number): Part =>
  PARTS[GROUP_STARTS.findIndex((start, g) => i >= start && i < GROUP_STARTS[g + 1]!)]!;
const alphabetOf = (part: Part) =>
  part === 'country' ? LETTERS : part === 'check' ? CHECK_ALPHABET : ALLOCATED_ALPHABET;

/** The two check characters of the 29 characters before them (ISO/IEC 7064 MOD 1271-36, pure system). */
export function checkCharacters(canonical: string): string {
  let p = 0;
  for (const c of canonical) p = ((p + CHECK_ALPHABET.indexOf(c)) * 36) % 1271;
  p = (p * 36) % 1271;
  const checksum = (1271 + 1 - p) % 1271;
  return CHECK_ALPHABET[Math.floor(checksum / 36)]! + CHECK_ALPHABET[checksum % 36]!;
}

export type IdCheck =
  | { status: 'empty' }
  /** Every character so far is allowed where it stands; more are needed. */
  | { status: 'incomplete'; length: number }
  /** A character not allowed in its part (1-based position, without spaces and hyphens). */
  | { status: 'bad-character'; position: number; character: string; part: Part }
  | { status: 'too-long'; length: number }
  /** All characters allowed, but the check characters are not those of the rest: a typing mistake. */
  | { status: 'wrong-check' }
  | { status: 'valid'; canonical: string; printed: string; display: string };

/** What `input` is so far. */
export function checkRobotId(input: string): IdCheck {
  const compact = input.replace(/[\s-]+/g, '').toUpperCase();
  if (compact === '') return { status: 'empty' };
  for (let i = 0; i < Math.min(compact.length, PRINTED_LENGTH); i++) {
    const part = partAt(i);
    if (!alphabetOf(part).includes(compact[i]!))
      return { status: 'bad-character', position: i + 1, character: compact[i]!, part };
  }
  if (compact.length > PRINTED_LENGTH) return { status: 'too-long', length: compact.length };
  if (compact.length < PRINTED_LENGTH) return { status: 'incomplete', length: compact.length };
  const canonical = compact.slice(0, CANONICAL_LENGTH);
  if (checkCharacters(canonical) !== compact.slice(CANONICAL_LENGTH)) return { status: 'wrong-check' };
  const groups = GROUP_STARTS.slice(0, -1).map((start, g) => compact.slice(start, GROUP_STARTS[g + 1]));
  return { status: 'valid', canonical, printed: compact, display: groups.join('-') };
}

/**
 * The robot ID a label's QR code carries: the resolvable URL `<registry>/r/<printed ID>` (or, from older or other
 * labels, the bare ID). Undefined when the text holds no valid ID, so that a stray QR code opens nothing.
 */
export function idFromQrText(text: string): string | undefined {
  const trimmed = text.trim();
  let candidate = trimmed;
  const path = /\/r\/([^/?#\s]+)/.exec(trimmed);
  if (path) {
    try {
      candidate = decodeURIComponent(path[1]!);
    } catch {
      return undefined;
    }
  }
  const check = checkRobotId(candidate);
  return check.status === 'valid' ? check.printed : undefined;
}
