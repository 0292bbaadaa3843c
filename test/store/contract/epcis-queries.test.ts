import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  EpcisQueryRecord,
  EpcisResultRecord,
  EpcisSubscriptionRecord,
  SubscriptionRecord,
} from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { bytes, event, org, robotId, storePerTest } from './fixtures.js';

const AT = '2026-01-01T00:00:00.000Z';

const query = (orgId: string, name: string, extra: Partial<EpcisQueryRecord> = {}): EpcisQueryRecord => ({
  orgId,
  name,
  params: { EQ_bizStep: ['commissioning', 'shipping'], GE_eventTime: '2026-01-01T00:00:00Z' },
  createdAt: AT,
  createdBy: 'key_1',
  ...extra,
});

const webhook = (id: string, orgId: string): SubscriptionRecord => ({
  id,
  orgId,
  url: `https://${orgId}.example/epcis/${id}`,
  topics: [],
  secretSealed: bytes(60, id.length),
  createdAt: AT,
  deletedAt: null,
});

const subscription = (
  id: string,
  orgId: string,
  queryName: string,
  extra: Partial<EpcisSubscriptionRecord> = {},
): EpcisSubscriptionRecord => ({
  id,
  orgId,
  queryName,
  keyId: 'key_1',
  purpose: null,
  initialRecordTime: AT,
  createdAt: AT,
  deletedAt: null,
  ...extra,
});

const result = (
  subscriptionId: string,
  eventSeq: number,
  body = `{"seq":${eventSeq}}`,
): EpcisResultRecord => ({
  subscriptionId,
  eventSeq,
  body,
  createdAt: AT,
});

for (const adapter of adapters) {
  describe(`store contract, EPCIS named queries: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    const twoOrganisations = () =>
      store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertOrganisation(org(2));
      });

    test('a query round-trips; a name is one per organisation; removing says whether there was one', async () => {
      await twoOrganisations();
      const mine = query('org_1', 'made');
      assert.equal(await store.write((tx) => tx.insertEpcisQuery(mine)), true);
      assert.equal(
        await store.write((tx) => tx.insertEpcisQuery(query('org_1', 'made', { params: {} }))),
        false,
      );
      assert.equal(
        await store.write((tx) => tx.insertEpcisQuery(query('org_2', 'made', { params: {} }))),
        true,
      );
      await store.write((tx) => tx.insertEpcisQuery(query('org_1', 'another')));
      assert.deepEqual(await store.read((r) => r.getEpcisQuery('org_1', 'made')), mine);
      assert.deepEqual(
        await store.read((r) => r.getEpcisQuery('org_2', 'made')),
        query('org_2', 'made', { params: {} }),
      );
      assert.equal(await store.read((r) => r.getEpcisQuery('org_1', 'none')), null);
      assert.deepEqual(
        (await store.read((r) => r.listEpcisQueries('org_1'))).map((q) => q.name),
        ['another', 'made'],
      );
      assert.equal(await store.write((tx) => tx.deleteEpcisQuery('org_1', 'made')), true);
      assert.equal(await store.write((tx) => tx.deleteEpcisQuery('org_1', 'made')), false);
      assert.equal(await store.read((r) => r.getEpcisQuery('org_1', 'made')), null);
      assert.notEqual(await store.read((r) => r.getEpcisQuery('org_2', 'made')), null);
    });

    test('subscriptions: per query, removed ones left out; the fan-out sees only those whose webhook lives', async () => {
      await twoOrganisations();
      await store.write(async (tx) => {
        for (const [id, orgId] of [
          ['sub_a', 'org_1'],
          ['sub_b', 'org_1'],
          ['sub_c', 'org_2'],
          ['sub_d', 'org_1'],
        ] as const)
          await tx.insertSubscription(webhook(id, orgId));
        await tx.insertEpcisSubscription(
          subscription('sub_a', 'org_1', 'made', { purpose: 'market_surveillance' }),
        );
        await tx.insertEpcisSubscription(
          subscription('sub_b', 'org_1', 'made', { createdAt: '2026-01-02T00:00:00.000Z' }),
        );
        await tx.insertEpcisSubscription(subscription('sub_c', 'org_2', 'made'));
        await tx.insertEpcisSubscription(subscription('sub_d', 'org_1', 'other'));
      });
      assert.deepEqual(
        await store.read((r) => r.getEpcisSubscription('sub_a')),
        subscription('sub_a', 'org_1', 'made', { purpose: 'market_surveillance' }),
      );
      assert.equal(await store.read((r) => r.getEpcisSubscription('sub_z')), null);
      const ids = async (orgId: string | null, name: string | null) =>
        (await store.read((r) => r.listEpcisSubscriptions(orgId, name))).map((s) => s.id);
      assert.deepEqual(await ids('org_1', 'made'), ['sub_a', 'sub_b']);
      assert.deepEqual(await ids(null, null), ['sub_a', 'sub_c', 'sub_d', 'sub_b']);

      assert.equal(await store.write((tx) => tx.deleteEpcisSubscription('sub_a', AT)), true);
      assert.equal(await store.write((tx) => tx.deleteEpcisSubscription('sub_a', AT)), false);
      assert.equal((await store.read((r) => r.getEpcisSubscription('sub_a')))?.deletedAt, AT);
      await store.write((tx) => tx.deleteSubscription('sub_c', AT)); // its webhook removed
      assert.deepEqual(await ids('org_1', 'made'), ['sub_b']);
      assert.deepEqual(await ids(null, null), ['sub_d', 'sub_b']);
    });

    test('results: one per subscription and event, the first kept', async () => {
      await twoOrganisations();
      await store.write(async (tx) => {
        await tx.insertSubscription(webhook('sub_a', 'org_1'));
        await tx.insertEpcisSubscription(subscription('sub_a', 'org_1', 'made'));
        await tx.insertEpcisResults([result('sub_a', 7), result('sub_a', 9)]);
      });
      await store.write((tx) =>
        tx.insertEpcisResults([result('sub_a', 7, '{"again":true}'), result('sub_a', 12)]),
      );
      await store.write((tx) => tx.insertEpcisResults([]));
      assert.deepEqual(await store.read((r) => r.getEpcisResult('sub_a', 7)), result('sub_a', 7));
      assert.deepEqual(await store.read((r) => r.getEpcisResult('sub_a', 12)), result('sub_a', 12));
      assert.equal(await store.read((r) => r.getEpcisResult('sub_a', 8)), null);
      assert.equal(await store.read((r) => r.getEpcisResult('sub_b', 7)), null);
    });

    test('the last stored event seq', async () => {
      assert.equal(await store.read((r) => r.lastEventSeq()), 0);
      const seqs = await store.write((tx) =>
        tx.insertEvents([event(robotId(1), 'e-1'), event(robotId(1), 'e-2')]),
      );
      assert.equal(await store.read((r) => r.lastEventSeq()), seqs[1]);
    });
  });
}
