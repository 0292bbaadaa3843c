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
    const routes = ['/v1/organisations', '/v1/models', '/v1/ids', '/v1/organisations/org_x/keys'];
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

  test('random robot IDs in paths get 400 or 404, never a 5xx', async () => {
    const next = prng(7);
    for (let i = 0; i < 300; i++) {
      const raw = Buffer.from(String(randomValue(next))).toString(); // lone surrogates become U+FFFD
      const res = await h.call('GET', `/v1/robots/${encodeURIComponent(raw).slice(0, 190)}`);
      assert.ok([400, 404].includes(res.status), `${JSON.stringify(raw).slice(0, 100)} -> ${res.status}`);
    }
  });
});
