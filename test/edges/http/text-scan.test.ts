import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spellsUnstorableText, textFault } from '../../../src/edges/http/text.js';
import { prng } from '../../support/prng.js';

/** Pieces that make the scan's hard cases when strung together: backslashes, escapes, pairs and halves. */
const PIECES = [
  'a',
  '\\',
  'u0000',
  '\u0000',
  '\ud83d',
  '\ude00',
  '\ud83d\ude00',
  'é',
  '中',
  '"',
  '\\u',
  'd800',
];

/** JSON as a client that writes ASCII only sends it (Python's default): every other character escaped. */
const asciiOnly = (json: string, upper: boolean) =>
  json.replace(/[^\x20-\x7e]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${upper ? hex.toUpperCase() : hex}`;
  });

test('the text scan finds NUL and lone surrogates exactly when the parsed value holds them', () => {
  const next = prng(16_2_3_9);
  let unstorable = 0;
  for (let i = 0; i < 20_000; i++) {
    const text = Array.from(
      { length: 1 + Math.floor(next() * 6) },
      () => PIECES[Math.floor(next() * PIECES.length)],
    ).join('');
    const value = { [i % 3 === 0 ? text : 'k']: [text.slice(1), { v: text }] };
    const expected = textFault(text) !== undefined || textFault(text.slice(1)) !== undefined;
    unstorable += expected ? 1 : 0;
    for (const json of [
      JSON.stringify(value),
      asciiOnly(JSON.stringify(value), false),
      asciiOnly(JSON.stringify(value), true),
    ]) {
      assert.deepEqual(JSON.parse(json), value, json);
      assert.equal(spellsUnstorableText(json), expected, json);
    }
  }
  assert.ok(unstorable > 1000 && unstorable < 19_000, `${unstorable} unstorable of 20,000`);
});

test('a fault is named at its first bad character', () => {
  assert.deepEqual(textFault('ab\u0000'), {
    message: 'contains NUL (U+0000), which the registry cannot store',
    position: 3,
  });
  assert.equal(textFault('x\ud83d\ude00y'), undefined);
  assert.equal(textFault('\ude00\ud83d')?.position, 1);
  assert.equal(textFault('x\ud83d')?.position, 2);
});
