import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError, type FieldIssue } from '../../src/domain/errors.js';
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckCharacter,
  REGISTRATION_AUTHORITIES,
  validateCreditCode,
  validateForeignRegistrationNumber,
} from '../../src/domain/org/credit-code.js';
import { thrownInvalid } from '../support/errors.js';

/**
 * Published unified social credit codes of well-known companies (from their business licences / annual reports).
 * Each one also satisfies the embedded GB 11714 organisation-code check, which is good evidence none is misremembered.
 */
const REAL_CODES: Record<string, string> = {
  'Huawei Technologies Co., Ltd.': '914403001922038216',
  'Shenzhen Tencent Computer Systems Co., Ltd.': '91440300708461136T',
  'Alibaba (China) Co., Ltd.': '91330100716105852F',
  'BYD Co., Ltd.': '91440300192317458F',
  'Xiaomi Communications Co., Ltd.': '91110108558521630L',
  'ZTE Corporation': '9144030027939873X7',
  'Haier Group Corporation': '91370200163562681G',
  'Gree Electric Appliances, Inc. of Zhuhai': '91440400192548256N',
};

const HUAWEI = '914403001922038216';

/** Runs `fn`, asserts it throws the registration-number DomainError, and returns its field issues. */
function issuesOf(fn: () => unknown): FieldIssue[] {
  const caught = thrownInvalid(fn, 'invalid-registration-number');
  assert.ok(caught.fields.length > 0);
  return caught.fields;
}

function replaceAt(value: string, position: number, char: string): string {
  return value.slice(0, position - 1) + char + value.slice(position);
}

describe('creditCodeCheckCharacter', () => {
  it('uses the weights 3^(i-1) mod 31', () => {
    // Position 1 has weight 1, so "1" followed by sixteen zeros sums to 1 and the check is 31 - 1 = 30 → 'Y'.
    assert.equal(creditCodeCheckCharacter('1' + '0'.repeat(16)), 'Y');
    // A sum that is a multiple of 31 gives 31, which is written '0'.
    assert.equal(creditCodeCheckCharacter('0'.repeat(17)), '0');
    // Position 2 has weight 3: 'Y' (30) * 3 = 90 = 2·31 + 28 → 31 - 28 = 3.
    assert.equal(creditCodeCheckCharacter('0Y' + '0'.repeat(15)), '3');
  });

  it('reproduces the check character of every real code', () => {
    for (const [name, code] of Object.entries(REAL_CODES)) {
      assert.equal(creditCodeCheckCharacter(code.slice(0, 17)), code.charAt(17), name);
    }
  });

  it('accepts lower case and rejects input that is not 17 alphabet characters', () => {
    assert.equal(creditCodeCheckCharacter('91440300708461136'.toLowerCase()), 'T');
    issuesOf(() => creditCodeCheckCharacter('9144030070846113'));
    const [issue] = issuesOf(() => creditCodeCheckCharacter('9144O300708461136'));
    assert.equal(issue?.position, 5);
  });
});

describe('validateCreditCode', () => {
  it('accepts published codes of well-known companies', () => {
    for (const [name, code] of Object.entries(REAL_CODES)) {
      assert.equal(validateCreditCode(code), code, name);
    }
  });

  it('normalises: trims, upper-cases and folds full-width characters', () => {
    assert.equal(validateCreditCode('  91440300708461136t\n'), '91440300708461136T');
    assert.equal(validateCreditCode('9144030027939873x7'), '9144030027939873X7');
    assert.equal(validateCreditCode('91330100716105852f'), '91330100716105852F');
    assert.equal(validateCreditCode('９１４４０３００１９２２０３８２１６'), HUAWEI);
  });

  it('rejects every other character at position 18', () => {
    for (const code of Object.values(REAL_CODES)) {
      for (const char of CREDIT_CODE_ALPHABET) {
        if (char === code.charAt(17)) continue;
        const [issue, ...rest] = issuesOf(() => validateCreditCode(replaceAt(code, 18, char)));
        assert.equal(rest.length, 0);
        assert.equal(issue?.position, 18);
        assert.equal(issue?.field, 'registrationNumber');
        assert.equal(
          issue?.message,
          `check character is ${char}, expected ${code.charAt(17)}: the code was probably mistyped`,
        );
      }
    }
  });

  it('rejects every single-character substitution anywhere in the code', () => {
    // 31 is prime and every weight is non-zero mod 31, so any one substitution changes the sum mod 31.
    let tried = 0;
    for (const code of Object.values(REAL_CODES)) {
      for (let position = 1; position <= 18; position++) {
        for (const char of CREDIT_CODE_ALPHABET) {
          if (char === code.charAt(position - 1)) continue;
          const mutated = replaceAt(code, position, char);
          const issues = issuesOf(() => validateCreditCode(mutated));
          // A letter in the division code and a department or category outside the code tables are reported
          // where they are; everything else trips the check character.
          const outsideTables =
            (position === 1 && !(char in REGISTRATION_AUTHORITIES)) ||
            (position === 2 && !REGISTRATION_AUTHORITIES['9']!.categories.includes(char));
          const inDivision = position >= 3 && position <= 8 && !/[0-9]/.test(char);
          const expectedPosition = outsideTables || inDivision ? position : 18;
          assert.equal(issues[0]?.position, expectedPosition, mutated);
          tried++;
        }
      }
    }
    assert.equal(tried, Object.keys(REAL_CODES).length * 18 * 30);
  });

  it('reports a wrong length', () => {
    const [short] = issuesOf(() => validateCreditCode(HUAWEI.slice(0, 17)));
    assert.equal(short?.message, 'must be exactly 18 characters, got 17');
    assert.equal(short?.position, undefined);
    const [long] = issuesOf(() => validateCreditCode(HUAWEI + '0'));
    assert.equal(long?.message, 'must be exactly 18 characters, got 19');
  });

  it('reports a missing value', () => {
    for (const blank of ['', '   ', '\t\n']) {
      const [issue] = issuesOf(() => validateCreditCode(blank, 'org.registrationNumber'));
      assert.deepEqual(issue, { field: 'org.registrationNumber', message: 'is required' });
    }
  });

  it('reports each character outside the alphabet with its position', () => {
    for (const letter of ['I', 'O', 'Z', 'S', 'V']) {
      const [issue] = issuesOf(() => validateCreditCode(replaceAt(HUAWEI, 10, letter)));
      assert.equal(issue?.position, 10);
      assert.match(issue?.message ?? '', new RegExp(`character '${letter}' is not allowed`));
      assert.match(issue?.message ?? '', /I, O, Z, S and V are not used/);
    }
    const [o] = issuesOf(() => validateCreditCode(replaceAt(HUAWEI, 9, 'o')));
    assert.match(o?.message ?? '', /character 'o' is not allowed.*did you mean '0'\?/);
    assert.equal(o?.position, 9);

    const [dash] = issuesOf(() => validateCreditCode(replaceAt(HUAWEI, 4, '-')));
    assert.deepEqual(dash, {
      field: 'registrationNumber',
      message: "character '-' is not allowed",
      position: 4,
    });
  });

  it('reports every bad character, plus the length when it is wrong too', () => {
    const issues = issuesOf(() => validateCreditCode('9144 0300 192203821'));
    assert.deepEqual(
      issues.map((i) => i.position),
      [5, 10, undefined],
    );
    assert.match(issues[0]?.message ?? '', /U\+0020/);
    assert.match(issues[2]?.message ?? '', /got 19/);
  });

  it('counts positions in the input as given, including leading whitespace', () => {
    const [issue] = issuesOf(() => validateCreditCode('  ' + replaceAt(HUAWEI, 18, '7')));
    assert.equal(issue?.position, 20);
  });

  it('requires positions 3–8 (administrative division code) to be digits', () => {
    // Build a code with a letter at position 5 and a correct check character, so only the division code is wrong.
    const first17 = replaceAt(HUAWEI, 5, 'A').slice(0, 17);
    const code = first17 + creditCodeCheckCharacter(first17);
    const [issue, ...rest] = issuesOf(() => validateCreditCode(code));
    assert.equal(rest.length, 0);
    assert.equal(issue?.position, 5);
    assert.match(issue?.message ?? '', /administrative division code/);

    // Letters are fine elsewhere, e.g. at positions 9–17 (many newer codes start their organisation code with MA).
    const withLetters = '91110108MA01ABCDE'.slice(0, 17);
    assert.equal(
      validateCreditCode(withLetters + creditCodeCheckCharacter(withLetters)),
      withLetters + creditCodeCheckCharacter(withLetters),
    );
  });

  it('checks positions 1 and 2 against the GB 32100 department and category code tables', () => {
    const withCheck = (first17: string) => first17 + creditCodeCheckCharacter(first17);
    const body = '110108MA01ABCDE'; // division code and organisation code of a valid code
    const refused: [string, number, RegExp][] = [
      ['X1', 1, /'X' is not a registration department code \(position 1 is one of 1, .*, Y\)/],
      ['01', 1, /'0' is not a registration department code/],
      ['90', 2, /'0' is not an organisation category of department 9, .*\(position 2 is one of 1, 2, 3\)/],
      ['Y2', 2, /'2' is not an organisation category of department Y/],
      ['54', 2, /position 2 is one of 1, 2, 3, 9/],
    ];
    for (const [prefix, position, message] of refused) {
      const [issue, ...rest] = issuesOf(() => validateCreditCode(withCheck(prefix + body)));
      assert.equal(rest.length, 0, prefix);
      assert.equal(issue?.position, position, prefix);
      assert.match(issue?.message ?? '', message, prefix);
    }
    const [shifted] = issuesOf(() => validateCreditCode(' ' + withCheck('X1' + body)));
    assert.equal(shifted?.position, 2, 'positions count leading whitespace');

    // Public institutions, social organisations, organs, law firms, rural collectives, "other" and enterprises.
    for (const prefix of ['12', '51', '11', '31', 'N2', 'Y1', '93']) {
      assert.equal(validateCreditCode(withCheck(prefix + body)), withCheck(prefix + body), prefix);
    }
  });

  it('puts the field name and the first fault in the error message', () => {
    assert.throws(
      () => validateCreditCode(replaceAt(HUAWEI, 18, '7'), 'licence'),
      (error: unknown) =>
        error instanceof DomainError &&
        error.message ===
          'invalid unified social credit code: check character is 7, expected 6: the code was probably mistyped (position 18)' &&
        error.fields[0]?.field === 'licence',
    );
  });

  it('does not report an unbounded number of issues for garbage input', () => {
    const issues = issuesOf(() => validateCreditCode('!'.repeat(1000)));
    assert.ok(issues.length <= 11);
  });
});

describe('validateForeignRegistrationNumber', () => {
  it('accepts typical foreign registration numbers, trimmed, case kept', () => {
    assert.equal(validateForeignRegistrationNumber(' HRB 86891 '), 'HRB 86891');
    assert.equal(validateForeignRegistrationNumber('12-3456789'), '12-3456789');
    assert.equal(validateForeignRegistrationNumber('SC123456'), 'SC123456');
    assert.equal(validateForeignRegistrationNumber('0110-01-008771'), '0110-01-008771');
    assert.equal(validateForeignRegistrationNumber('B 123.456/7'), 'B 123.456/7');
    assert.equal(validateForeignRegistrationNumber('x'), 'x');
    assert.equal(validateForeignRegistrationNumber('A'.repeat(64)), 'A'.repeat(64));
  });

  it('rejects empty input', () => {
    for (const blank of ['', '  ']) {
      const [issue] = issuesOf(() => validateForeignRegistrationNumber(blank, 'regNo'));
      assert.deepEqual(issue, { field: 'regNo', message: 'is required' });
    }
  });

  it('rejects more than 64 characters', () => {
    const [issue] = issuesOf(() => validateForeignRegistrationNumber('A'.repeat(65)));
    assert.equal(issue?.message, 'must be at most 64 characters, got 65');
  });

  it('reports each disallowed character with its position', () => {
    const issues = issuesOf(() => validateForeignRegistrationNumber('HRB_868#91'));
    assert.deepEqual(
      issues.map((i) => [i.position, i.field]),
      [
        [4, 'registrationNumber'],
        [8, 'registrationNumber'],
      ],
    );
    assert.match(issues[0]?.message ?? '', /character '_' is not allowed/);
    const [tab] = issuesOf(() => validateForeignRegistrationNumber(' AB\tC'));
    assert.equal(tab?.position, 4);
    assert.match(tab?.message ?? '', /U\+0009/);
    const [umlaut] = issuesOf(() => validateForeignRegistrationNumber('MÜNCHEN1'));
    assert.equal(umlaut?.position, 2);
  });

  it('requires at least one letter or digit', () => {
    const [issue] = issuesOf(() => validateForeignRegistrationNumber('-/.'));
    assert.equal(issue?.message, 'must contain at least one letter or digit');
  });
});
