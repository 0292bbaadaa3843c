// The console's robot ID check (console/src/robot-id.ts) against the registry's codec (src/domain/id): the same
// check characters, and the same verdict on valid IDs and on every single-character substitution and neighbour swap.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCharacters, checkRobotId, idFromQrText } from '../../console/src/robot-id.js';
import {
  ALLOCATED_ALPHABET,
  CHECK_ALPHABET,
  formatRobotId,
  parseRobotId,
} from '../../src/domain/id/index.js';
import { prng } from '../support/prng.js';

const serverAccepts = (input: string) => {
  try {
    parseRobotId(input);
    return true;
  } catch {
    return false;
  }
};

describe('the console’s robot ID check', () => {
  const random = prng(20261205);
  const pick = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const ids = Array.from({ length: 200 }, () =>
    formatRobotId({
      country: 'CN',
      enterprise: pick(ALLOCATED_ALPHABET, 4),
      model: pick(ALLOCATED_ALPHABET, 6),
      serial: pick(ALLOCATED_ALPHABET, 17),
    }),
  );

  test('computes the registry’s check characters and forms', () => {
    for (const id of ids) {
      assert.equal(checkCharacters(id.canonical), id.check);
      assert.deepEqual(checkRobotId(id.printed), {
        status: 'valid',
        canonical: id.canonical,
        printed: id.printed,
        display: id.display,
      });
      assert.equal(checkRobotId(id.display.toLowerCase()).status, 'valid', 'the display form, lower case');
      assert.equal(
        checkRobotId(` ${id.printed.slice(0, 10)} ${id.printed.slice(10)} `).status,
        'valid',
        'spaces',
      );
    }
  });

  test('agrees with the registry on every substitution and swap of neighbours', () => {
    let refused = 0;
    for (const id of ids.slice(0, 40)) {
      const p = id.printed;
      const variants: string[] = [];
      for (let i = 2; i < p.length; i++) {
        variants.push(
          p.slice(0, i) +
            CHECK_ALPHABET[(CHECK_ALPHABET.indexOf(p[i]!) + 1 + Math.floor(random() * 35)) % 36] +
            p.slice(i + 1),
        );
        if (i + 1 < p.length && p[i] !== p[i + 1])
          variants.push(p.slice(0, i) + p[i + 1] + p[i] + p.slice(i + 2));
      }
      for (const v of variants) {
        const inConsole = checkRobotId(v).status === 'valid';
        assert.equal(inConsole, serverAccepts(v), v);
        if (!inConsole) refused += 1;
      }
    }
    assert.ok(refused > 1000, `every mistake refused (${refused})`);
  });

  test('says what is wrong while typing', () => {
    const id = ids[0]!;
    assert.deepEqual(checkRobotId(''), { status: 'empty' });
    assert.deepEqual(checkRobotId(id.printed.slice(0, 12)), { status: 'incomplete', length: 12 });
    assert.deepEqual(checkRobotId(`CN${id.printed.slice(2, 5)}O`), {
      status: 'bad-character',
      position: 6,
      character: 'O',
      part: 'enterprise',
    });
    assert.deepEqual(checkRobotId(`C1`), {
      status: 'bad-character',
      position: 2,
      character: '1',
      part: 'country',
    });
    assert.deepEqual(checkRobotId(`${id.printed}0`), { status: 'too-long', length: 32 });
    const wrong = id.printed.slice(0, 29) + (id.check === '00' ? '01' : '00');
    assert.deepEqual(checkRobotId(wrong), { status: 'wrong-check' });
    assert.equal(serverAccepts(wrong), false);
  });
});

describe('the robot ID a QR label carries', () => {
  const id = formatRobotId({
    country: 'CN',
    enterprise: '0001',
    model: 'H1X9B4',
    serial: 'R0000000000000123',
  });
  test('from the resolvable URL or the bare ID; nothing from another QR code', () => {
    assert.equal(idFromQrText(`https://registry.example/r/${id.printed}`), id.printed);
    assert.equal(idFromQrText(`http://localhost:8080/r/${id.printed}?lang=zh`), id.printed);
    assert.equal(idFromQrText(` ${id.display} `), id.printed);
    assert.equal(idFromQrText('https://example.com/menu'), undefined);
    assert.equal(
      idFromQrText(`https://registry.example/r/${id.printed.slice(0, -1)}0`),
      id.check.endsWith('0') ? id.printed : undefined,
    );
    assert.equal(idFromQrText('https://registry.example/r/%E0%A4%A'), undefined);
  });
});
