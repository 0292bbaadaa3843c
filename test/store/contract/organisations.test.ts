import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adapters } from '../adapters.js';
import { allPages, org, storePerTest } from './fixtures.js';

for (const adapter of adapters) {
  describe(`store contract, organisations: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    test('an organisation round-trips whole, its roles in name order; an unknown id is null', async () => {
      const written = org(1, { roles: ['seller', 'manufacturer', 'admin'], name: 'Ünïcode Robotics 机器人' });
      await store.write((tx) => tx.insertOrganisation(written));
      assert.deepEqual(await store.read((r) => r.getOrganisation('org_1')), {
        ...written,
        roles: ['admin', 'manufacturer', 'seller'],
      });
      assert.equal(await store.read((r) => r.getOrganisation('org_2')), null);
    });

    test('an organisation without roles or enterprise code, and a person, round-trip', async () => {
      const bare = org(1, { roles: [], enterpriseCode: null });
      const person = org(2, {
        kind: 'person',
        name: 'person org_2',
        roles: ['operator'],
        enterpriseCode: null,
        registrationNumber: 'person:org_2',
      });
      await store.write(async (tx) => {
        await tx.insertOrganisation(bare);
        await tx.insertOrganisation(person);
      });
      assert.deepEqual(await store.read((r) => r.getOrganisation('org_1')), bare);
      assert.deepEqual(await store.read((r) => r.getOrganisation('org_2')), person);
    });

    test('found by jurisdiction and registration number together, and by enterprise code', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1, { jurisdiction: 'CN', registrationNumber: 'R-1' }));
        await tx.insertOrganisation(org(2, { jurisdiction: 'DE', registrationNumber: 'R-1' }));
      });
      const byRegistration = (jurisdiction: string, number: string) =>
        store.read(async (r) => (await r.findOrganisationByRegistration(jurisdiction, number))?.id ?? null);
      assert.equal(await byRegistration('CN', 'R-1'), 'org_1');
      assert.equal(await byRegistration('DE', 'R-1'), 'org_2');
      assert.equal(await byRegistration('FR', 'R-1'), null);
      assert.equal(await byRegistration('CN', 'R-2'), null);
      assert.equal((await store.read((r) => r.findOrganisationByEnterpriseCode('0002')))?.id, 'org_2');
      assert.equal(await store.read((r) => r.findOrganisationByEnterpriseCode('0009')), null);
    });

    test('the same id, registration or enterprise code is refused; many organisations may have no enterprise code', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertOrganisation(org(2, { enterpriseCode: null }));
        await tx.insertOrganisation(org(3, { enterpriseCode: null }));
      });
      await assert.rejects(
        store.write((tx) =>
          tx.insertOrganisation(org(1, { registrationNumber: 'NEW', enterpriseCode: null })),
        ),
      );
      await assert.rejects(
        store.write((tx) => tx.insertOrganisation(org(4, { registrationNumber: 'REG2' }))),
      );
      await assert.rejects(store.write((tx) => tx.insertOrganisation(org(5, { enterpriseCode: '0001' }))));
      const all = await store.read((r) => r.listOrganisations({}, { after: 0, limit: 10 }));
      assert.deepEqual(
        all.items.map((o) => o.id),
        ['org_1', 'org_2', 'org_3'],
        'a refused insert leaves nothing behind',
      );
    });

    test('lists in the order inserted, filtered by role, paged with limit and next', async () => {
      // Inserted out of id order: the list follows insertion, not ids.
      const ids = [7, 3, 9, 1, 5];
      await store.write(async (tx) => {
        for (const [i, n] of ids.entries())
          await tx.insertOrganisation(org(n, { roles: i % 2 ? ['seller'] : ['manufacturer', 'seller'] }));
      });
      const everyone = await allPages(0, (after) =>
        store.read((r) => r.listOrganisations({}, { after, limit: 2 })),
      );
      assert.deepEqual(
        everyone.map((o) => o.id),
        ids.map((n) => `org_${n}`),
      );
      const page = await store.read((r) => r.listOrganisations({}, { after: 0, limit: 5 }));
      assert.equal(page.next, null, 'exactly `limit` left: no next page');
      const manufacturers = await allPages(0, (after) =>
        store.read((r) => r.listOrganisations({ role: 'manufacturer' }, { after, limit: 1 })),
      );
      assert.deepEqual(
        manufacturers.map((o) => o.id),
        ['org_7', 'org_9', 'org_5'],
      );
      assert.deepEqual(
        await store.read((r) => r.listOrganisations({ role: 'regulator' }, { after: 0, limit: 5 })),
        { items: [], next: null },
      );
    });

    test('filtered by a part of the name, letter case ignored in every script, with role and paging', async () => {
      const names = ['Acme Robotics', 'ÄRGER Werke', 'robotics 机器人 Shop', 'Plain 100% Co_op', 'Other'];
      await store.write(async (tx) => {
        for (const [i, name] of names.entries())
          await tx.insertOrganisation(org(i + 1, { name, roles: i === 2 ? ['seller'] : ['manufacturer'] }));
      });
      const named = async (name: string, role?: 'manufacturer') =>
        (
          await allPages(0, (after) =>
            store.read((r) => r.listOrganisations({ name, ...(role ? { role } : {}) }, { after, limit: 1 })),
          )
        ).map((o) => o.name);
      assert.deepEqual(await named('ROBOTICS'), ['Acme Robotics', 'robotics 机器人 Shop']);
      assert.deepEqual(await named('robotics', 'manufacturer'), ['Acme Robotics']);
      assert.deepEqual(await named('ärger'), ['ÄRGER Werke'], 'not only ASCII letters');
      assert.deepEqual(await named('机器人'), ['robotics 机器人 Shop']);
      assert.deepEqual(await named('0% co_'), ['Plain 100% Co_op']);
      assert.deepEqual(await named('%'), ['Plain 100% Co_op'], '% and _ are text, not patterns');
      assert.deepEqual(await named('_'), ['Plain 100% Co_op']);
      assert.deepEqual(await named('robots'), []);
    });

    test('counters count from 1 per name and keep their value across units of work', async () => {
      const values = await store.write(async (tx) => [
        await tx.nextCounter('recalls'),
        await tx.nextCounter('recalls'),
        await tx.nextCounter('other'),
      ]);
      assert.deepEqual(values, [1, 2, 1]);
      assert.equal(await store.write((tx) => tx.nextCounter('recalls')), 3);
    });
  });
}
