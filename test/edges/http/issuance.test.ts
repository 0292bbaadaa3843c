import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseRobotId } from '../../../src/domain/id/index.js';
import { admit, manufacturerWithModel } from '../../support/fixtures.js';
import { startHarness, type Harness } from '../../support/harness.js';

describe('issuing robot IDs', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const robotCount = async (id: string) => ((await h.ctx.store.read((r) => r.getRobot(id))) ? 1 : 0);

  test('10,000 IDs in one request: unique, well-formed, consecutive registry serials', async () => {
    const m = await manufacturerWithModel(h);
    const res = await h.call('POST', '/v1/ids', { key: m.key, body: { model: m.model.code, count: 10_000 } });
    assert.equal(res.status, 201);
    assert.equal(res.body.count, 10_000);
    assert.equal(res.body.ids.length, 10_000);
    assert.equal(new Set(res.body.ids).size, 10_000);
    const parsed = res.body.ids.map((id: string) => parseRobotId(id));
    assert.ok(parsed.every((p: { form: string }) => p.form === 'printed'));
    assert.equal(parsed[0].serial, 'R0000000000000001');
    assert.equal(parsed[9999].serial, 'R0000000000010000');
    assert.equal(parsed[0].country, 'CN');
    assert.equal(parsed[0].enterprise, m.org.enterpriseCode);
    const next = await h.call('POST', '/v1/ids', { key: m.key, body: { model: m.model.code, count: 2 } });
    assert.equal(
      parseRobotId(next.body.ids[0]).serial,
      'R0000000000010001',
      'serials continue, never reissued',
    );
  });

  test("a manufacturer's own serials become IDs; a serial that exists is refused and nothing is written", async () => {
    const m = await manufacturerWithModel(h);
    const serials = ['A1B2C3D4E5F6G7H8J', 'A1B2C3D4E5F6G7H8K'];
    const res = await h.call('POST', '/v1/ids', { key: m.key, body: { model: m.model.code, serials } });
    assert.equal(res.status, 201);
    assert.deepEqual(
      res.body.ids.map((id: string) => parseRobotId(id).serial),
      serials,
    );
    const fresh = 'A1B2C3D4E5F6G7H8M';
    const again = await h.call('POST', '/v1/ids', {
      key: m.key,
      body: { model: m.model.code, serials: [fresh, serials[1]] },
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.type, 'urn:robotid:problem:serial-exists');
    assert.deepEqual(again.body.errors, [
      { field: '/serials/1', message: `serial ${serials[1]} has an ID already` },
    ]);
    const freshId = parseRobotId(res.body.ids[0]).canonical.slice(0, 12) + fresh;
    assert.equal(await robotCount(freshId), 0, 'the good serial of a refused request was not issued');
  });

  test('bad serials are reported one by one', async () => {
    const m = await manufacturerWithModel(h);
    const serials = [
      'SHORT',
      'A1B2C3D4E5F6G7H8O',
      'R0000000000000005',
      'B1B2C3D4E5F6G7H8J',
      'b1b2c3d4e5f6g7h8j',
    ];
    const res = await h.call('POST', '/v1/ids', { key: m.key, body: { model: m.model.code, serials } });
    assert.equal(res.status, 400);
    assert.equal(res.body.type, 'urn:robotid:problem:invalid-serials');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    assert.deepEqual(fields, ['/serials/0', '/serials/1', '/serials/2', '/serials/4']);
    assert.equal(res.body.errors[1].position, 17);
    assert.match(res.body.errors[2].message, /reserved/);
    assert.match(res.body.errors[3].message, /repeats \/serials\/3/);
  });

  test('count and serials: exactly one, within limits', async () => {
    const m = await manufacturerWithModel(h);
    const cases: [Record<string, unknown>, string][] = [
      [{ model: m.model.code }, 'count-or-serials-required'],
      [{ model: m.model.code, count: 1, serials: ['A1B2C3D4E5F6G7H8J'] }, 'count-or-serials-required'],
      [{ model: m.model.code, count: 0 }, 'invalid-count'],
      [{ model: m.model.code, count: 100_001 }, 'invalid-count'],
      [{ model: m.model.code, count: 1.5 }, 'validation-failed'],
      [{ model: m.model.code, serials: [] }, 'invalid-serials'],
    ];
    for (const [body, code] of cases) {
      const res = await h.call('POST', '/v1/ids', { key: m.key, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.type, `urn:robotid:problem:${code}`, JSON.stringify(body));
    }
  });

  test('unknown models, other manufacturers and non-manufacturers cannot issue', async () => {
    const m = await manufacturerWithModel(h);
    const other = await admit(h, ['manufacturer']);
    const seller = await admit(h, ['seller']);
    assert.equal(
      (await h.call('POST', '/v1/ids', { key: m.key, body: { model: 'ZZZZZZ', count: 1 } })).status,
      404,
    );
    const hijack = await h.call('POST', '/v1/ids', {
      key: other.key,
      body: { model: m.model.code, count: 1, manufacturerId: m.org.id },
    });
    assert.equal(hijack.status, 404);
    assert.equal(
      (await h.call('POST', '/v1/ids', { key: seller.key, body: { model: m.model.code, count: 1 } })).status,
      403,
    );
  });

  test('a retried request with the same requestId returns the first result; other content is a conflict', async () => {
    const m = await manufacturerWithModel(h);
    const body = { model: m.model.code, count: 5, requestId: 'erp-batch-42' };
    const first = await h.call('POST', '/v1/ids', { key: m.key, body });
    const retry = await h.call('POST', '/v1/ids', { key: m.key, body });
    assert.equal(first.status, 201);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.replayed, true);
    assert.deepEqual(retry.body.ids, first.body.ids);
    const reused = await h.call('POST', '/v1/ids', { key: m.key, body: { ...body, count: 6 } });
    assert.equal(reused.status, 409);
    assert.equal(reused.body.type, 'urn:robotid:problem:request-id-reused');
    const after = await h.call('POST', '/v1/ids', { key: m.key, body: { model: m.model.code, count: 1 } });
    assert.equal(
      parseRobotId(after.body.ids[0]).serial,
      'R0000000000000006',
      'the retry reserved no serials',
    );
  });

  test('a robot is found by any form of its ID; a mistyped one is explained', async () => {
    const m = await manufacturerWithModel(h);
    const issued = await h.call('POST', '/v1/ids', { key: m.key, body: { model: m.model.code, count: 1 } });
    const id = parseRobotId(issued.body.ids[0]);
    for (const form of [id.canonical, id.printed, id.display, id.display.toLowerCase()]) {
      const res = await h.call('GET', `/v1/robots/${form}`);
      assert.equal(res.status, 200, form);
      assert.equal(res.body.id, id.canonical);
      assert.equal(res.body.url, `https://registry.test/r/${id.printed}`);
      assert.equal(res.body.manufacturer.id, m.org.id);
      assert.equal(res.body.issuanceId, undefined, 'issuance details are the manufacturer’s');
    }
    const own = await h.call('GET', `/v1/robots/${id.canonical}`, { key: m.key });
    assert.equal(own.body.issuanceId, issued.body.issuanceId);
    const typo = id.printed.slice(0, 20) + (id.printed[20] === '1' ? '2' : '1') + id.printed.slice(21);
    const res = await h.call('GET', `/v1/robots/${typo}`);
    assert.equal(res.status, 400);
    assert.match(res.body.detail, /probably mistyped/);
    const unissued = id.canonical.slice(0, 12) + 'R0000000099999999';
    assert.equal((await h.call('GET', `/v1/robots/${unissued}`)).status, 404);
  });
});
