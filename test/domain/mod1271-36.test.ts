import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '../../src/domain/errors.js';
import {
  CHECK_ALPHABET,
  MOD1271_36_MODULUS,
  MOD1271_36_RADIX,
  mod1271_36CheckCharacters,
  mod1271_36Checksum,
  mod1271_36IsValid,
} from '../../src/domain/id/index.js';
import { prng } from '../support/prng.js';

/** Independent reference: the 7064 rule "value of (data + check) in radix 36 ≡ 1 (mod 1271)", with BigInt. */
function referenceChecksum(data: string): number {
  let n = 0n;
  for (const c of data) n = n * 36n + BigInt(CHECK_ALPHABET.indexOf(c));
  // find c in 0..1270 with (n * 36^2 + c) mod 1271 === 1
  const r = Number((n * 1296n) % 1271n);
  return (1 - r + 1271) % 1271;
}

test('the worked example of ISO/IEC 7064 (section 8.2): ISO79 -> 3W', () => {
  // By hand, p = ((p + v) * 36) mod 1271 with I=18, S=28, O=24, 7, 9:
  //   I: (0 + 18) * 36 = 648
  //   S: (648 + 28) * 36 = 24336 = 19 * 1271 + 187        -> 187
  //   O: (187 + 24) * 36 = 7596 = 5 * 1271 + 1241         -> 1241
  //   7: (1241 + 7) * 36 = 44928 = 35 * 1271 + 443        -> 443
  //   9: (443 + 9) * 36 = 16272 = 12 * 1271 + 1020        -> 1020
  //   then p = 1020 * 36 = 36720 = 28 * 1271 + 1132       -> 1132
  //   checksum = (1271 + 1 - 1132) mod 1271 = 140 = 3 * 36 + 32 -> '3', 'W'
  assert.equal(mod1271_36Checksum('ISO79'), 140);
  assert.equal(mod1271_36CheckCharacters('ISO79'), '3W');
  assert.equal(mod1271_36IsValid('ISO793W'), true);
  assert.equal(mod1271_36IsValid('ISO793X'), false);
});

test('parameters: M = 1271 = 31 x 41, r = 36', () => {
  assert.equal(MOD1271_36_MODULUS, 1271);
  assert.equal(31 * 41, 1271);
  assert.equal(MOD1271_36_RADIX, 36);
  assert.equal(CHECK_ALPHABET, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
});

test('computation and validation agree, and match an independent BigInt reference (seeded, 5,000 strings)', () => {
  const seed = 0x1271;
  const random = prng(seed);
  for (let k = 0; k < 5000; k++) {
    const length = 1 + Math.floor(random() * 40);
    let data = '';
    for (let i = 0; i < length; i++) data += CHECK_ALPHABET.charAt(Math.floor(random() * 36));
    const checksum = mod1271_36Checksum(data);
    assert.equal(checksum, referenceChecksum(data), `seed ${seed}, ${data}`);
    const check = mod1271_36CheckCharacters(data);
    assert.equal(check.length, 2);
    assert.equal(mod1271_36IsValid(data + check), true, `seed ${seed}, ${data}${check}`);
    // Every other check pair fails, except the alias that encodes checksum + 1271 (only when checksum <= 24).
    const other = CHECK_ALPHABET.charAt((CHECK_ALPHABET.indexOf(check.charAt(1)) + 1) % 36);
    assert.equal(mod1271_36IsValid(data + check.charAt(0) + other), false);
  }
});

test('check characters can be any of the 36 characters, including I, O and Q', () => {
  const seen = new Set<string>();
  const random = prng(7);
  for (let k = 0; k < 20000 && seen.size < 36; k++) {
    let data = '';
    for (let i = 0; i < 29; i++) data += CHECK_ALPHABET.charAt(Math.floor(random() * 36));
    const check = mod1271_36CheckCharacters(data);
    seen.add(check.charAt(0)).add(check.charAt(1));
  }
  assert.equal(seen.size, 36);
});

test('two-character aliases: a pair encoding checksum + 1271 passes the bare 7064 rule', () => {
  // A pair encodes 0..1295; ZB..ZZ (1271..1295) are congruent to 00..0O. The computation never yields them;
  // parseRobotId compares the pair itself, so only mod1271_36IsValid is fooled (tested in robot-id.test.ts).
  const random = prng(99);
  let found = 0;
  for (let k = 0; k < 200000 && found < 3; k++) {
    let data = '';
    for (let i = 0; i < 10; i++) data += CHECK_ALPHABET.charAt(Math.floor(random() * 36));
    const checksum = mod1271_36Checksum(data);
    if (checksum > 24) continue;
    found++;
    const alias = checksum + 1271;
    const pair = CHECK_ALPHABET.charAt(Math.floor(alias / 36)) + CHECK_ALPHABET.charAt(alias % 36);
    assert.equal(pair.charAt(0), 'Z');
    assert.equal(mod1271_36IsValid(data + pair), true);
    assert.notEqual(pair, mod1271_36CheckCharacters(data));
  }
  assert.equal(found, 3);
});

test('the error-detection argument holds exhaustively over the alphabet', () => {
  // Validation is sum(v_i * 36^(n-i)) mod 1271 and 36 is invertible mod 1271 (gcd(36, 31 * 41) = 1), so an error
  // is detected iff the change it makes to the sum, divided by the power of 36, is nonzero mod 1271.
  const mod = (x: number) => ((x % 1271) + 1271) % 1271;
  for (let a = 0; a < 36; a++) {
    for (let b = 0; b < 36; b++) {
      if (a === b) continue;
      assert.notEqual(mod(a - b), 0, 'single substitution a -> b: (a - b) * 36^k');
      assert.notEqual(mod((a - b) * 35), 0, 'adjacent ab -> ba: (a - b) * (36 - 1) * 36^k');
      assert.notEqual(mod((a - b) * 1295), 0, 'jump a?b -> b?a: (a - b) * (36^2 - 1) * 36^k');
    }
  }
  assert.equal(1295 % 1271, 24);
});

test('invalid characters: computation throws with the 1-based position, validation returns false', () => {
  assert.throws(
    () => mod1271_36Checksum('AB-C'),
    (e: unknown) =>
      e instanceof DomainError &&
      e.code === 'invalid-character' &&
      e.message.includes("character '-' at position 3") &&
      e.fields[0]?.position === 3,
  );
  assert.throws(() => mod1271_36CheckCharacters('abc'), DomainError); // upper case only at this level
  assert.equal(mod1271_36IsValid('ISO793w'), false);
  assert.equal(mod1271_36IsValid('ISO 793W'), false);
  assert.equal(mod1271_36IsValid('1'), false);
  assert.equal(mod1271_36IsValid(''), false);
});
