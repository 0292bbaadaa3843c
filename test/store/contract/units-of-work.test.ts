import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Store } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { org } from './fixtures.js';

for (const adapter of adapters) {
  describe(`store contract, units of work and the store itself: ${adapter.name}`, () => {
    let store: Store;
    let reopen: () => Store;
    let dispose: () => void;
    beforeEach(() => {
      ({ store, reopen, dispose } = adapter.create());
    });
    afterEach(async () => {
      await store.close();
      dispose();
    });

    test('a savepoint answers what its work answers; nested ones undo only their own writes', async () => {
      const answer = await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        return tx.savepoint(async () => {
          await tx.insertOrganisation(org(2));
          await assert.rejects(
            tx.savepoint(async () => {
              await tx.insertOrganisation(org(3));
              await tx.savepoint(() => tx.insertOrganisation(org(4)));
              throw new Error('refused');
            }),
            /refused/,
          );
          await tx.insertOrganisation(org(5));
          return 'kept';
        });
      });
      assert.equal(answer, 'kept');
      const listed = await store.read((r) => r.listOrganisations({}, { after: 0, limit: 10 }));
      assert.deepEqual(
        listed.items.map((o) => o.id),
        ['org_1', 'org_2', 'org_5'],
      );
    });

    test('a savepoint refused by the database (a unique key) leaves the unit of work usable', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await assert.rejects(tx.savepoint(() => tx.insertOrganisation(org(1))));
        await tx.insertOrganisation(org(2));
      });
      const listed = await store.read((r) => r.listOrganisations({}, { after: 0, limit: 10 }));
      assert.deepEqual(
        listed.items.map((o) => o.id),
        ['org_1', 'org_2'],
      );
    });

    test('an open store answers a ping with true', async () => {
      assert.equal(await store.ping(), true);
      await store.write((tx) => tx.insertOrganisation(org(1)));
      assert.equal(await store.ping(), true);
    });

    test('leadership is per role: another process may lead another role meanwhile', async () => {
      const other = reopen();
      try {
        assert.equal(await store.leads('checkpoint-signer'), true);
        assert.equal(await other.leads('recall-worker'), true);
        assert.equal(await store.leads('recall-worker'), store.dialect === 'sqlite');
        assert.equal(await other.leads('checkpoint-signer'), store.dialect === 'sqlite');
        assert.equal(await store.leads('checkpoint-signer'), true, 'kept while the process lives');
      } finally {
        await other.close();
      }
    });
  });
}
