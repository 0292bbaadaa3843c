import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  DeliveryAttempt,
  DeliveryFilter,
  DeliveryRecord,
  NewDelivery,
  SubscriptionRecord,
} from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { allPages, bytes, org, storePerTest } from './fixtures.js';

const subscription = (
  id: string,
  orgId: string,
  extra: Partial<SubscriptionRecord> = {},
): SubscriptionRecord => ({
  id,
  orgId,
  url: `https://${orgId}.example/hooks/${id}`,
  topics: ['recall.opened', 'robot.suspended'],
  secretSealed: bytes(60, id.length),
  createdAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
  ...extra,
});

const delivery = (
  id: string,
  subscriptionId: string,
  noticeId: number,
  extra: Partial<NewDelivery> = {},
): NewDelivery => ({
  id,
  subscriptionId,
  orgId: subscriptionId === 'sub_b' ? 'org_2' : 'org_1',
  noticeId,
  state: 'pending',
  attempts: 0,
  nextAttemptAt: '2026-01-01T00:00:00.000Z',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  lastStatus: null,
  lastError: null,
  ...extra,
});

const attempt = (deliveryId: string, n: number, extra: Partial<DeliveryAttempt> = {}): DeliveryAttempt => ({
  deliveryId,
  attempt: n,
  at: `2026-01-01T00:0${n}:00.000Z`,
  durationMs: 100 * n,
  status: 500,
  error: null,
  ...extra,
});

for (const adapter of adapters) {
  describe(`store contract, webhooks: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    /** Two organisations, sub_a and sub_c of org_1 and sub_b of org_2. */
    const subscribe = () =>
      store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertOrganisation(org(2));
        await tx.insertSubscription(subscription('sub_a', 'org_1'));
        await tx.insertSubscription(subscription('sub_b', 'org_2'));
        await tx.insertSubscription(subscription('sub_c', 'org_1'));
      });

    const ids = (deliveries: DeliveryRecord[]) => deliveries.map((d) => d.id);

    test('a subscription round-trips whole, its sealed secret byte for byte; none is null', async () => {
      const written = subscription('sub_1', 'org_1', {
        topics: ['compliance.finding'],
        secretSealed: bytes(77, 3),
      });
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertSubscription(written);
      });
      const read = await store.read((r) => r.getSubscription('sub_1'));
      assert.deepEqual(read, written);
      assert.ok(read!.secretSealed.equals(bytes(77, 3)));
      assert.equal(await store.read((r) => r.getSubscription('sub_2')), null);
      await assert.rejects(
        store.write((tx) => tx.insertSubscription(written)),
        'ids are unique',
      );
    });

    test("subscriptions not removed, one organisation's or all, oldest first (then by id)", async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertOrganisation(org(2));
        await tx.insertSubscription(
          subscription('sub_z', 'org_1', { createdAt: '2026-01-03T00:00:00.000Z' }),
        );
        await tx.insertSubscription(
          subscription('sub_y', 'org_2', { createdAt: '2026-01-02T00:00:00.000Z' }),
        );
        await tx.insertSubscription(
          subscription('sub_x', 'org_1', { createdAt: '2026-01-03T00:00:00.000Z' }),
        );
        await tx.insertSubscription(
          subscription('sub_w', 'org_1', { createdAt: '2026-01-04T00:00:00.000Z' }),
        );
      });
      const listed = async (orgId: string | null) =>
        (await store.read((r) => r.listSubscriptions(orgId))).map((s) => s.id);
      assert.deepEqual(await listed(null), ['sub_y', 'sub_x', 'sub_z', 'sub_w']);
      assert.deepEqual(await listed('org_1'), ['sub_x', 'sub_z', 'sub_w']);
      assert.deepEqual(await listed('org_3'), []);
      assert.equal(
        await store.write((tx) => tx.deleteSubscription('sub_x', '2026-02-01T00:00:00.000Z')),
        true,
      );
      assert.deepEqual(await listed('org_1'), ['sub_z', 'sub_w']);
      assert.deepEqual(await listed(null), ['sub_y', 'sub_z', 'sub_w']);
      assert.equal(
        (await store.read((r) => r.getSubscription('sub_x')))?.deletedAt,
        '2026-02-01T00:00:00.000Z',
      );
    });

    test('a subscription is removed once: true, then false; false for none', async () => {
      await subscribe();
      assert.equal(
        await store.write((tx) => tx.deleteSubscription('sub_a', '2026-02-01T00:00:00.000Z')),
        true,
      );
      assert.equal(
        await store.write((tx) => tx.deleteSubscription('sub_a', '2026-03-01T00:00:00.000Z')),
        false,
      );
      assert.equal(
        await store.write((tx) => tx.deleteSubscription('sub_none', '2026-03-01T00:00:00.000Z')),
        false,
      );
      assert.equal(
        (await store.read((r) => r.getSubscription('sub_a')))?.deletedAt,
        '2026-02-01T00:00:00.000Z',
        'the first removal is kept',
      );
    });

    test('deliveries round-trip with rising seqs; one for a subscription and notice already there is kept', async () => {
      await subscribe();
      const full = delivery('d_2', 'sub_a', 7, {
        state: 'dead',
        attempts: 5,
        nextAttemptAt: null,
        updatedAt: '2026-01-02T00:00:00.000Z',
        lastStatus: 410,
        lastError: 'gone',
      });
      await store.write((tx) => tx.insertDeliveries([delivery('d_1', 'sub_a', 6), full]));
      await store.write((tx) => tx.insertDeliveries([]));
      await store.write((tx) =>
        tx.insertDeliveries([delivery('d_dup', 'sub_a', 6, { attempts: 9 }), delivery('d_3', 'sub_b', 6)]),
      );
      const [d1, d2, d3] = await Promise.all(
        ['d_1', 'd_2', 'd_3'].map((id) => store.read((r) => r.getDelivery(id))),
      );
      assert.deepEqual(d2, { ...full, seq: d2!.seq });
      assert.ok(d1!.seq < d2!.seq && d2!.seq < d3!.seq, 'seqs rise in the order given');
      assert.equal(d1!.attempts, 0, 'the delivery already there is kept as it was');
      assert.equal(await store.read((r) => r.getDelivery('d_dup')), null);
      assert.deepEqual(await store.read((r) => r.getDelivery('d_none')), null);
    });

    test('a delivery skipped as already there takes no seq: the next one appended gets the next', async () => {
      await subscribe();
      await store.write((tx) => tx.insertDeliveries([delivery('d_1', 'sub_a', 1)]));
      await store.write((tx) =>
        tx.insertDeliveries([delivery('d_dup', 'sub_a', 1), delivery('d_2', 'sub_a', 2)]),
      );
      const seqs = await Promise.all(['d_1', 'd_2'].map((id) => store.read((r) => r.getDelivery(id))));
      assert.equal(seqs[1]!.seq, seqs[0]!.seq + 1);
    });

    test('deliveries are listed in creation order, each filter narrowing, paged with limit and next', async () => {
      await subscribe();
      await store.write((tx) =>
        tx.insertDeliveries([
          delivery('d_1', 'sub_a', 1),
          delivery('d_2', 'sub_b', 1),
          delivery('d_3', 'sub_c', 1, { state: 'delivered', nextAttemptAt: null }),
          delivery('d_4', 'sub_a', 2, { state: 'dead', nextAttemptAt: null }),
          delivery('d_5', 'sub_a', 3),
        ]),
      );
      const listed = async (filter: DeliveryFilter) =>
        ids(await allPages(0, (after) => store.read((r) => r.listDeliveries(filter, { after, limit: 2 }))));
      assert.deepEqual(await listed({}), ['d_1', 'd_2', 'd_3', 'd_4', 'd_5']);
      assert.deepEqual(await listed({ orgId: 'org_1' }), ['d_1', 'd_3', 'd_4', 'd_5']);
      assert.deepEqual(await listed({ subscriptionId: 'sub_a' }), ['d_1', 'd_4', 'd_5']);
      assert.deepEqual(await listed({ state: 'pending' }), ['d_1', 'd_2', 'd_5']);
      assert.deepEqual(await listed({ orgId: 'org_1', subscriptionId: 'sub_a', state: 'dead' }), ['d_4']);
      assert.deepEqual(await listed({ orgId: 'org_2', subscriptionId: 'sub_a' }), []);
      const first = await store.read((r) => r.listDeliveries({}, { after: 0, limit: 2 }));
      assert.equal(first.next, first.items[1]!.seq);
      const last = await store.read((r) =>
        r.listDeliveries({ state: 'pending' }, { after: first.next!, limit: 1 }),
      );
      assert.deepEqual({ ids: ids(last.items), next: last.next }, { ids: ['d_5'], next: null });
    });

    test('a claim takes pending deliveries due now, longest due first, and leases them until leaseUntil', async () => {
      await subscribe();
      const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
      await store.write((tx) =>
        tx.insertDeliveries([
          delivery('d_late', 'sub_a', 1, { nextAttemptAt: at(5) }),
          delivery('d_first', 'sub_a', 2, { nextAttemptAt: at(1) }),
          delivery('d_future', 'sub_a', 3, { nextAttemptAt: at(30) }),
          delivery('d_done', 'sub_a', 4, { state: 'delivered', nextAttemptAt: at(0) }),
          delivery('d_second', 'sub_b', 2, { nextAttemptAt: at(2) }),
          delivery('d_now', 'sub_c', 2, { nextAttemptAt: at(10) }),
        ]),
      );
      const claim = (now: string, leaseUntil: string, limit: number) =>
        store.write((tx) => tx.claimDueDeliveries(now, leaseUntil, limit));
      const claimed = await claim(at(10), at(20), 2);
      assert.deepEqual(ids(claimed).sort(), ['d_first', 'd_second']);
      assert.ok(claimed.every((d) => d.nextAttemptAt === at(20) && d.state === 'pending'));
      assert.equal((await store.read((r) => r.getDelivery('d_first')))?.nextAttemptAt, at(20));
      assert.deepEqual(
        ids(await claim(at(10), at(20), 10)).sort(),
        ['d_late', 'd_now'],
        'due at `now` counts',
      );
      assert.deepEqual(await claim(at(19), at(40), 10), [], 'leased until 20');
      assert.deepEqual(ids(await claim(at(20), at(40), 10)).sort(), [
        'd_first',
        'd_late',
        'd_now',
        'd_second',
      ]);
      assert.deepEqual(await claim(at(20), at(40), 0), []);
    });

    test('an update replaces what an attempt changes; attempts are listed first first', async () => {
      await subscribe();
      await store.write((tx) =>
        tx.insertDeliveries([delivery('d_1', 'sub_a', 1), delivery('d_2', 'sub_a', 2)]),
      );
      const update = {
        state: 'delivered' as const,
        attempts: 2,
        nextAttemptAt: null,
        updatedAt: '2026-01-01T00:02:00.000Z',
        lastStatus: 204,
        lastError: null,
      };
      await store.write(async (tx) => {
        await tx.insertDeliveryAttempt(attempt('d_1', 2, { status: 204 }));
        await tx.insertDeliveryAttempt(attempt('d_1', 1, { status: null, error: 'connection refused' }));
        await tx.updateDelivery('d_1', update);
      });
      const before = await store.read((r) => r.getDelivery('d_2'));
      assert.deepEqual(await store.read((r) => r.getDelivery('d_1')), {
        ...delivery('d_1', 'sub_a', 1),
        ...update,
        seq: (await store.read((r) => r.getDelivery('d_1')))!.seq,
      });
      assert.deepEqual(await store.read((r) => r.listDeliveryAttempts('d_1')), [
        attempt('d_1', 1, { status: null, error: 'connection refused' }),
        attempt('d_1', 2, { status: 204 }),
      ]);
      assert.deepEqual(await store.read((r) => r.listDeliveryAttempts('d_2')), []);
      assert.deepEqual(await store.read((r) => r.getDelivery('d_2')), before, 'other deliveries untouched');
      await assert.rejects(
        store.write((tx) => tx.insertDeliveryAttempt(attempt('d_1', 2))),
        'one record per attempt',
      );
    });

    test("ending a removed subscription's deliveries kills its pending ones only", async () => {
      await subscribe();
      await store.write((tx) =>
        tx.insertDeliveries([
          delivery('d_1', 'sub_a', 1),
          delivery('d_2', 'sub_a', 2, {
            state: 'delivered',
            nextAttemptAt: null,
            lastStatus: 200,
            updatedAt: '2026-01-01T00:05:00.000Z',
          }),
          delivery('d_3', 'sub_b', 1),
          delivery('d_4', 'sub_a', 3, { attempts: 2, lastStatus: 503 }),
        ]),
      );
      const before = await Promise.all(['d_2', 'd_3'].map((id) => store.read((r) => r.getDelivery(id))));
      await store.write((tx) =>
        tx.endPendingDeliveries('sub_a', '2026-02-01T00:00:00.000Z', 'subscription removed'),
      );
      const ended = await store.read((r) => r.listDeliveries({ state: 'dead' }, { after: 0, limit: 10 }));
      assert.deepEqual(
        ended.items.map((d) => [d.id, d.nextAttemptAt, d.updatedAt, d.lastError, d.attempts, d.lastStatus]),
        [
          ['d_1', null, '2026-02-01T00:00:00.000Z', 'subscription removed', 0, null],
          ['d_4', null, '2026-02-01T00:00:00.000Z', 'subscription removed', 2, 503],
        ],
      );
      assert.deepEqual(
        await Promise.all(['d_2', 'd_3'].map((id) => store.read((r) => r.getDelivery(id)))),
        before,
      );
    });
  });
}
