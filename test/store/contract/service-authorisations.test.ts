import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ServiceAuthorisation } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { robotId, storePerTest } from './fixtures.js';

const grant = (id: string, extra: Partial<ServiceAuthorisation> = {}): ServiceAuthorisation => ({
  id,
  robotId: robotId(1),
  orgId: 'org_svc',
  grantedBy: 'org_holder',
  validFrom: '2026-01-01T00:00:00.000Z',
  validUntil: '2026-02-01T00:00:00.000Z',
  revokedAt: null,
  ...extra,
});

for (const adapter of adapters) {
  describe(`store contract, service authorisations: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    test("a robot's authorisations round-trip in the order granted; ids are unique", async () => {
      const written = [
        grant('sa_2'),
        grant('sa_1', { orgId: 'org_other', revokedAt: '2026-01-05T00:00:00.000Z' }),
        grant('sa_3', { robotId: robotId(2) }),
      ];
      await store.write(async (tx) => {
        for (const g of written) await tx.insertServiceAuthorisation(g);
      });
      assert.deepEqual(await store.read((r) => r.listServiceAuthorisations(robotId(1))), written.slice(0, 2));
      assert.deepEqual(await store.read((r) => r.listServiceAuthorisations(robotId(3))), []);
      await assert.rejects(store.write((tx) => tx.insertServiceAuthorisation(grant('sa_1'))));
    });

    test('authorised from validFrom up to (not at) validUntil, by the grantor named, until revoked', async () => {
      await store.write((tx) => tx.insertServiceAuthorisation(grant('sa_1')));
      const authorised = (at: string, grantedBy = 'org_holder', orgId = 'org_svc', robot = robotId(1)) =>
        store.read((r) => r.isAuthorisedForService(robot, orgId, grantedBy, at));
      assert.equal(await authorised('2025-12-31T23:59:59.999Z'), false);
      assert.equal(await authorised('2026-01-01T00:00:00.000Z'), true);
      assert.equal(await authorised('2026-01-31T23:59:59.999Z'), true);
      assert.equal(await authorised('2026-02-01T00:00:00.000Z'), false);
      assert.equal(await authorised('2026-01-15T00:00:00.000Z', 'org_previous_holder'), false);
      assert.equal(await authorised('2026-01-15T00:00:00.000Z', 'org_holder', 'org_other'), false);
      assert.equal(await authorised('2026-01-15T00:00:00.000Z', 'org_holder', 'org_svc', robotId(2)), false);
      await store.write((tx) => tx.revokeServiceAuthorisation('sa_1', '2026-01-10T00:00:00.000Z'));
      assert.equal(await authorised('2026-01-05T00:00:00.000Z'), false, 'a revoked grant authorises nothing');
    });

    test('a revocation is kept once made: revoking again does not move its time', async () => {
      await store.write((tx) => tx.insertServiceAuthorisation(grant('sa_1')));
      await store.write((tx) => tx.revokeServiceAuthorisation('sa_1', '2026-01-10T00:00:00.000Z'));
      await store.write((tx) => tx.revokeServiceAuthorisation('sa_1', '2026-01-20T00:00:00.000Z'));
      await store.write((tx) => tx.revokeServiceAuthorisation('sa_none', '2026-01-20T00:00:00.000Z'));
      assert.deepEqual(await store.read((r) => r.listServiceAuthorisations(robotId(1))), [
        grant('sa_1', { revokedAt: '2026-01-10T00:00:00.000Z' }),
      ]);
    });
  });
}
