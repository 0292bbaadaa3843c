import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PersonalDataErasure, PersonalDataRecord } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { bytes, org, storePerTest } from './fixtures.js';

/** Party `n`'s sealed data under key-encryption key `kekVersion`; every byte string distinct. */
const sealed = (
  n: number,
  kekVersion: number,
  extra: Partial<PersonalDataRecord> = {},
): PersonalDataRecord => ({
  partyId: `org_${n}`,
  kekVersion,
  wrappedKey: bytes(60, n * 10 + kekVersion),
  nonce: bytes(12, n * 10 + 1),
  ciphertext: bytes(300, n * 10 + 2),
  authTag: bytes(16, n * 10 + 3),
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

const person = (n: number) =>
  org(n, {
    kind: 'person',
    roles: ['operator'],
    enterpriseCode: null,
    registrationNumber: `person:org_${n}`,
  });

for (const adapter of adapters) {
  describe(`store contract, personal data: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    const persons = (...ns: number[]) =>
      store.write(async (tx) => {
        for (const n of ns) await tx.insertOrganisation(person(n));
      });

    test("a person's sealed data round-trips byte for byte; a put replaces it whole; none is null", async () => {
      await persons(1, 2);
      await store.write((tx) => tx.putPersonalData(sealed(1, 1)));
      const read = await store.read((r) => r.getPersonalData('org_1'));
      assert.deepEqual(read, sealed(1, 1));
      for (const field of ['wrappedKey', 'nonce', 'ciphertext', 'authTag'] as const)
        assert.ok(read![field].equals(sealed(1, 1)[field]), field);
      const corrected = sealed(1, 2, {
        ciphertext: bytes(500, 77),
        nonce: bytes(12, 78),
        authTag: bytes(16, 79),
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-02-01T00:00:00.000Z',
      });
      await store.write((tx) => tx.putPersonalData(corrected));
      assert.deepEqual(await store.read((r) => r.getPersonalData('org_1')), corrected);
      assert.equal(await store.read((r) => r.getPersonalData('org_2')), null);
    });

    test('data keys not wrapped under a version are listed in party order after a party, at most `limit`', async () => {
      await persons(1, 2, 3, 4, 5);
      await store.write(async (tx) => {
        for (const [n, version] of [
          [4, 1],
          [2, 2],
          [1, 1],
          [5, 3],
          [3, 1],
        ])
          await tx.putPersonalData(sealed(n!, version!));
      });
      const list = (after: string, limit: number) =>
        store.read((r) => r.listKeysWrappedOtherThan(2, after, limit));
      const first = await list('', 2);
      assert.deepEqual(first, [
        { partyId: 'org_1', kekVersion: 1, wrappedKey: sealed(1, 1).wrappedKey },
        { partyId: 'org_3', kekVersion: 1, wrappedKey: sealed(3, 1).wrappedKey },
      ]);
      assert.deepEqual(
        (await list('org_3', 2)).map((k) => [k.partyId, k.kekVersion]),
        [
          ['org_4', 1],
          ['org_5', 3],
        ],
      );
      assert.deepEqual(await list('org_5', 2), []);
      assert.deepEqual(
        await store.read((r) => r.countWrappedKeysByVersion()),
        new Map([
          [1, 3],
          [2, 1],
          [3, 1],
        ]),
      );
    });

    test('a key is rewrapped only if still wrapped as it was read (true), else left alone (false)', async () => {
      await persons(1, 2);
      await store.write(async (tx) => {
        await tx.putPersonalData(sealed(1, 1));
        await tx.putPersonalData(sealed(2, 1));
      });
      const previous = { partyId: 'org_1', kekVersion: 1, wrappedKey: sealed(1, 1).wrappedKey };
      assert.equal(await store.write((tx) => tx.rewrapPersonalDataKey(previous, 2, bytes(60, 200))), true);
      assert.deepEqual(
        await store.read((r) => r.getPersonalData('org_1')),
        sealed(1, 2, { wrappedKey: bytes(60, 200) }),
        'only the wrapping changed',
      );
      assert.equal(
        await store.write((tx) => tx.rewrapPersonalDataKey(previous, 3, bytes(60, 201))),
        false,
        'rewrapped meanwhile',
      );
      const staleKey = { partyId: 'org_2', kekVersion: 1, wrappedKey: bytes(60, 5) };
      assert.equal(await store.write((tx) => tx.rewrapPersonalDataKey(staleKey, 2, bytes(60, 202))), false);
      const unknown = { partyId: 'org_9', kekVersion: 1, wrappedKey: bytes(60, 5) };
      assert.equal(await store.write((tx) => tx.rewrapPersonalDataKey(unknown, 2, bytes(60, 203))), false);
      assert.deepEqual(await store.read((r) => r.getPersonalData('org_2')), sealed(2, 1));
      assert.deepEqual(
        await store.read((r) => r.countWrappedKeysByVersion()),
        new Map([
          [1, 1],
          [2, 1],
        ]),
      );
    });

    test('erasing deletes the sealed data once (true, then false); the erasure is recorded once', async () => {
      await persons(1, 2);
      await store.write((tx) => tx.putPersonalData(sealed(1, 1)));
      const erasure: PersonalDataErasure = {
        partyId: 'org_1',
        erasedAt: '2026-03-01T00:00:00.000Z',
        erasedBy: 'key_admin',
        legalBasis: 'GDPR Art. 17(1)(a)',
        requestReference: 'DSR-2026-0001',
      };
      assert.equal(
        await store.write(async (tx) => {
          await tx.insertPersonalDataErasure(erasure);
          return tx.deletePersonalData('org_1');
        }),
        true,
      );
      assert.equal(await store.write((tx) => tx.deletePersonalData('org_1')), false);
      assert.equal(await store.write((tx) => tx.deletePersonalData('org_2')), false);
      assert.equal(await store.read((r) => r.getPersonalData('org_1')), null);
      assert.equal((await store.read((r) => r.countWrappedKeysByVersion())).size, 0);
      assert.deepEqual(await store.read((r) => r.getPersonalDataErasure('org_1')), erasure);
      assert.equal(await store.read((r) => r.getPersonalDataErasure('org_2')), null);
      await assert.rejects(store.write((tx) => tx.insertPersonalDataErasure({ ...erasure, erasedBy: null })));
      const byNobody = { ...erasure, partyId: 'org_2', erasedBy: null };
      await store.write((tx) => tx.insertPersonalDataErasure(byNobody));
      assert.deepEqual(await store.read((r) => r.getPersonalDataErasure('org_2')), byNobody);
    });
  });
}
