import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IssuanceRecord } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { issue, model, org, robotId, storePerTest } from './fixtures.js';

const issuance = (id: string, extra: Partial<IssuanceRecord> = {}): IssuanceRecord => ({
  id,
  orgId: 'org_1',
  keyId: 'key_1',
  requestId: `req-${id}`,
  requestHash: `sha256-of-${id}`,
  enterpriseCode: '0001',
  modelCode: 'AAAAAA',
  serialSource: 'manufacturer',
  count: 3,
  createdAt: '2026-01-05T00:00:00.000Z',
  ...extra,
});

for (const adapter of adapters) {
  describe(`store contract, robots and issuances: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    const setUp = () =>
      store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertOrganisation(org(2));
        await tx.insertModel(model('0001', 'AAAAAA'));
      });

    test('an issuance round-trips whole; found by its organisation and request id only', async () => {
      await setUp();
      const written = issuance('iss_1');
      await store.write((tx) => tx.insertIssuance(written));
      assert.deepEqual(await store.read((r) => r.findIssuanceByRequest('org_1', 'req-iss_1')), written);
      assert.equal(await store.read((r) => r.findIssuanceByRequest('org_2', 'req-iss_1')), null);
      assert.equal(await store.read((r) => r.findIssuanceByRequest('org_1', 'req-other')), null);
    });

    test('a request id is unique per organisation; issuances without one are many', async () => {
      await setUp();
      await store.write(async (tx) => {
        await tx.insertIssuance(issuance('iss_1', { requestId: 'r' }));
        await tx.insertIssuance(issuance('iss_2', { requestId: 'r', orgId: 'org_2' }));
        await tx.insertIssuance(issuance('iss_3', { requestId: null, keyId: null }));
        await tx.insertIssuance(issuance('iss_4', { requestId: null }));
      });
      await assert.rejects(store.write((tx) => tx.insertIssuance(issuance('iss_5', { requestId: 'r' }))));
      await assert.rejects(store.write((tx) => tx.insertIssuance(issuance('iss_1', { requestId: 'new' }))));
      assert.equal((await store.read((r) => r.findIssuanceByRequest('org_2', 'r')))?.id, 'iss_2');
    });

    test('issued IDs come back in ID order, each robot with its issuance, manufacturer and time', async () => {
      await setUp();
      const ids = [robotId(3), robotId(1), robotId(2)];
      await store.write(async (tx) => {
        await tx.insertIssuance(issuance('iss_1'));
        await tx.insertRobots('iss_1', ids);
        await tx.insertIssuance(issuance('iss_2', { count: 0 }));
        await tx.insertRobots('iss_2', []);
      });
      assert.deepEqual(await store.read((r) => r.listIssuedIds('iss_1')), [
        robotId(1),
        robotId(2),
        robotId(3),
      ]);
      assert.deepEqual(await store.read((r) => r.listIssuedIds('iss_2')), []);
      assert.deepEqual(await store.read((r) => r.listIssuedIds('iss_none')), []);
      assert.deepEqual(await store.read((r) => r.getRobot(robotId(2))), {
        id: robotId(2),
        issuanceId: 'iss_1',
        manufacturerId: 'org_1',
        issuedAt: '2026-01-05T00:00:00.000Z',
      });
      assert.equal(await store.read((r) => r.getRobot(robotId(4))), null);
    });

    test('robots are found in a batch: only those issued, by ID; an empty batch finds none', async () => {
      await store.write((tx) => issue(tx, [robotId(1), robotId(2)]));
      const found = await store.read((r) => r.getRobots([robotId(9), robotId(2), robotId(1), robotId(2)]));
      assert.deepEqual([...found.keys()].sort(), [robotId(1), robotId(2)]);
      assert.deepEqual(found.get(robotId(1)), await store.read((r) => r.getRobot(robotId(1))));
      assert.equal((await store.read((r) => r.getRobots([]))).size, 0);
      assert.deepEqual(
        (await store.read((r) => r.existingRobotIds([robotId(2), robotId(9), robotId(1)]))).sort(),
        [robotId(1), robotId(2)],
      );
      assert.deepEqual(await store.read((r) => r.existingRobotIds([])), []);
    });

    test('an ID is issued once; robots need their issuance first', async () => {
      await store.write((tx) => issue(tx, [robotId(1)]));
      await assert.rejects(
        store.write(async (tx) => {
          await tx.insertIssuance(issuance('iss_2'));
          await tx.insertRobots('iss_2', [robotId(2), robotId(1)]);
        }),
        'the same ID twice',
      );
      await assert.rejects(store.write((tx) => tx.insertRobots('iss_none', [robotId(5)])));
      assert.deepEqual(
        (await store.read((r) => r.existingRobotIds([robotId(1), robotId(2), robotId(5)]))).sort(),
        [robotId(1)],
      );
      assert.equal(await store.read((r) => r.findIssuanceByRequest('org_1', 'req-iss_2')), null);
      assert.equal((await store.read((r) => r.getRobot(robotId(1))))?.issuanceId, 'iss_1');
    });
  });
}
