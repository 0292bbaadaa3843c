import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manufacturerWithModel } from '../../support/fixtures.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { prng } from '../../support/prng.js';

const NASTY = [
  '',
  ' ',
  '\u0000',
  '𝕏',
  'ＣＮ',
  '-',
  '0'.repeat(5000),
  'CN',
  'H1X9B4',
  '__proto__',
  '../../etc',
  '%00',
  'null',
];

function randomValue(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 5 : 8));
  switch (pick) {
    case 0:
      return NASTY[Math.floor(next() * NASTY.length)];
    case 1:
      return Math.floor(next() * 2e9) - 1e9;
    case 2:
      return next() < 0.5 ? null : next() < 0.5;
    case 3:
      return next() * 1e308;
    case 4:
      return String.fromCharCode(
        ...Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 0xffff)),
      );
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default: {
      const keys = [
        'name',
        'roles',
        'jurisdiction',
        'registrationNumber',
        'code',
        'model',
        'count',
        'serials',
        'category',
      ];
      return Object.fromEntries(
        Array.from({ length: Math.floor(next() * 5) }, () => [
          keys[Math.floor(next() * keys.length)],
          randomValue(next, depth + 1),
        ]),
      );
    }
  }
}

describe('no input crashes the server', () => {
  let h: Harness;
  let key: string;
  before(async () => {
    h = await startHarness();
    key = (await manufacturerWithModel(h)).key;
  });
  after(() => h.close());

  test('random bodies to every write route get a 4xx problem document, never a 5xx', async () => {
    const next = prng(20261125);
    const routes = [
      '/v1/organisations',
      '/v1/models',
      '/v1/ids',
      '/v1/organisations/org_x/keys',
      '/v1/log/cosignatures',
    ];
    for (let i = 0; i < 400; i++) {
      const url = routes[i % routes.length]!;
      const body = randomValue(next);
      const res = await h.call('POST', url, {
        key: i % 2 ? key : h.adminKey,
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      assert.ok(
        res.status >= 400 && res.status < 500,
        `${url} ${JSON.stringify(body)?.slice(0, 200)} -> ${res.status}`,
      );
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(typeof res.body.type, 'string');
    }
  });

  test('random notes, proof sizes and tile paths to the log get 4xx, never a 5xx', async () => {
    const next = prng(4);
    const checkpoint = String((await h.call('GET', '/v1/log/checkpoint')).body);
    for (let i = 0; i < 200; i++) {
      const text = String(randomValue(next));
      // Garbage, and the real checkpoint with garbage spliced in at a random place.
      const at = Math.floor(next() * checkpoint.length);
      const note = i % 2 ? text : checkpoint.slice(0, at) + text + checkpoint.slice(at);
      const cosigned = await h.call('POST', '/v1/log/cosignatures', { body: { note } });
      assert.ok(
        cosigned.status >= 400 && cosigned.status < 500,
        `${JSON.stringify(note).slice(0, 200)} -> ${cosigned.status}`,
      );
      const n = Math.floor(next() * 2 ** (1 + (i % 53))) - 3;
      for (const url of [
        `/v1/log/proofs/inclusion?leafIndex=${n}&treeSize=${n + 1}`,
        `/v1/log/proofs/consistency?from=${n}&to=${n * 2}`,
        `/v1/log/leaves?start=${n}&end=${n + 5}`,
        `/tlog/tile/${encodeURIComponent(Buffer.from(text).toString()).slice(0, 100)}`,
      ]) {
        const res = await h.call('GET', url);
        assert.ok(res.status >= 400 && res.status < 500, `${url} -> ${res.status}`);
      }
    }
  });

  test('random robot IDs in paths get 400 or 404, never a 5xx', async () => {
    const next = prng(7);
    for (let i = 0; i < 300; i++) {
      const raw = Buffer.from(String(randomValue(next))).toString(); // lone surrogates become U+FFFD
      const res = await h.call('GET', `/v1/robots/${encodeURIComponent(raw).slice(0, 190)}`);
      assert.ok([400, 404].includes(res.status), `${JSON.stringify(raw).slice(0, 100)} -> ${res.status}`);
    }
  });
});
