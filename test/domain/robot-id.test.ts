import { test } from 'node:test';
import assert from 'node:assert/strict';
import countries from 'i18n-iso-countries/index.js';
import { DomainError } from '../../src/domain/errors.js';
import {
  ALLOCATED_ALPHABET,
  CHECK_ALPHABET,
  ISO_3166_ALPHA2,
  MAX_ENTERPRISE_SEQUENCE,
  checkCharacters,
  countryName,
  enterpriseCodeFor,
  enterpriseSequenceOf,
  explainRobotId,
  formatRobotId,
  isCountryCode,
  isRegistrySerial,
  mod1271_36IsValid,
  parseRobotId,
  registrySerial,
  validateCountryCode,
  validateEnterpriseCode,
  validateManufacturerSerial,
  validateModelCode,
  validateSerial,
} from '../../src/domain/id/index.js';
import type { RobotId } from '../../src/domain/id/index.js';
import { prng } from '../support/prng.js';
import { thrownInvalid } from '../support/errors.js';

// Example 1 of docs/id-format.md. The running value p = ((p + v) * 36) mod 1271 over the 29 characters:
//   C=12: (0 + 12) * 36 = 432;  N=23: (432 + 23) * 36 = 16380 = 12 * 1271 + 1128 -> 1128
//   0: 1128 * 36 = 40608 = 31 * 1271 + 1207 -> 1207;  0: 1207 * 36 = 43452 = 34 * 1271 + 238 -> 238
//   ... (the full table is in the docs) ... after the last character p = 1057, then
//   p = 1057 * 36 = 38052 = 29 * 1271 + 1193 -> 1193; checksum = 1272 - 1193 = 79 = 2 * 36 + 7 -> '2', '7'.
const EX1 = 'CN0001H00001R0000000000000001';
// Example 2: a country code with I and check characters with I.
const EX2 = 'IN07BEWALK3R2026A000000123467';

function randomId(random: () => number): RobotId {
  const pick = (alphabet: string, n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet.charAt(Math.floor(random() * alphabet.length));
    return s;
  };
  const country = ISO_3166_ALPHA2[Math.floor(random() * ISO_3166_ALPHA2.length)] ?? 'CN';
  const serial =
    random() < 0.2 ? registrySerial(1 + Math.floor(random() * 1e15)) : pick(ALLOCATED_ALPHABET, 17);
  return formatRobotId({
    country,
    enterprise: pick(ALLOCATED_ALPHABET, 4),
    model: pick(ALLOCATED_ALPHABET, 6),
    serial,
  });
}

/** Asserts that `fn` throws DomainError `code` whose first issue has this message (exact or pattern) and position. */
function assertInvalid(
  fn: () => unknown,
  code: string,
  message: string | RegExp,
  position?: number,
  field = 'robotId',
): DomainError {
  const caught = thrownInvalid(fn, code);
  const issue = caught.fields[0];
  assert.ok(issue, 'expected a field issue');
  if (typeof message === 'string') assert.equal(issue.message, message);
  else assert.match(issue.message, message);
  assert.ok(caught.message.startsWith(issue.message), 'error message starts with the first issue');
  assert.equal(issue.position, position);
  assert.equal(issue.field, field);
  return caught;
}

const LENGTH_HELP = 'expected 29 (canonical), 31 (with check characters) or 35 (display form)';

// ---------------------------------------------------------------------------------------------------------------

test('known check characters', () => {
  assert.equal(checkCharacters(EX1), '27');
  assert.equal(checkCharacters(EX2), 'IU');
  assert.equal(checkCharacters('CN0001M0000100000000000000001'), 'MM');
  assert.equal(checkCharacters(EX1.toLowerCase()), '27');
  assert.equal(mod1271_36IsValid(`${EX1}27`), true);
  assert.equal(mod1271_36IsValid(`${EX2}IU`), true);
});

test('checkCharacters validates its input', () => {
  assertInvalid(
    () => checkCharacters(`${EX1}27`),
    'invalid-robot-id',
    /^wrong length: 31 characters/,
    undefined,
    'canonical',
  );
  assertInvalid(
    () => checkCharacters('CN0001HO0001R0000000000000001'),
    'invalid-robot-id',
    "character 'O' at position 8 (model code) is not allowed: the letters I, O and Q are never used",
    8,
    'canonical',
  );
});

test('the three forms parse to the same ID', () => {
  const canonical = parseRobotId(EX1);
  const printed = parseRobotId(`${EX1}27`);
  const display = parseRobotId('CN-0001-H00001-R0000000000000001-27');
  for (const id of [canonical, printed, display]) {
    assert.equal(id.canonical, EX1);
    assert.equal(id.printed, `${EX1}27`);
    assert.equal(id.display, 'CN-0001-H00001-R0000000000000001-27');
    assert.equal(id.country, 'CN');
    assert.equal(id.enterprise, '0001');
    assert.equal(id.model, 'H00001');
    assert.equal(id.serial, 'R0000000000000001');
    assert.equal(id.check, '27');
  }
  assert.deepEqual([canonical.form, printed.form, display.form], ['canonical', 'printed', 'display']);
  assert.equal(parseRobotId('IN-07BE-WALK3R-2026A000000123467-IU').canonical, EX2);
});

test('lower case and surrounding whitespace are accepted', () => {
  assert.equal(parseRobotId('cn-0001-h00001-r0000000000000001-27').printed, `${EX1}27`);
  assert.equal(parseRobotId(`  ${EX2.toLowerCase()}iu\n`).printed, `${EX2}IU`);
  assert.equal(parseRobotId(`\t${EX1}\r\n`).form, 'canonical');
  assert.equal(parseRobotId('In07bEwalk3r2026a000000123467Iu').canonical, EX2);
});

test('wrong length', () => {
  assertInvalid(
    () => parseRobotId(`${EX1}2`),
    'invalid-robot-id',
    `wrong length: 30 characters; ${LENGTH_HELP}`,
  );
  assertInvalid(() => parseRobotId(''), 'invalid-robot-id', `wrong length: 0 characters; ${LENGTH_HELP}`);
  assertInvalid(() => parseRobotId('   '), 'invalid-robot-id', `wrong length: 0 characters; ${LENGTH_HELP}`);
  assertInvalid(
    () => parseRobotId(`${EX1}27X`),
    'invalid-robot-id',
    `wrong length: 32 characters; ${LENGTH_HELP}`,
  );
  // A display form with a short group says which group.
  assertInvalid(
    () => parseRobotId('CN-0001-H00001-R000000000000001-27'),
    'invalid-robot-id',
    `wrong length: 34 characters; ${LENGTH_HELP}; in the display form the serial has 17 characters, got 16`,
  );
  // A display form without its check characters.
  assertInvalid(
    () => parseRobotId('CN-0001-H00001-R0000000000000001'),
    'invalid-robot-id',
    `wrong length: 32 characters; ${LENGTH_HELP}; the display form has 5 groups separated by hyphens, found 4`,
  );
});

test('I, O and Q are rejected in each allocated part, with the position as typed', () => {
  const cases: [string, number, string][] = [
    ['CN0I01H00001R0000000000000001', 4, 'enterprise code'],
    ['CN0001HO0001R0000000000000001', 8, 'model code'],
    ['CN0001H0000QR0000000000000001', 12, 'model code'],
    ['CN0001H00001R00000000000000O1', 28, 'serial'],
    ['CN0001H00001R000000000000000Q', 29, 'serial'],
  ];
  for (const [input, position, part] of cases) {
    const letter = input.charAt(position - 1);
    assertInvalid(
      () => parseRobotId(input),
      'invalid-robot-id',
      `character '${letter}' at position ${position} (${part}) is not allowed: the letters I, O and Q are never used`,
      position,
    );
  }
  // Display form: positions count the hyphens; lower case is quoted as typed.
  assertInvalid(
    () => parseRobotId('CN-0001-o00001-R0000000000000001-27'),
    'invalid-robot-id',
    "character 'o' at position 9 (model code) is not allowed: the letters I, O and Q are never used",
    9,
  );
  assertInvalid(
    () => parseRobotId('CN-0001-H00001-R0000000000000I01-27'),
    'invalid-robot-id',
    "character 'I' at position 30 (serial) is not allowed: the letters I, O and Q are never used",
    30,
  );
  // Printed form: I, O and Q are fine as check characters, not in the serial.
  const e = assertInvalid(
    () => parseRobotId('IN07BEWALK3R2026A0000001234O7IU'),
    'invalid-robot-id',
    "character 'O' at position 28 (serial) is not allowed: the letters I, O and Q are never used",
    28,
  );
  assert.equal(e.fields.length, 1);
});

test('every bad character is listed, the message names the first', () => {
  const e = assertInvalid(
    () => parseRobotId('CN0001HO0001R000000000000000I'),
    'invalid-robot-id',
    "character 'O' at position 8 (model code) is not allowed: the letters I, O and Q are never used",
    8,
  );
  assert.deepEqual(
    e.fields.map((f) => f.position),
    [8, 29],
  );
  assert.match(e.message, /\(and 1 more\)$/);
});

test('country codes containing I, O or Q are accepted', () => {
  for (const country of ['IN', 'IO', 'QA', 'OM', 'IQ', 'IT', 'BO']) {
    const id = formatRobotId({ country, enterprise: '0001', model: 'H00001', serial: 'R0000000000000001' });
    assert.equal(parseRobotId(id.display).country, country);
    assert.equal(parseRobotId(id.printed.toLowerCase()).canonical, id.canonical);
  }
});

test('unknown or unassigned country codes are rejected', () => {
  for (const country of ['XX', 'UK', 'EU', 'XK', 'ZZ']) {
    assertInvalid(
      () => parseRobotId(`${country}0001H00001R0000000000000001`),
      'invalid-robot-id',
      `'${country}' is not an ISO 3166-1 country code`,
    );
  }
  assertInvalid(
    () => parseRobotId('xx-0001-H00001-R0000000000000001-27'),
    'invalid-robot-id',
    "'XX' is not an ISO 3166-1 country code",
  );
  assertInvalid(
    () => parseRobotId('C10001H00001R0000000000000001'),
    'invalid-robot-id',
    "character '1' at position 2 (country code) is not allowed: the country code is two letters",
    2,
  );
});

test('wrong check characters', () => {
  assertInvalid(
    () => parseRobotId(`${EX1}2X`),
    'invalid-robot-id',
    'check characters do not match (expected 27, got 2X): the code was probably mistyped',
  );
  // A typo in the body shows up as a check-character mismatch.
  assertInvalid(
    () => parseRobotId('CN-0001-H00001-R0000000000000010-27'),
    'invalid-robot-id',
    /^check characters do not match \(expected [0-9A-Z]{2}, got 27\): the code was probably mistyped$/,
  );
  assertInvalid(
    () => parseRobotId(`${EX1}2!`),
    'invalid-robot-id',
    "character '!' at position 31 (check characters) is not allowed: only letters A-Z and digits 0-9 are used",
    31,
  );
});

test('an alias pair that satisfies the bare 7064 rule is still rejected', () => {
  // Find an ID whose checksum is <= 24: its check pair is 0x and Z + (x + 11) also makes the sum ≡ 1.
  const random = prng(2024);
  for (;;) {
    const id = randomId(random);
    const value =
      CHECK_ALPHABET.indexOf(id.check.charAt(0)) * 36 + CHECK_ALPHABET.indexOf(id.check.charAt(1));
    if (value > 24) continue;
    const alias = value + 1271;
    const pair = CHECK_ALPHABET.charAt(Math.floor(alias / 36)) + CHECK_ALPHABET.charAt(alias % 36);
    assert.equal(mod1271_36IsValid(id.canonical + pair), true);
    assertInvalid(
      () => parseRobotId(id.canonical + pair),
      'invalid-robot-id',
      `check characters do not match (expected ${id.check}, got ${pair}): the code was probably mistyped`,
    );
    return;
  }
});

test('hyphens only in the display positions; no other separators', () => {
  assertInvalid(
    () => parseRobotId('CN_0001-H00001-R0000000000000001-27'),
    'invalid-robot-id',
    'hyphen expected at position 3',
    3,
  );
  assertInvalid(
    () => parseRobotId('CN-0001 H00001-R0000000000000001-27'),
    'invalid-robot-id',
    'hyphen expected at position 8',
    8,
  );
  assertInvalid(
    () => parseRobotId('CN-0001-H00001-R0000000000000001.27'),
    'invalid-robot-id',
    'hyphen expected at position 33',
    33,
  );
  // Hyphens shifted by one: first misplaced one is reported.
  assertInvalid(
    () => parseRobotId('CN-0001H-00001-R0000000000000001-27'),
    'invalid-robot-id',
    'hyphen expected at position 8',
    8,
  );
  // A hyphen in a 29- or 31-character input.
  assertInvalid(
    () => parseRobotId('CN-001H00001R0000000000000001'),
    'invalid-robot-id',
    "character '-' at position 3 (enterprise code) is not allowed: hyphens are only allowed between the groups of the display form",
    3,
  );
  // Spaces, dots and other characters.
  assertInvalid(
    () => parseRobotId('CN 001H00001R0000000000000001'),
    'invalid-robot-id',
    "character ' ' at position 3 (enterprise code) is not allowed: only letters A-Z and digits 0-9 are used",
    3,
  );
  assertInvalid(
    () => parseRobotId('CN0001H00001.0000000000000001'),
    'invalid-robot-id',
    "character '.' at position 13 (serial) is not allowed: only letters A-Z and digits 0-9 are used",
    13,
  );
  assertInvalid(
    () => parseRobotId('CN0001H00001R00000000000000\u00a01'),
    'invalid-robot-id',
    'character U+00A0 at position 28 (serial) is not allowed: only letters A-Z and digits 0-9 are used',
    28,
  );
  assertInvalid(
    () => parseRobotId('ＣN0001H00001R0000000000000001'),
    'invalid-robot-id',
    "character 'Ｃ' at position 1 (country code) is not allowed: full-width characters are not used; switch the input method to half-width",
    1,
  );
  // No Unicode case mapping: 'ſ'.toUpperCase() is 'S', 'ß' would become 'SS'.
  assertInvalid(
    () => parseRobotId('CN0001H00001R000000000000000ſ'),
    'invalid-robot-id',
    "character 'ſ' at position 29 (serial) is not allowed: only letters A-Z and digits 0-9 are used",
    29,
  );
});

test('the field name is a parameter', () => {
  assertInvalid(
    () => parseRobotId('nope', '/robots/3/id'),
    'invalid-robot-id',
    /^wrong length: 4/,
    undefined,
    '/robots/3/id',
  );
});

test('formatRobotId validates every part and returns all forms', () => {
  const id = formatRobotId({
    country: 'in',
    enterprise: '07be',
    model: 'walk3r',
    serial: '2026a000000123467',
  });
  assert.deepEqual(id, {
    canonical: EX2,
    printed: `${EX2}IU`,
    display: 'IN-07BE-WALK3R-2026A000000123467-IU',
    country: 'IN',
    enterprise: '07BE',
    model: 'WALK3R',
    serial: '2026A000000123467',
    check: 'IU',
    form: 'canonical',
  });
  const e = assertInvalid(
    () => formatRobotId({ country: 'XX', enterprise: '00I1', model: 'ABC', serial: '2026A000000123467' }),
    'invalid-robot-id',
    "'XX' is not an ISO 3166-1 country code",
    undefined,
    'country',
  );
  assert.deepEqual(
    e.fields.map((f) => [f.field, f.position]),
    [
      ['country', undefined],
      ['enterprise', 3],
      ['model', undefined],
    ],
  );
  assert.equal(e.fields[2]?.message, 'wrong length: the model code has 6 characters, got 3');
});

test('part validators: upper-case result, precise errors on the given field', () => {
  assert.equal(validateCountryCode('cn', 'country'), 'CN');
  assert.equal(validateCountryCode('io', 'country'), 'IO');
  assert.equal(validateEnterpriseCode('zz0a', 'enterprise'), 'ZZ0A');
  assert.equal(validateModelCode('walk3r', 'model'), 'WALK3R');
  assert.equal(validateSerial('r0000000000000001', 'serial'), 'R0000000000000001');

  assertInvalid(
    () => validateCountryCode('XK', 'hq'),
    'invalid-country-code',
    "'XK' is not an ISO 3166-1 country code",
    undefined,
    'hq',
  );
  assertInvalid(
    () => validateCountryCode('CHN', 'hq'),
    'invalid-country-code',
    'wrong length: the country code has 2 letters, got 3',
    undefined,
    'hq',
  );
  assertInvalid(
    () => validateCountryCode('C1', 'hq'),
    'invalid-country-code',
    "character '1' at position 2 (country code) is not allowed: the country code is two letters",
    2,
    'hq',
  );
  assertInvalid(
    () => validateEnterpriseCode('AB0Q', 'body/enterprise'),
    'invalid-enterprise-code',
    "character 'Q' at position 4 (enterprise code) is not allowed: the letters I, O and Q are never used",
    4,
    'body/enterprise',
  );
  assertInvalid(
    () => validateModelCode('WALK-R', 'm'),
    'invalid-model-code',
    "character '-' at position 5 (model code) is not allowed: hyphens are only allowed between the groups of the display form",
    5,
    'm',
  );
  assertInvalid(
    () => validateSerial('2026A00000012346', '/serials/3'),
    'invalid-serial',
    'wrong length: the serial has 17 characters, got 16',
    undefined,
    '/serials/3',
  );
  assertInvalid(
    () => validateSerial('2026A0000001234I7', '/serials/3'),
    'invalid-serial',
    "character 'I' at position 16 (serial) is not allowed: the letters I, O and Q are never used",
    16,
    '/serials/3',
  );
});

test('enterpriseCodeFor: base 33, zero-padded, order-preserving, with its inverse', () => {
  assert.equal(enterpriseCodeFor(1), '0001');
  assert.equal(enterpriseCodeFor(9), '0009');
  assert.equal(enterpriseCodeFor(10), '000A');
  assert.equal(enterpriseCodeFor(17), '000H');
  assert.equal(enterpriseCodeFor(18), '000J'); // I skipped
  assert.equal(enterpriseCodeFor(32), '000Z');
  assert.equal(enterpriseCodeFor(33), '0010');
  assert.equal(enterpriseCodeFor(8000), '07BE');
  assert.equal(MAX_ENTERPRISE_SEQUENCE, 33 ** 4 - 1);
  assert.equal(enterpriseCodeFor(MAX_ENTERPRISE_SEQUENCE), 'ZZZZ');
  assert.equal(enterpriseSequenceOf('ZZZZ'), 1185920);
  assert.equal(enterpriseSequenceOf('07be'), 8000);

  let previous = '';
  for (let n = 1; n <= 40000; n++) {
    const code = enterpriseCodeFor(n);
    assert.equal(enterpriseSequenceOf(code), n);
    assert.ok(code > previous, `${code} sorts after ${previous}`);
    previous = code;
  }
  const random = prng(33);
  for (let k = 0; k < 10000; k++) {
    const n = 1 + Math.floor(random() * MAX_ENTERPRISE_SEQUENCE);
    const code = enterpriseCodeFor(n);
    assert.match(code, /^[0-9A-HJ-NPR-Z]{4}$/);
    assert.equal(enterpriseSequenceOf(code), n);
  }

  for (const bad of [0, -1, 1.5, MAX_ENTERPRISE_SEQUENCE + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assertInvalid(
      () => enterpriseCodeFor(bad),
      'invalid-enterprise-sequence',
      `enterprise sequence number must be an integer from 1 to 1185920, got ${bad}`,
      undefined,
      'sequence',
    );
  }
  assertInvalid(
    () => enterpriseSequenceOf('0000'),
    'invalid-enterprise-code',
    "enterprise code '0000' is never allocated (sequence numbers start at 1)",
    undefined,
    'enterprise',
  );
  assertInvalid(
    () => enterpriseSequenceOf('00O1'),
    'invalid-enterprise-code',
    /letters I, O and Q/,
    3,
    'enterprise',
  );
});

test('registry serials: R + 16 zero-padded digits, reserved for the registry', () => {
  assert.equal(registrySerial(1), 'R0000000000000001');
  assert.equal(registrySerial(1234567890), 'R0000001234567890');
  assert.equal(registrySerial(Number.MAX_SAFE_INTEGER), 'R9007199254740991');
  assert.equal(registrySerial(9_999_999_999_999_999n), 'R9999999999999999');
  assert.equal(registrySerial(42n), 'R0000000000000042');
  for (const bad of [0, -5, 2.5, Number.MAX_SAFE_INTEGER + 1, 0n, 10_000_000_000_000_000n]) {
    assertInvalid(
      () => registrySerial(bad),
      'invalid-registry-serial',
      /^registry serial number must be an integer from 1 to 9999999999999999/,
      undefined,
      'serial',
    );
  }
  assert.equal(validateSerial(registrySerial(7), 'serial'), 'R0000000000000007');

  assert.equal(isRegistrySerial('R0000000000000001'), true);
  assert.equal(isRegistrySerial('r0000000000000001'), true);
  assert.equal(isRegistrySerial('R000000000000000A'), false);
  assert.equal(isRegistrySerial('S0000000000000001'), false);
  assert.equal(isRegistrySerial('R000000000000001'), false);

  assert.equal(validateManufacturerSerial('2026a000000123467', 'serial'), '2026A000000123467');
  assertInvalid(
    () => validateManufacturerSerial('r0000000000000001', '/serials/0'),
    'reserved-serial',
    "serial 'R0000000000000001' is reserved: serials of the form R + 16 digits are issued only by the registry",
    undefined,
    '/serials/0',
  );
});

test('country list: the 249 assigned ISO 3166-1 codes, names in English and Chinese', () => {
  assert.equal(ISO_3166_ALPHA2.length, 249);
  const fromPackage = Object.keys(countries.getAlpha2Codes())
    .filter((code) => code !== 'XK') // Kosovo: user-assigned, not an ISO code
    .sort();
  assert.deepEqual([...ISO_3166_ALPHA2], fromPackage);
  for (const code of ISO_3166_ALPHA2) {
    assert.equal(isCountryCode(code), true);
    assert.ok(countryName(code, 'en'), `${code} has an English name`);
    assert.ok(countryName(code, 'zh'), `${code} has a Chinese name`);
  }
  assert.equal(countryName('CN', 'zh'), '中国');
  assert.equal(countryName('de', 'en'), 'Germany');
  assert.equal(countryName('XK', 'en'), undefined);
  assert.equal(isCountryCode('cn'), false); // upper case only
});

test('explainRobotId', () => {
  const ok = explainRobotId('cn-0001-h00001-r0000000000000001-27');
  assert.ok(ok.ok);
  assert.equal(ok.parsed.printed, `${EX1}27`);
  assert.deepEqual(ok.parts, [
    { name: 'country', value: 'CN', meaning: "People's Republic of China (中国)" },
    {
      name: 'enterprise code',
      value: '0001',
      meaning: 'manufacturer, allocated by the registry (enterprise no. 1)',
    },
    {
      name: 'model code',
      value: 'H00001',
      meaning: "the manufacturer's model, registered with the registry",
    },
    { name: 'serial', value: 'R0000000000000001', meaning: 'registry-issued (serial no. 1)' },
    { name: 'check characters', value: '27', meaning: 'ISO/IEC 7064 MOD 1271-36: correct' },
  ]);

  const own = explainRobotId(EX2);
  assert.ok(own.ok);
  assert.equal(own.parts[0]?.meaning, 'India (印度)');
  assert.equal(own.parts[1]?.meaning, 'manufacturer, allocated by the registry (enterprise no. 8000)');
  assert.equal(own.parts[3]?.meaning, "manufacturer's own numbering");
  assert.equal(own.parts[4]?.value, 'IU');
  assert.equal(own.parts[4]?.meaning, 'not given (canonical form); computed with ISO/IEC 7064 MOD 1271-36');

  const bad = explainRobotId(`${EX1}2X`);
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.error instanceof DomainError);
  assert.ok(!bad.ok && bad.error.message.startsWith('check characters do not match (expected 27, got 2X)'));
});

/** Whether parseRobotId rejects `s` with a DomainError (a try/catch: assert.throws is slow over a million calls). */
function parseRejects(s: string): boolean {
  try {
    parseRobotId(s);
    return false;
  } catch (error) {
    if (error instanceof DomainError) return true;
    throw error;
  }
}

test('property (seeded): every single substitution, adjacent and jump transposition is detected', (t) => {
  // Over a million rejected parses: capturing a stack trace for each would dominate the run time.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  t.after(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });
  const seed = 0x5eed1271;
  const random = prng(seed);
  const ids = 1000;
  let substitutions = 0;
  let adjacent = 0;
  let jumps = 0;
  for (let k = 0; k < ids; k++) {
    const id = randomId(random);
    const s = id.printed;
    const where = (what: string) => `seed ${seed}, id #${k} ${s}: ${what}`;
    assert.equal(mod1271_36IsValid(s), true, where('valid'));
    assert.equal(parseRobotId(s).canonical, id.canonical);

    for (let i = 0; i < s.length; i++) {
      for (const c of CHECK_ALPHABET) {
        if (c === s[i]) continue;
        const t = s.slice(0, i) + c + s.slice(i + 1);
        substitutions++;
        if (mod1271_36IsValid(t)) assert.fail(where(`substitution at ${i + 1} by ${c} not detected`));
        if (!parseRejects(t)) assert.fail(where(`parse accepted ${t}`));
      }
    }
    for (let i = 0; i + 1 < s.length; i++) {
      if (s[i] === s[i + 1]) continue;
      const t = s.slice(0, i) + s.charAt(i + 1) + s.charAt(i) + s.slice(i + 2);
      adjacent++;
      if (mod1271_36IsValid(t)) assert.fail(where(`adjacent transposition at ${i + 1} not detected`));
      if (!parseRejects(t)) assert.fail(where(`parse accepted ${t}`));
    }
    for (let i = 0; i + 2 < s.length; i++) {
      if (s[i] === s[i + 2]) continue;
      const t = s.slice(0, i) + s.charAt(i + 2) + s.charAt(i + 1) + s.charAt(i) + s.slice(i + 3);
      jumps++;
      if (mod1271_36IsValid(t)) assert.fail(where(`jump transposition at ${i + 1} not detected`));
      if (!parseRejects(t)) assert.fail(where(`parse accepted ${t}`));
    }
  }
  assert.equal(substitutions, ids * 31 * 35);
  assert.ok(adjacent > ids * 25 && jumps > ids * 25, `${adjacent} adjacent, ${jumps} jump transpositions`);
});

test('fast enough: 100,000 IDs formatted well within a second', () => {
  const random = prng(1);
  const parts = Array.from({ length: 1000 }, () => randomId(random));
  const start = performance.now();
  let n = 0;
  for (let round = 0; round < 100; round++) {
    for (const p of parts) n += formatRobotId(p).printed.length;
  }
  const ms = performance.now() - start;
  assert.equal(n, 100000 * 31);
  assert.ok(ms < 1000, `100,000 formatRobotId calls took ${ms.toFixed(0)} ms`);
});
