import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adapters } from '../adapters.js';
import { apiKey, bytes, org, storePerTest } from './fixtures.js';

for (const adapter of adapters) {
  describe(`store contract, API keys: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    test('a key round-trips whole, its secret hash byte for byte; listed per organisation in creation order', async () => {
      const full = apiKey('key_b', 'org_1', {
        secretHash: bytes(32, 7),
        createdByKey: 'key_a',
        revokedAt: '2026-02-01T00:00:00.000Z',
        lastUsedAt: '2026-01-15T00:00:00.000Z',
      });
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertOrganisation(org(2));
        await tx.insertApiKey(apiKey('key_z', 'org_1'));
        await tx.insertApiKey(apiKey('key_other', 'org_2'));
        await tx.insertApiKey(full);
      });
      const read = await store.read((r) => r.getApiKey('key_b'));
      assert.deepEqual(read, full);
      assert.ok(read!.secretHash.equals(bytes(32, 7)));
      assert.equal(await store.read((r) => r.getApiKey('key_none')), null);
      assert.deepEqual(
        (await store.read((r) => r.listApiKeys('org_1'))).map((k) => k.id),
        ['key_z', 'key_b'],
      );
      assert.deepEqual(await store.read((r) => r.listApiKeys('org_3')), []);
      await assert.rejects(
        store.write((tx) => tx.insertApiKey(apiKey('key_b', 'org_2'))),
        'ids are unique',
      );
    });

    test('a revocation is kept once made: revoking again does not move its time', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertApiKey(apiKey('key_1', 'org_1'));
      });
      await store.write((tx) => tx.revokeApiKey('key_1', '2026-03-01T00:00:00.000Z'));
      await store.write((tx) => tx.revokeApiKey('key_1', '2026-04-01T00:00:00.000Z'));
      await store.write((tx) => tx.revokeApiKey('key_none', '2026-04-01T00:00:00.000Z'));
      assert.equal((await store.read((r) => r.getApiKey('key_1')))?.revokedAt, '2026-03-01T00:00:00.000Z');
    });

    test('touching a key records when it was last used, latest touch wins', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertApiKey(apiKey('key_1', 'org_1'));
        await tx.insertApiKey(apiKey('key_2', 'org_1'));
      });
      await store.write((tx) => tx.touchApiKey('key_1', '2026-03-01T00:00:00.000Z'));
      await store.write((tx) => tx.touchApiKey('key_1', '2026-03-02T00:00:00.000Z'));
      const keys = await store.read((r) => r.listApiKeys('org_1'));
      assert.deepEqual(
        keys.map((k) => [k.id, k.lastUsedAt]),
        [
          ['key_1', '2026-03-02T00:00:00.000Z'],
          ['key_2', null],
        ],
      );
    });

    test('a unit of work holds a key as it is committed, or null for none', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertApiKey(apiKey('key_1', 'org_1'));
      });
      await store.write((tx) => tx.revokeApiKey('key_1', '2026-03-01T00:00:00.000Z'));
      const [held, none] = await store.write(async (tx) => [
        await tx.holdApiKey('key_1'),
        await tx.holdApiKey('key_none'),
      ]);
      assert.deepEqual(held, apiKey('key_1', 'org_1', { revokedAt: '2026-03-01T00:00:00.000Z' }));
      assert.equal(none, null);
    });

    test('a revocation asked for while a unit of work holds the key commits only after that unit of work', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertApiKey(apiKey('key_1', 'org_1'));
      });
      let held!: () => void;
      const holds = new Promise<void>((resolve) => (held = resolve));
      const holding = store.write(async (tx) => {
        const key = await tx.holdApiKey('key_1');
        held();
        await new Promise((resolve) => setTimeout(resolve, 200));
        return [key?.revokedAt, (await tx.getApiKey('key_1'))?.revokedAt];
      });
      await holds;
      const revoking = store.write((tx) => tx.revokeApiKey('key_1', '2026-03-01T00:00:00.000Z'));
      assert.deepEqual(await holding, [null, null], 'not revoked while held');
      await revoking;
      assert.equal((await store.read((r) => r.getApiKey('key_1')))?.revokedAt, '2026-03-01T00:00:00.000Z');
    });

    test('an admin key exists only while an unrevoked key of an admin organisation does', async () => {
      const hasAdminKey = () => store.read((r) => r.hasAdminKey());
      assert.equal(await hasAdminKey(), false, 'an empty registry');
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1, { roles: ['manufacturer'] }));
        await tx.insertOrganisation(org(2, { roles: ['admin', 'regulator'], enterpriseCode: null }));
        await tx.insertApiKey(apiKey('key_1', 'org_1'));
      });
      assert.equal(await hasAdminKey(), false, 'a key of an organisation that is not admin');
      await store.write((tx) => tx.insertApiKey(apiKey('key_2', 'org_2')));
      assert.equal(await hasAdminKey(), true);
      await store.write((tx) => tx.revokeApiKey('key_2', '2026-03-01T00:00:00.000Z'));
      assert.equal(await hasAdminKey(), false, 'its only key revoked');
    });
  });
}
