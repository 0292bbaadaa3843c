/**
 * Organisation registration numbers.
 *
 * Chinese organisations are identified by their unified social credit code (统一社会信用代码, GB 32100-2015):
 * 18 characters over a 31-character alphabet, laid out as
 *
 *   1     registration management department (REGISTRATION_AUTHORITIES)
 *   2     organisation category within that department
 *   3–8   administrative division code (GB/T 2260), six digits
 *   9–17  organisation code (GB 11714) — its own check character is only present for some code classes
 *   18    check character over positions 1–17
 *
 * We enforce what the standard mandates for every code: length, alphabet, the department and category code
 * tables, the digits of the division code and the check character. The embedded GB 11714 check is deliberately
 * not enforced.
 *
 * Organisations registered elsewhere carry whatever number their registry issues; for those we only check a
 * conservative character set and length.
 */
import { invalid, type FieldIssue } from '../errors.js';

/** The 31 characters of GB 32100-2015, in value order (0–30). The letters I, O, Z, S and V are not used. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights of positions 1–17: 3^(i-1) mod 31. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * Position 1 (registration management department) and the position-2 category codes assigned under each. GB
 * 32100-2015 table 1 assigns 1 (institutional staffing: organs 1, public institutions 2, mass organisations 3,
 * other 9), 5 (civil affairs: social organisations 1, private non-enterprise units 2, foundations 3, other 9),
 * 9 (market regulation: enterprises 1, individual businesses 2, farmers' cooperatives 3) and Y (other: 1). The
 * departments admitted since under the standard's rule for new ones issue codes too: 2 foreign affairs, 3 justice
 * (law firms 31, notaries 32, …), 4 culture, 6 tourism, 7 religious affairs, 8 trade unions, A the military
 * staffing office and N agriculture (rural collective economic organisations).
 */
export const REGISTRATION_AUTHORITIES: Readonly<Record<string, { name: string; categories: string }>> = {
  '1': { name: 'institutional staffing (机构编制)', categories: '1239' },
  '2': { name: 'foreign affairs (外交)', categories: '19' },
  '3': { name: 'justice (司法行政)', categories: '123459' },
  '4': { name: 'culture (文化)', categories: '19' },
  '5': { name: 'civil affairs (民政)', categories: '1239' },
  '6': { name: 'tourism (旅游)', categories: '129' },
  '7': { name: 'religious affairs (宗教)', categories: '129' },
  '8': { name: 'trade unions (工会)', categories: '19' },
  '9': { name: 'market regulation (工商)', categories: '123' },
  A: { name: 'military staffing (中央军委改革和编制办公室)', categories: '19' },
  N: { name: 'agriculture (农业)', categories: '1239' },
  Y: { name: 'other (其他)', categories: '1' },
};

const CREDIT_CODE_LENGTH = 18;
const ERROR_CODE = 'invalid-registration-number';
/** At most this many bad characters are reported one by one; garbage input must not produce a huge error. */
const MAX_CHARACTER_ISSUES = 10;

/** Characters people commonly type for one that the alphabet excludes. */
const LOOKALIKES: Readonly<Record<string, string>> = { O: '0', I: '1' };

/** A character as it should appear in a message: quoted if printable, as U+XXXX if not. */
function show(char: string): string {
  const cp = char.codePointAt(0) ?? 0;
  if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char)) return `'${char}'`;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Number of characters (code points) `trim()` removes from the start: positions are reported in the raw input. */
function leadingTrimmed(value: string): number {
  return Array.from(value).length - Array.from(value.trimStart()).length;
}

function fail(issues: FieldIssue[], summary: string): never {
  const first = issues[0];
  const where = first?.position === undefined ? '' : ` (position ${first.position})`;
  throw invalid(ERROR_CODE, first ? `${summary}: ${first.message}${where}` : summary, issues);
}

/**
 * Characters (code points) of the input, each folded on its own: NFKC (full-width `９１` as typed with a Chinese
 * input method become `91`) and upper case. Folding per character keeps positions aligned with the input.
 */
function foldChars(value: string): string[] {
  return Array.from(value).map((c) => c.normalize('NFKC').toUpperCase());
}

/**
 * The check character (position 18) for the first 17 characters of a unified social credit code.
 * Lower-case and full-width input is accepted. Throws `invalid-registration-number` when the input is not 17 characters of the
 * alphabet.
 */
export function creditCodeCheckCharacter(first17: string): string {
  const chars = foldChars(first17);
  if (chars.length !== CREDIT_CODE_LENGTH - 1) {
    throw invalid(ERROR_CODE, `expected the first 17 characters of a credit code, got ${chars.length}`, [
      { field: 'registrationNumber', message: `must be 17 characters, got ${chars.length}` },
    ]);
  }
  let sum = 0;
  chars.forEach((char, i) => {
    const value = CREDIT_CODE_ALPHABET.indexOf(char);
    if (value < 0 || char.length !== 1) {
      throw invalid(
        ERROR_CODE,
        `character ${show(char)} at position ${i + 1} is not in the credit code alphabet`,
        [{ field: 'registrationNumber', message: `${show(char)} is not allowed`, position: i + 1 }],
      );
    }
    sum += value * (WEIGHTS[i] ?? 0);
  });
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_ALPHABET.charAt(check);
}

/**
 * Validates a unified social credit code (GB 32100-2015) and returns it normalised (trimmed, upper-cased,
 * full-width characters folded to ASCII).
 * Throws `invalid('invalid-registration-number', …)` with one field issue per fault; positions are 1-based and
 * count characters of the value as given (leading whitespace included).
 */
export function validateCreditCode(value: string, field = 'registrationNumber'): string {
  const summary = 'invalid unified social credit code';
  if (typeof value !== 'string' || value.trim() === '') {
    fail([{ field, message: 'is required' }], summary);
  }
  const offset = leadingTrimmed(value);
  const raw = Array.from(value.trim());
  const chars = foldChars(value.trim());

  // Alphabet first: a stray character is the most precise thing we can point at, even when the length is off too.
  const issues: FieldIssue[] = [];
  chars.forEach((char, i) => {
    if (char.length === 1 && CREDIT_CODE_ALPHABET.includes(char)) return;
    if (issues.length >= MAX_CHARACTER_ISSUES) return;
    const original = raw[i] ?? char;
    const hint = LOOKALIKES[char] ? `; did you mean '${LOOKALIKES[char]}'?` : '';
    const excluded = /^[IOZSV]$/.test(char)
      ? ' (the letters I, O, Z, S and V are not used in credit codes)'
      : '';
    issues.push({
      field,
      message: `character ${show(original)} is not allowed${excluded}${hint}`,
      position: offset + i + 1,
    });
  });
  if (chars.length !== CREDIT_CODE_LENGTH) {
    issues.push({ field, message: `must be exactly ${CREDIT_CODE_LENGTH} characters, got ${chars.length}` });
  }
  if (issues.length > 0) fail(issues, summary);

  const code = chars.join('');
  issues.push(...codeTableIssues(code, field, offset));
  for (let i = 2; i < 8; i++) {
    const char = code.charAt(i);
    if (!/^[0-9]$/.test(char)) {
      issues.push({
        field,
        message: `character '${char}' is not a digit: positions 3–8 are the administrative division code`,
        position: offset + i + 1,
      });
    }
  }
  if (issues.length > 0) fail(issues, summary);

  const expected = creditCodeCheckCharacter(code.slice(0, 17));
  const actual = code.charAt(17);
  if (actual !== expected) {
    fail(
      [
        {
          field,
          message: `check character is ${actual}, expected ${expected}: the code was probably mistyped`,
          position: offset + CREDIT_CODE_LENGTH,
        },
      ],
      summary,
    );
  }
  return code;
}

/** Positions 1 and 2 against the code tables: a department that issues codes, a category it assigns. */
function codeTableIssues(code: string, field: string, offset: number): FieldIssue[] {
  const department = code.charAt(0);
  const authority = REGISTRATION_AUTHORITIES[department];
  if (!authority) {
    const known = Object.keys(REGISTRATION_AUTHORITIES).join(', ');
    return [
      {
        field,
        message: `'${department}' is not a registration department code (position 1 is one of ${known})`,
        position: offset + 1,
      },
    ];
  }
  const category = code.charAt(1);
  if (authority.categories.includes(category)) return [];
  return [
    {
      field,
      message:
        `'${category}' is not an organisation category of department ${department}, ${authority.name} ` +
        `(position 2 is one of ${[...authority.categories].join(', ')})`,
      position: offset + 2,
    },
  ];
}

const FOREIGN_MAX_LENGTH = 64;
const FOREIGN_ALLOWED = /^[A-Za-z0-9 ./-]$/;

/**
 * Validates the registration number of an organisation registered outside China (company number, HRB number,
 * EIN, …): 1–64 characters of `A–Z a–z 0–9`, space, `-`, `/` and `.`, with at least one letter or digit.
 * Returns the trimmed value; case and inner spacing are kept as issued by the foreign registry.
 */
export function validateForeignRegistrationNumber(value: string, field = 'registrationNumber'): string {
  const summary = 'invalid registration number';
  if (typeof value !== 'string' || value.trim() === '') {
    fail([{ field, message: 'is required' }], summary);
  }
  const offset = leadingTrimmed(value);
  const trimmed = value.trim();
  const chars = Array.from(trimmed);
  const issues: FieldIssue[] = [];
  chars.forEach((char, i) => {
    if (FOREIGN_ALLOWED.test(char) || issues.length >= MAX_CHARACTER_ISSUES) return;
    issues.push({
      field,
      message: `character ${show(char)} is not allowed: use letters A–Z, digits, space, '-', '/' or '.'`,
      position: offset + i + 1,
    });
  });
  if (chars.length > FOREIGN_MAX_LENGTH) {
    issues.push({ field, message: `must be at most ${FOREIGN_MAX_LENGTH} characters, got ${chars.length}` });
  }
  if (issues.length === 0 && !/[A-Za-z0-9]/.test(trimmed)) {
    issues.push({ field, message: 'must contain at least one letter or digit' });
  }
  if (issues.length > 0) fail(issues, summary);
  return trimmed;
}
