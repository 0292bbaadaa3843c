import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROLES } from '../../../src/domain/org/roles.js';
import { creditCode, admit } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';

describe('organisations', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  const orgCount = async () =>
    (await h.ctx.store.read((r) => r.listOrganisations({}, { after: 0, limit: 1000 }))).items.length;

  test('admitting manufacturers allocates sequential, permanent enterprise codes', async () => {
    const a = await admit(h, ['manufacturer']);
    const b = await admit(h, ['manufacturer', 'seller']);
    const seller = await admit(h, ['seller']);
    assert.match(a.org.enterpriseCode, /^[0-9A-HJ-NPR-Z]{4}$/);
    assert.equal(b.org.enterpriseCode, String(Number(a.org.enterpriseCode) + 1).padStart(4, '0'));
    assert.equal(seller.org.enterpriseCode, null);
    assert.deepEqual(b.org.roles, ['manufacturer', 'seller']);
  });

  test('only the platform administrator admits organisations', async () => {
    const seller = await admit(h, ['seller']);
    const body = { name: 'X', roles: ['seller'], jurisdiction: 'CN', registrationNumber: creditCode() };
    const denied = await h.call('POST', '/v1/organisations', { key: seller.key, body });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.type, 'urn:robotid:problem:role-required');
    const anonymous = await h.call('POST', '/v1/organisations', { body });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers['www-authenticate'], 'Bearer realm="robotid"');
  });

  test('a mistyped credit code is refused with the failing position, and nothing is written', async () => {
    const before = await orgCount();
    const good = creditCode();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await h.call('POST', '/v1/organisations', {
      key: h.adminKey,
      body: { name: 'Typo Ltd', roles: ['seller'], jurisdiction: 'CN', registrationNumber: bad },
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.body.type, 'urn:robotid:problem:invalid-organisation');
    assert.equal(res.body.errors[0].field, '/registrationNumber');
    assert.match(res.body.errors[0].message, /check character/);
    assert.equal(await orgCount(), before);
    const failures = await h.ctx.store.read((r) =>
      r.countAudit({ action: 'organisation.admit', outcome: 'failure' }),
    );
    assert.ok(failures >= 1, 'the refused attempt is in the audit log');
  });

  test('a registration number cannot be admitted twice', async () => {
    const code = creditCode();
    const body = { name: 'Twice Co', roles: ['seller'], jurisdiction: 'CN', registrationNumber: code };
    assert.equal((await h.call('POST', '/v1/organisations', { key: h.adminKey, body })).status, 201);
    const before = await orgCount();
    const again = await h.call('POST', '/v1/organisations', {
      key: h.adminKey,
      body: { ...body, name: 'Twice Again' },
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.type, 'urn:robotid:problem:registration-number-taken');
    assert.deepEqual(again.body.errors, [{ field: '/registrationNumber', message: 'already registered' }]);
    assert.equal(await orgCount(), before);
  });

  test('unknown fields, wrong types, unknown roles and countries are refused precisely', async () => {
    const base = { name: 'Y', roles: ['seller'], jurisdiction: 'CN', registrationNumber: creditCode() };
    const unknownField = await h.call('POST', '/v1/organisations', {
      key: h.adminKey,
      body: { ...base, website: 'x' },
    });
    assert.equal(unknownField.status, 400);
    assert.deepEqual(unknownField.body.errors, [{ field: '/website', message: 'unknown field' }]);
    const wrongType = await h.call('POST', '/v1/organisations', {
      key: h.adminKey,
      body: { ...base, roles: 'seller' },
    });
    assert.equal(wrongType.status, 400);
    assert.deepEqual(wrongType.body.errors, [{ field: '/roles', message: 'must be array' }]);
    const role = await h.call('POST', '/v1/organisations', {
      key: h.adminKey,
      body: { ...base, roles: ['seller', 'pirate'] },
    });
    assert.equal(role.status, 400);
    assert.equal(role.body.errors[0].field, '/roles/1');
    const admin = await h.call('POST', '/v1/organisations', {
      key: h.adminKey,
      body: { ...base, roles: ['admin'] },
    });
    assert.equal(admin.status, 400);
    const country = await h.call('POST', '/v1/organisations', {
      key: h.adminKey,
      body: { ...base, jurisdiction: 'XX' },
    });
    assert.equal(country.status, 400);
    assert.equal(country.body.errors[0].field, '/jurisdiction');
  });

  test('every fault of an organisation is reported at once', async () => {
    const res = await h.call('POST', '/v1/organisations', {
      key: h.adminKey,
      body: { name: '  ', roles: ['seller', 'pirate'], jurisdiction: 'XX', registrationNumber: 'ok-123' },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.body.errors.map((e: { field: string }) => e.field),
      ['/name', '/jurisdiction', '/roles/1'],
    );
    const category = await h.call('POST', '/v1/organisations?', {
      key: h.adminKey,
      body: { name: 'Z', roles: ['seller'], jurisdiction: 'CN', registrationNumber: creditCode(), extra: 1 },
    });
    assert.deepEqual(category.body.errors, [{ field: '/extra', message: 'unknown field' }]);
    const role = await h.call('GET', '/v1/organisations?role=pirate', { key: h.adminKey });
    assert.deepEqual(role.body.errors, [
      { field: 'query:/role', message: `must be one of: ${ROLES.join(', ')}` },
    ]);
  });

  test('foreign organisations register with their own register numbers', async () => {
    const res = await h.call('POST', '/v1/organisations', {
      key: h.adminKey,
      body: {
        name: 'Robo GmbH',
        roles: ['manufacturer'],
        jurisdiction: 'DE',
        registrationNumber: 'HRB 123456',
      },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.jurisdiction, 'DE');
  });

  test('lists page with opaque cursors and filter by role', async () => {
    for (let i = 0; i < 3; i++) await admit(h, ['recycler']);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/organisations?role=recycler&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await h.call('GET', url, { key: h.adminKey });
      assert.equal(page.status, 200);
      assert.ok(page.body.items.length <= 2);
      for (const org of page.body.items) {
        assert.ok(org.roles.includes('recycler'));
        seen.push(org.id);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.length >= 3);
    const bad = await h.call('GET', '/v1/organisations?cursor=garbage', { key: h.adminKey });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.type, 'urn:robotid:problem:invalid-cursor');
  });

  test('manufacturers are public; other organisations look not-found to anonymous callers', async () => {
    const maker = await admit(h, ['manufacturer']);
    const operator = await admit(h, ['operator']);
    const pub = await h.call('GET', `/v1/organisations/${maker.org.id}`);
    assert.equal(pub.status, 200);
    assert.equal(pub.body.registrationNumber, undefined, 'registration numbers are not public');
    assert.equal((await h.call('GET', `/v1/organisations/${operator.org.id}`)).status, 404);
    const own = await h.call('GET', `/v1/organisations/${operator.org.id}`, { key: operator.key });
    assert.equal(own.body.registrationNumber, operator.org.registrationNumber);
    const other = await h.call('GET', `/v1/organisations/${operator.org.id}`, { key: maker.key });
    assert.equal(other.status, 200);
    assert.equal(other.body.registrationNumber, undefined);
    assert.equal((await h.call('GET', '/v1/organisations')).status, 401);
  });
});

// The name filter is the store's (a dialect's SQL each): through the API on both.
for (const store of testStores) {
  describe(`organisations by name: ${store.name}`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
    });
    after(() => h.close());

    test('filter by a part of the name, letter case ignored, paged; an empty or overlong name is refused', async () => {
      const tag = 'NameTag';
      for (const name of [`${tag} Alpha`, `${tag.toUpperCase()} beta`, `Other ${tag.toLowerCase()} Ärger`])
        await admit(h, ['seller'], name);
      const names = async (query: string) => {
        const found: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await h.call(
            'GET',
            `/v1/organisations?${query}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
            { key: h.adminKey },
          );
          assert.equal(page.status, 200);
          found.push(...page.body.items.map((o: { name: string }) => o.name));
          cursor = page.body.nextCursor;
        } while (cursor);
        return found;
      };
      assert.deepEqual(await names(`name=${encodeURIComponent(tag.toLowerCase())}`), [
        `${tag} Alpha`,
        `${tag.toUpperCase()} beta`,
        `Other ${tag.toLowerCase()} Ärger`,
      ]);
      assert.deepEqual(await names(`name=${encodeURIComponent(`${tag} b`)}&role=seller`), [
        `${tag.toUpperCase()} beta`,
      ]);
      assert.deepEqual(await names(`name=${encodeURIComponent('ärger')}`), [
        `Other ${tag.toLowerCase()} Ärger`,
      ]);
      assert.deepEqual(await names(`name=${tag}&role=manufacturer`), []);
      const empty = await h.call('GET', '/v1/organisations?name=', { key: h.adminKey });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.type, 'urn:robotid:problem:validation-failed');
      assert.deepEqual(empty.body.errors, [
        { field: 'query:/name', message: 'must NOT have fewer than 1 characters' },
      ]);
      const long = await h.call('GET', `/v1/organisations?name=${'x'.repeat(201)}`, { key: h.adminKey });
      assert.equal(long.status, 400);
      assert.deepEqual(long.body.errors, [
        { field: 'query:/name', message: 'must NOT have more than 200 characters' },
      ]);
    });
  });
}
