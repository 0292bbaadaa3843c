import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MODEL, admit, manufacturerWithModel } from '../../support/fixtures.js';
import { startHarness, type Harness } from '../../support/harness.js';

describe('robot models', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('a manufacturer registers a model under its own enterprise code; anyone can read it', async () => {
    const m = await admit(h, ['manufacturer']);
    const body = { ...MODEL, heightMm: 1650, massKg: 55, degreesOfFreedom: 43, standards: ['GB/T 12643'] };
    const res = await h.call('POST', '/v1/models', { key: m.key, body });
    assert.equal(res.status, 201);
    assert.equal(res.body.enterpriseCode, m.org.enterpriseCode);
    assert.deepEqual(res.body.specs, {
      heightMm: 1650,
      massKg: 55,
      degreesOfFreedom: 43,
      standards: ['GB/T 12643'],
    });
    const read = await h.call('GET', `/v1/models/${m.org.enterpriseCode}/${MODEL.code}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.name, MODEL.name);
    const list = await h.call('GET', `/v1/models?enterpriseCode=${m.org.enterpriseCode}`);
    assert.deepEqual(
      list.body.items.map((x: { code: string }) => x.code),
      [MODEL.code],
    );
  });

  test('a model code is unique per enterprise, not across enterprises', async () => {
    const a = await manufacturerWithModel(h);
    const again = await h.call('POST', '/v1/models', { key: a.key, body: { ...MODEL, name: 'Other' } });
    assert.equal(again.status, 409);
    assert.equal(again.body.type, 'urn:robotid:problem:model-code-taken');
    assert.deepEqual(again.body.errors, [{ field: '/code', message: 'already registered' }]);
    const b = await admit(h, ['manufacturer']);
    assert.equal((await h.call('POST', '/v1/models', { key: b.key, body: MODEL })).status, 201);
  });

  test('model codes use the allocated alphabet: I, O and Q are refused at their position', async () => {
    const m = await admit(h, ['manufacturer']);
    const res = await h.call('POST', '/v1/models', { key: m.key, body: { ...MODEL, code: 'H1O9B4' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.errors[0].field, '/code');
    assert.equal(res.body.errors[0].position, 3);
    const enumFault = await h.call('POST', '/v1/models', {
      key: m.key,
      body: { ...MODEL, category: 'spaceship' },
    });
    assert.equal(enumFault.status, 400);
    assert.ok(enumFault.body.errors.some((e: { field: string }) => e.field === '/category'));
  });

  test('only manufacturers and the administrator register models', async () => {
    const seller = await admit(h, ['seller']);
    assert.equal((await h.call('POST', '/v1/models', { key: seller.key, body: MODEL })).status, 403);
    assert.equal((await h.call('POST', '/v1/models', { body: MODEL })).status, 401);
  });

  test('the administrator names the manufacturer; a manufacturer cannot name another', async () => {
    const m = await admit(h, ['manufacturer']);
    const other = await admit(h, ['manufacturer']);
    const missing = await h.call('POST', '/v1/models', {
      key: h.adminKey,
      body: { ...MODEL, code: 'AAAAA1' },
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].field, '/manufacturerId');
    const onBehalf = await h.call('POST', '/v1/models', {
      key: h.adminKey,
      body: { ...MODEL, code: 'AAAAA1', manufacturerId: m.org.id },
    });
    assert.equal(onBehalf.status, 201);
    assert.equal(onBehalf.body.manufacturerId, m.org.id);
    const hijack = await h.call('POST', '/v1/models', {
      key: other.key,
      body: { ...MODEL, code: 'AAAAA2', manufacturerId: m.org.id },
    });
    assert.equal(hijack.status, 404);
    const seller = await admit(h, ['seller']);
    const notMaker = await h.call('POST', '/v1/models', {
      key: h.adminKey,
      body: { ...MODEL, code: 'AAAAA3', manufacturerId: seller.org.id },
    });
    assert.equal(notMaker.status, 404);
  });

  test('unknown models are not found', async () => {
    assert.equal((await h.call('GET', '/v1/models/0001/ZZZZZZ')).status, 404);
    assert.equal((await h.call('GET', '/v1/models/00O1/ZZZZZZ')).status, 400);
  });
});
