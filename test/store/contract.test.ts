import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Organisation } from '../../src/domain/org/organisation.js';
import type { Component } from '../../src/domain/lifecycle/events.js';
import {
  serialisedPartKey,
  type NewEvent,
  type DeliveryAttempt,
  type NewDelivery,
  type NewNotice,
  type ReadAuditFilter,
  type ReadAuditRecord,
  type Store,
  type SubscriptionRecord,
} from '../../src/store/store.js';
import { eventLeaf } from '../../src/log/leaf.js';
import { randomBytes } from 'node:crypto';
import { adapters } from './adapters.js';
import { manufactured, model, org } from './contract/fixtures.js';

for (const adapter of adapters) {
  describe(`store contract: ${adapter.name}`, () => {
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

    test('a unit of work that fails writes nothing', async () => {
      await assert.rejects(
        store.write(async (tx) => {
          await tx.insertOrganisation(org(1));
          await tx.insertModel(model('0001', 'AAAAAA'));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await store.read((r) => r.getOrganisation('org_1')), null);
      assert.equal(await store.read((r) => r.getModel('0001', 'AAAAAA')), null);
    });

    test('a savepoint that fails undoes only its own writes', async () => {
      const kept = await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await assert.rejects(
          tx.savepoint(async () => {
            await tx.insertOrganisation(org(2));
            throw new Error('refused');
          }),
          /refused/,
        );
        await tx.savepoint(() => tx.insertOrganisation(org(3)));
        return true;
      });
      assert.ok(kept);
      const ids = await store.read(async (r) =>
        Promise.all(['org_1', 'org_2', 'org_3'].map(async (id) => (await r.getOrganisation(id))?.id ?? null)),
      );
      assert.deepEqual(ids, ['org_1', null, 'org_3']);
    });

    test('a unit of work that opens another is refused, not left waiting for itself', async () => {
      await assert.rejects(
        store.write(async () => store.write((tx) => tx.nextCounter('x'))),
        /inside a unit of work/,
      );
      assert.equal(await store.write((tx) => tx.nextCounter('x')), 1, 'the store still works');
    });

    test('committed data survives a restart and migrations run once', async () => {
      await store.write((tx) => tx.insertOrganisation(org(1, { roles: ['manufacturer', 'seller'] })));
      await store.close();
      store = reopen();
      const found = await store.read((r) => r.getOrganisation('org_1'));
      assert.deepEqual(found?.roles, ['manufacturer', 'seller']);
      assert.equal((await store.read((r) => r.findOrganisationByEnterpriseCode('0001')))?.id, 'org_1');
    });

    test('uniqueness is enforced by the database itself', async () => {
      await store.write((tx) => tx.insertOrganisation(org(1)));
      await assert.rejects(
        store.write((tx) => tx.insertOrganisation(org(2, { registrationNumber: 'REG1' }))),
      );
      await assert.rejects(store.write((tx) => tx.insertOrganisation(org(3, { enterpriseCode: '0001' }))));
      await store.write((tx) => tx.insertModel(model('0001', 'AAAAAA')));
      await assert.rejects(store.write((tx) => tx.insertModel(model('0001', 'AAAAAA'))));
    });

    test('counters and serial reservations never hand out a value twice, even under concurrent units of work', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertModel(model('0001', 'AAAAAA'));
      });
      const counters = await Promise.all(
        Array.from({ length: 20 }, () => store.write((tx) => tx.nextCounter('x'))),
      );
      assert.deepEqual(
        [...counters].sort((a, b) => a - b),
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      const firsts = await Promise.all(
        [5, 3, 7].map((n) => store.write((tx) => tx.reserveSerials('0001', 'AAAAAA', n))),
      );
      const ranges = firsts
        .map((first, i) => [first, first + [5, 3, 7][i]! - 1])
        .sort((a, b) => a[0]! - b[0]!);
      assert.equal(ranges[0]![0], 1);
      for (let i = 1; i < ranges.length; i++)
        assert.equal(ranges[i]![0], ranges[i - 1]![1]! + 1, 'no gaps, no overlaps');
    });

    test('reads see only committed data', async () => {
      let inside: Organisation | null = null;
      let outside: Organisation | null | undefined;
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        inside = await tx.getOrganisation('org_1');
        outside = await store.read((r) => r.getOrganisation('org_1'));
      });
      assert.equal(inside!.id, 'org_1', 'a unit of work reads its own writes');
      assert.equal(outside, null, 'others do not see them before commit');
    });

    test('pages continue after the last item and end with no cursor', async () => {
      await store.write(async (tx) => {
        for (let i = 1; i <= 5; i++)
          await tx.insertOrganisation(org(i, i % 2 ? {} : { roles: ['seller'], enterpriseCode: null }));
      });
      const first = await store.read((r) => r.listOrganisations({}, { after: 0, limit: 2 }));
      assert.deepEqual(
        first.items.map((o) => o.id),
        ['org_1', 'org_2'],
      );
      const second = await store.read((r) => r.listOrganisations({}, { after: first.next!, limit: 2 }));
      assert.deepEqual(
        second.items.map((o) => o.id),
        ['org_3', 'org_4'],
      );
      const last = await store.read((r) => r.listOrganisations({}, { after: second.next!, limit: 2 }));
      assert.deepEqual(
        last.items.map((o) => o.id),
        ['org_5'],
      );
      assert.equal(last.next, null);
      const sellers = await store.read((r) =>
        r.listOrganisations({ role: 'seller' }, { after: 0, limit: 10 }),
      );
      assert.deepEqual(
        sellers.items.map((o) => o.id),
        ['org_2', 'org_4'],
      );
    });

    test('notices come back after a watermark in the order written, and not if their unit of work failed', async () => {
      const notice = (n: number): NewNotice => ({
        topic: n % 2 ? 'robot.suspended' : 'recall.opened',
        audience: [`org_${n}`, 'org_9'],
        robotId: n % 2 ? 'CN0001AAAAAA00000000000000001' : null,
        data: { n, nested: { text: 'é' } },
        createdAt: `2026-01-01T00:00:0${n}.000Z`,
      });
      await store.write((tx) => tx.insertNotices([notice(1), notice(2)]));
      await assert.rejects(
        store.write(async (tx) => {
          await tx.insertNotices([notice(7)]);
          throw new Error('rolled back');
        }),
      );
      await store.write((tx) => tx.insertNotices([notice(3)]));
      const all = await store.read((r) => r.listNoticesAfter(0, 10));
      assert.deepEqual(
        all.map(({ id: _id, ...n }) => n),
        [notice(1), notice(2), notice(3)],
      );
      const after = await store.read((r) => r.listNoticesAfter(all[0]!.id, 1));
      assert.deepEqual(
        after.map((n) => n.data.n),
        [2],
      );
    });

    test('webhooks: subscriptions round-trip; deliveries keep their batch order and seqs, one already there is kept', async () => {
      const subscription = (id: string): SubscriptionRecord => ({
        id,
        orgId: 'org_1',
        url: `https://hooks.example/${id}`,
        topics: ['robot.suspended', 'recall.opened'],
        secretSealed: Buffer.from([0, 1, 254, 255]),
        createdAt: `2026-01-01T00:00:0${id === 'sub_a' ? 1 : 2}.000Z`,
        deletedAt: null,
      });
      const delivery = (id: string, subscriptionId: string, noticeId: number, due: number): NewDelivery => ({
        id,
        subscriptionId,
        orgId: 'org_1',
        noticeId,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: `2026-01-02T00:00:0${due}.000Z`,
        createdAt: '2026-01-02T00:00:00.000Z',
        updatedAt: '2026-01-02T00:00:00.000Z',
        lastStatus: null,
        lastError: null,
      });
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertSubscription(subscription('sub_b'));
        await tx.insertSubscription(subscription('sub_a'));
      });
      assert.deepEqual(await store.read((r) => r.getSubscription('sub_a')), subscription('sub_a'));
      assert.equal(await store.read((r) => r.getSubscription('sub_x')), null);
      const first = delivery('msg_1', 'sub_a', 1, 3);
      await store.write((tx) =>
        tx.insertDeliveries([first, delivery('msg_2', 'sub_b', 1, 1), delivery('msg_3', 'sub_a', 2, 2)]),
      );
      // msg_4 is sub_a's delivery of notice 1 again: msg_1 stays as it was, and msg_5 takes the next seq.
      await store.write((tx) =>
        tx.insertDeliveries([delivery('msg_4', 'sub_a', 1, 0), delivery('msg_5', 'sub_b', 2, 0)]),
      );
      await store.write((tx) => tx.insertDeliveries([]));
      const all = await store.read((r) => r.listDeliveries({}, { after: 0, limit: 10 }));
      assert.deepEqual(
        all.items.map((d) => [d.id, d.seq]),
        [
          ['msg_1', 1],
          ['msg_2', 2],
          ['msg_3', 3],
          ['msg_5', 4],
        ],
      );
      assert.deepEqual(await store.read((r) => r.getDelivery('msg_1')), { ...first, seq: 1 });
      const ofA = await store.read((r) =>
        r.listDeliveries({ subscriptionId: 'sub_a' }, { after: 0, limit: 1 }),
      );
      assert.deepEqual([ofA.items.map((d) => d.id), ofA.next], [['msg_1'], 1]);
      const restOfA = await store.read((r) =>
        r.listDeliveries(
          { orgId: 'org_1', subscriptionId: 'sub_a', state: 'pending' },
          { after: 1, limit: 1 },
        ),
      );
      assert.deepEqual([restOfA.items.map((d) => d.id), restOfA.next], [['msg_3'], null]);

      // Due at 00:02: msg_5 (due longest), msg_2, then msg_3; a claim of two takes the first two, in seq order.
      const now = '2026-01-02T00:00:02.000Z';
      const lease = '2026-01-02T00:10:00.000Z';
      const claimed = await store.write((tx) => tx.claimDueDeliveries(now, lease, 2));
      assert.deepEqual(
        claimed.map((d) => [d.id, d.nextAttemptAt]),
        [
          ['msg_2', lease],
          ['msg_5', lease],
        ],
      );
      const again = await store.write((tx) => tx.claimDueDeliveries(now, lease, 2));
      assert.deepEqual(
        again.map((d) => d.id),
        ['msg_3'],
      );

      const attempt = (n: number, status: number | null): DeliveryAttempt => ({
        deliveryId: 'msg_3',
        attempt: n,
        at: `2026-01-02T00:0${n}:00.000Z`,
        durationMs: 12 * n,
        status,
        error: status === null ? 'refused' : null,
      });
      await store.write(async (tx) => {
        await tx.insertDeliveryAttempt(attempt(2, 200));
        await tx.insertDeliveryAttempt(attempt(1, null));
        await tx.updateDelivery('msg_3', {
          state: 'delivered',
          attempts: 2,
          nextAttemptAt: null,
          updatedAt: '2026-01-02T00:02:00.000Z',
          lastStatus: 200,
          lastError: null,
        });
      });
      assert.deepEqual(await store.read((r) => r.listDeliveryAttempts('msg_3')), [
        attempt(1, null),
        attempt(2, 200),
      ]);

      // Removing sub_b ends its pending deliveries; it is removed once, and no longer listed.
      const removed = await store.write(async (tx) => {
        const once = await tx.deleteSubscription('sub_b', '2026-01-03T00:00:00.000Z');
        const twice = await tx.deleteSubscription('sub_b', '2026-01-04T00:00:00.000Z');
        await tx.endPendingDeliveries('sub_b', '2026-01-03T00:00:00.000Z', 'subscription removed');
        return [once, twice];
      });
      assert.deepEqual(removed, [true, false]);
      assert.deepEqual(
        (await store.read((r) => r.listSubscriptions(null))).map((s) => s.id),
        ['sub_a'],
      );
      assert.equal(
        (await store.read((r) => r.getSubscription('sub_b')))?.deletedAt,
        '2026-01-03T00:00:00.000Z',
      );
      const states = await store.read((r) => r.listDeliveries({ orgId: 'org_1' }, { after: 0, limit: 10 }));
      assert.deepEqual(
        states.items.map((d) => [d.id, d.state, d.nextAttemptAt, d.lastError]),
        [
          ['msg_1', 'pending', '2026-01-02T00:00:03.000Z', null],
          ['msg_2', 'dead', null, 'subscription removed'],
          ['msg_3', 'delivered', null, null],
          ['msg_5', 'dead', null, 'subscription removed'],
        ],
      );
    });

    test('read records round-trip, newest first, filtered and paged without gaps or repeats', async () => {
      const read = (n: number, extra: Partial<ReadAuditRecord> = {}): ReadAuditRecord => ({
        at: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
        orgId: `org_${n % 3}`,
        keyId: `key_${n % 3}`,
        robotId: n % 2 ? 'CN0001AAAAAA00000000000000001' : null,
        query: n % 2 ? null : `state=in_use&n=${n}`,
        classes: n % 4 === 0 ? [] : ['technical', 'custody'],
        purpose: n % 3 === 0 ? 'recall' : null,
        outcome: n % 5 === 0 ? 'denied' : 'granted',
        ...extra,
      });
      const written = Array.from({ length: 20 }, (_, n) => read(n));
      await store.write((tx) => tx.insertReadAudit(written.slice(0, 12)));
      await store.write((tx) => tx.insertReadAudit(written.slice(12)));
      await store.write((tx) => tx.insertReadAudit([]));

      const all = async (filter: ReadAuditFilter, limit: number) => {
        const seen = [];
        let after = 0;
        for (;;) {
          const page = await store.read((r) => r.listReadAudit(filter, { after, limit }));
          seen.push(...page.items);
          if (page.next === null) return seen;
          after = page.next;
        }
      };
      const everything = await all({}, 3);
      assert.deepEqual(
        everything.map(({ id: _id, ...record }) => record),
        [...written].reverse(),
        'every record once, newest first, as written',
      );
      assert.deepEqual(
        everything.map((e) => e.id),
        [...everything.map((e) => e.id)].sort((a, b) => b - a),
      );

      const cases: [ReadAuditFilter, (r: ReadAuditRecord) => boolean][] = [
        [{ robotId: 'CN0001AAAAAA00000000000000001' }, (r) => r.robotId !== null],
        [{ orgId: 'org_1' }, (r) => r.orgId === 'org_1'],
        [{ purpose: 'recall' }, (r) => r.purpose === 'recall'],
        [{ outcome: 'denied' }, (r) => r.outcome === 'denied'],
        [
          { from: '2026-01-01T00:00:05.000Z', to: '2026-01-01T00:00:09.000Z' },
          (r) => r.at >= '2026-01-01T00:00:05.000Z' && r.at < '2026-01-01T00:00:09.000Z',
        ],
        [{ orgId: 'org_0', outcome: 'granted' }, (r) => r.orgId === 'org_0' && r.outcome === 'granted'],
      ];
      for (const [filter, matches] of cases)
        assert.deepEqual(
          (await all(filter, 2)).map((e) => e.at),
          written
            .filter(matches)
            .map((r) => r.at)
            .reverse(),
          JSON.stringify(filter),
        );
    });

    test('robots, issuances and idempotency records round-trip', async () => {
      await store.write(async (tx) => {
        await tx.insertOrganisation(org(1));
        await tx.insertModel(model('0001', 'AAAAAA'));
        await tx.insertIssuance({
          id: 'iss_1',
          orgId: 'org_1',
          keyId: null,
          requestId: 'r1',
          requestHash: 'h',
          enterpriseCode: '0001',
          modelCode: 'AAAAAA',
          serialSource: 'registry',
          count: 2,
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        await tx.insertRobots('iss_1', ['CN0001AAAAAAR0000000000000001', 'CN0001AAAAAAR0000000000000002']);
      });
      assert.equal((await store.read((r) => r.findIssuanceByRequest('org_1', 'r1')))?.count, 2);
      assert.deepEqual(await store.read((r) => r.getRobot('CN0001AAAAAAR0000000000000002')), {
        id: 'CN0001AAAAAAR0000000000000002',
        issuanceId: 'iss_1',
        manufacturerId: 'org_1',
        issuedAt: '2026-01-01T00:00:00.000Z',
      });
      const issued = await store.read((r) =>
        r.getRobots(['CN0001AAAAAAR0000000000000099', 'CN0001AAAAAAR0000000000000002']),
      );
      assert.deepEqual([...issued.keys()], ['CN0001AAAAAAR0000000000000002'], 'only issued IDs are answered');
      assert.equal(issued.get('CN0001AAAAAAR0000000000000002')?.manufacturerId, 'org_1');
      assert.deepEqual(await store.read((r) => r.listIssuedIds('iss_1')), [
        'CN0001AAAAAAR0000000000000001',
        'CN0001AAAAAAR0000000000000002',
      ]);
      assert.deepEqual(
        await store.read((r) =>
          r.existingRobotIds(['CN0001AAAAAAR0000000000000002', 'CN0001AAAAAAR0000000000000009']),
        ),
        ['CN0001AAAAAAR0000000000000002'],
      );
      assert.equal(
        (await store.read((r) => r.getModel('0001', 'AAAAAA')))?.specs.standards?.[0],
        'GB/T 12643',
      );
      assert.equal(await store.ping(), true);
    });

    test('events, status snapshots and fitted components round-trip; removed parts stay searchable', async () => {
      const robotId = 'CN0001AAAAAAR0000000000000001';
      const part = (serial: string, lot: string): Component => ({
        kind: 'actuator',
        position: 'left_knee',
        manufacturer: 'Harmonic Joints',
        partNumber: 'HJ-40',
        serial,
        lot,
      });
      const battery: Component = {
        kind: 'battery_pack',
        manufacturer: 'Volt',
        partNumber: 'VC-2k',
        lot: 'B-1',
      };
      const event = (eventId: string, type: NewEvent['type']): NewEvent => ({
        robotId,
        eventId,
        type,
        eventTime: '2026-01-01T00:00:00.000Z',
        recordTime: '2026-01-02T00:00:00.000Z',
        orgId: 'org_1',
        keyId: 'key_1',
        payload: { type },
        contentHash: Buffer.alloc(32, eventId.length),
        late: eventId === 'late',
        salt: Buffer.alloc(16, eventId.length),
      });
      const before = [part('S1', 'LOT-A'), battery];
      const after = [battery, part('S2', 'LOT-B')];
      await store.write(async (tx) => {
        const [made, late] = await tx.insertEvents([
          event('made', 'manufactured'),
          event('late', 'serviced'),
        ]);
        assert.ok(made! < late!, 'seq follows the order given');
        await tx.recordComponentChanges([{ robotId, seq: made!, fitted: before, removed: [] }]);
        await tx.recordComponentChanges([
          { robotId, seq: late!, fitted: [after[1]!], removed: [before[0]!] },
        ]);
        await tx.putRobotStatuses([{ robotId, status: manufactured(after), lastSeq: late! }]);
        await tx.putSoftware([{ robotId, software: manufactured(after).software }]);
      });
      const stored = await store.read((r) => r.getRobotStatus(robotId));
      assert.deepEqual(stored, manufactured(after));
      assert.deepEqual(
        (await store.read((r) => r.listEvents(robotId))).map((e) => [e.eventId, e.late]),
        [
          ['made', false],
          ['late', true],
        ],
      );
      assert.equal(await store.read((r) => r.findFittedComponent('HJ-40', 'S2')), robotId);
      assert.equal(await store.read((r) => r.findFittedComponent('HJ-40', 'S1')), null);
      const byLot = (lot: string, includeRemoved: boolean) =>
        store.read(async (r) =>
          (await r.findRobots({ component: { lot, includeRemoved } }, { after: '', limit: 10 })).items.map(
            (i) => i.id,
          ),
        );
      assert.deepEqual(await byLot('LOT-A', false), []);
      assert.deepEqual(await byLot('LOT-A', true), [robotId]);
      assert.deepEqual(await byLot('LOT-B', false), [robotId]);
      const byLotAndFirmware = (version: string) =>
        store.read(async (r) =>
          (
            await r.findRobots(
              { component: { lot: 'LOT-B' }, software: { target: 'motion_os', version } },
              { after: '', limit: 10 },
            )
          ).items.map((i) => i.id),
        );
      assert.deepEqual(await byLotAndFirmware('3.2.1'), [robotId]);
      assert.deepEqual(await byLotAndFirmware('9.9.9'), []);
      assert.equal(await store.read((r) => r.getRobotStatus('CN0001AAAAAAR0000000000000002')), null);
      // The batch forms a capture reads with: absent keys are left out, not answered with null.
      const other = 'CN0001AAAAAAR0000000000000002';
      assert.deepEqual(
        await store.read((r) => r.getRobotStatuses([robotId, other])),
        new Map([[robotId, manufactured(after)]]),
      );
      const parts = [
        { partNumber: 'HJ-40', serial: 'S2' },
        { partNumber: 'HJ-40', serial: 'S1' },
      ];
      assert.deepEqual(
        await store.read((r) => r.findFittedComponents(parts)),
        new Map([[serialisedPartKey(parts[0]!), robotId]]),
      );
      await store.write((tx) => tx.putSoftware([{ robotId, software: [] }]));
      assert.deepEqual(
        await store.read(
          async (r) =>
            (await r.findRobots({ software: { version: '3.2.1' } }, { after: '', limit: 10 })).items,
        ),
        [],
        'software replaced by none',
      );
    });

    test('a part fitted and removed within one batch of changes is recorded as one by one', async () => {
      const robotId = 'CN0001AAAAAAR0000000000000003';
      const actuator = (serial: string, lot: string): Component => ({
        kind: 'actuator',
        manufacturer: 'Harmonic Joints',
        partNumber: 'HJ-40',
        serial,
        lot,
      });
      const battery: Component = {
        kind: 'battery_pack',
        manufacturer: 'Volt',
        partNumber: 'VC-2k',
        lot: 'B-7',
      };
      await store.write((tx) =>
        tx.recordComponentChanges([
          { robotId, seq: 101, fitted: [actuator('S1', 'L1'), battery, battery], removed: [] },
          { robotId, seq: 102, fitted: [actuator('S2', 'L2')], removed: [actuator('S1', 'L1')] },
          { robotId, seq: 103, fitted: [actuator('S3', 'L3')], removed: [actuator('S2', 'L2'), battery] },
        ]),
      );
      // A search by component finds robots with a status snapshot.
      await store.write((tx) => tx.putRobotStatuses([{ robotId, status: manufactured([]), lastSeq: 103 }]));
      const fittedIn = (serial: string) => store.read((r) => r.findFittedComponent('HJ-40', serial));
      assert.deepEqual(
        [await fittedIn('S1'), await fittedIn('S2'), await fittedIn('S3')],
        [null, null, robotId],
      );
      const byLot = (lot: string, includeRemoved: boolean) =>
        store.read(
          async (r) =>
            (await r.findRobots({ component: { lot, includeRemoved } }, { after: '', limit: 10 })).items
              .length,
        );
      assert.deepEqual(
        [await byLot('L2', false), await byLot('L2', true)],
        [0, 1],
        'S2 was fitted, then removed',
      );
      assert.equal(await byLot('B-7', false), 1, 'one of the two identical batteries is still fitted');
    });

    test('events and log leaves are written together: a savepoint that fails undoes both', async () => {
      const robotId = 'CN0001AAAAAAR0000000000000001';
      const newEvent = (eventId: string): NewEvent => ({
        robotId,
        eventId,
        type: 'serviced',
        eventTime: '2026-01-01T00:00:00.000Z',
        recordTime: '2026-01-02T00:00:00.000Z',
        orgId: 'org_1',
        keyId: 'key_1',
        payload: { kind: 'maintenance' },
        contentHash: Buffer.alloc(32, 1),
        late: false,
        salt: randomBytes(16),
      });
      await store.write(async (tx) => {
        await tx.insertEvents(Array.from({ length: 20 }, (_, i) => newEvent(`e${i}`)));
        await assert.rejects(
          tx.savepoint(async () => {
            await tx.insertEvents([newEvent('doomed')]);
            throw new Error('refused');
          }),
          /refused/,
        );
        await tx.insertEvents([newEvent('kept')]);
      });
      const events = await store.read((r) => r.listEventsBySeq(1, 100));
      assert.deepEqual(
        events.map((e) => e.seq),
        Array.from({ length: 21 }, (_, i) => i + 1),
      );
      assert.equal(await store.read((r) => r.logSize()), 21);
      const tiles = await store.read((r) =>
        r.readLogTiles([
          { level: 0, index: 0 },
          { level: 0, index: 1 },
          { level: 1, index: 0 },
        ]),
      );
      assert.deepEqual(
        [...tiles].map(([k, v]) => [k, v.length / 32]),
        [
          ['0/0', 16],
          ['0/1', 5],
          ['1/0', 1],
        ],
      );
      assert.ok(
        tiles
          .get('0/1')!
          .subarray(4 * 32)
          .equals(eventLeaf(events[20]!, events[20]!.salt, events[20]!.leaf).hash),
      );
    });

    test('one checkpoint per tree size; cosignatures are kept per witness', async () => {
      const checkpoint = {
        size: 0,
        rootHash: Buffer.alloc(32),
        note: 'n\n',
        signedAt: '2026-01-01T00:00:00.000Z',
      };
      await store.write((tx) => tx.insertCheckpoint(checkpoint));
      await assert.rejects(
        store.write((tx) => tx.insertCheckpoint({ ...checkpoint, note: 'other\n' })),
        {
          name: 'DomainError',
          kind: 'conflict',
          code: 'checkpoint-exists',
        },
      );
      const cosignature = { size: 0, witness: 'w', line: 'l1\n', cosignedAt: 1, receivedAt: 'now' };
      await store.write((tx) => tx.putCosignature(cosignature));
      await store.write((tx) => tx.putCosignature({ ...cosignature, line: 'l2\n', cosignedAt: 2 }));
      assert.deepEqual(await store.read((r) => r.listCosignatures(0)), [
        { ...cosignature, line: 'l2\n', cosignedAt: 2 },
      ]);
      assert.equal((await store.read((r) => r.latestCheckpoint()))?.note, 'n\n');
    });

    test('an EPCIS capture job keeps its document for its runner until the job is done', async () => {
      await store.write((tx) => tx.insertOrganisation(org(1)));
      const job = { id: 'job-1', orgId: 'org_1', keyId: 'key_1', mode: 'proceed' as const, eventCount: 1 };
      const document = JSON.stringify({ epcisBody: { eventList: [{ type: 'ObjectEvent' }] } });
      await store.write((tx) => tx.insertCaptureJob({ ...job, createdAt: '2026-01-01T00:00:00Z', document }));
      const read = await store.read((r) => r.getCaptureJob('job-1'));
      assert.equal(read?.state, 'queued');
      assert.equal((await store.read((r) => r.captureJobsIn('queued', 10)))[0]?.id, 'job-1');
      assert.equal(await store.read((r) => r.captureJobDocument('job-1')), document);
      assert.equal(await store.write((tx) => tx.claimCaptureJob('job-1', '2026-01-01T00:00:01Z')), true);
      await store.write((tx) => tx.finishCaptureJob('job-1', '2026-01-01T00:00:02Z', '{"accepted":1}'));
      assert.equal(await store.read((r) => r.captureJobDocument('job-1')), null, 'dropped once done');
      assert.equal((await store.read((r) => r.getCaptureJob('job-1')))?.result, '{"accepted":1}');
      assert.equal(await store.read((r) => r.captureJobDocument('no-such-job')), null);
    });

    test('one process at a time leads a role; when its store closes another takes over', async () => {
      const [first, second] = [reopen(), reopen()];
      try {
        assert.equal(await first.leads('checkpoint-signer'), true);
        // The embedded store has a single server process, which leads every role.
        const contested = store.dialect === 'postgres';
        assert.equal(await second.leads('checkpoint-signer'), !contested);
        assert.equal(await first.leads('checkpoint-signer'), true, 'a leader keeps its role');
        await first.close();
        assert.equal(await second.leads('checkpoint-signer'), true);
        if (contested) assert.equal(await store.leads('checkpoint-signer'), false);
      } finally {
        await second.close();
      }
    });

    test('a registry in another database or schema elects its own leader', async () => {
      const elsewhere = adapter.create();
      try {
        assert.equal(await store.leads('checkpoint-signer'), true);
        assert.equal(await elsewhere.store.leads('checkpoint-signer'), true);
      } finally {
        await elsewhere.store.close();
        elsewhere.dispose();
      }
    });
  });
}
