import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RobotStatus } from '../../../src/domain/lifecycle/status.js';
import { serialisedPartKey } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { allPages, bytes, event, part, robotId, snapshot, storePerTest } from './fixtures.js';

const A = robotId(1);
const B = robotId(2);

/** A snapshot with every optional part filled in. */
const full: RobotStatus = snapshot({
  state: 'in_use',
  resumeState: 'sold',
  suspension: { orderNumber: 'RC-2026-000001', since: '2026-02-01T00:00:00.000Z' },
  custodianId: 'org_2',
  inTransitTo: 'org_3',
  operatorId: 'org_4',
  certification: {
    standard: 'GB/T 12643',
    certificateNumber: 'C-1',
    certifierId: 'org_5',
    result: 'pass',
    validUntil: '2027-01-01T00:00:00.000Z',
    eventTime: '2026-01-10T00:00:00.000Z',
  },
  software: [
    { target: 'motion_os', version: '3.2.1' },
    { target: 'main_controller', version: '1.0' },
  ],
  site: { siteType: 'factory', region: 'CN-31' },
  activatedAt: '2026-01-20T08:00:00+08:00',
  lastServicedAt: '2026-01-25T00:00:00.000Z',
  lastEventTime: '2026-01-25T00:00:00.000Z',
  eventCount: 9,
});

for (const adapter of adapters) {
  describe(`store contract, events, status snapshots and components: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    test('an event round-trips whole: payload as canonical JSON, hashes and salt byte for byte, late a boolean', async () => {
      const written = event(A, 'e-1', {
        type: 'incident_reported',
        payload: {
          severity: 'minor',
          category: 'fall',
          description: 'glissé – 滑倒',
          nested: [1, { z: null }],
        },
        contentHash: bytes(32, 3),
        salt: bytes(16, 4),
        late: true,
      });
      const [seq] = await store.write((tx) => tx.insertEvents([written]));
      const stored = await store.read((r) => r.findEvent(A, 'e-1'));
      assert.deepEqual(stored, {
        ...written,
        seq,
        payloadJson:
          '{"category":"fall","description":"glissé – 滑倒","nested":[1,{"z":null}],"severity":"minor"}',
        leaf: { v: 2, prev: null },
      });
      assert.ok(stored!.contentHash.equals(bytes(32, 3)) && stored!.salt.equals(bytes(16, 4)));
      assert.equal(stored!.late, true);
      assert.equal(await store.read((r) => r.findEvent(A, 'e-2')), null);
      assert.equal(await store.read((r) => r.findEvent(B, 'e-1')), null, 'an event id is per robot');
    });

    test('payload JSON given by the caller is stored as given', async () => {
      const payloadJson = '{"kind":"inspection","note":"ok"}';
      await store.write((tx) =>
        tx.insertEvents([event(A, 'e-1', { payload: { note: 'ok', kind: 'inspection' }, payloadJson })]),
      );
      const stored = await store.read((r) => r.findEvent(A, 'e-1'));
      assert.equal(stored?.payloadJson, payloadJson);
      assert.deepEqual(stored?.payload, { kind: 'inspection', note: 'ok' });
      assert.equal(stored?.late, false);
    });

    test('seqs follow the batch order and continue across units of work; an empty batch gets none', async () => {
      assert.deepEqual(await store.write((tx) => tx.insertEvents([])), []);
      assert.deepEqual(
        await store.write((tx) => tx.insertEvents([event(B, 'x'), event(A, 'y'), event(A, 'z')])),
        [1, 2, 3],
      );
      assert.deepEqual(await store.write((tx) => tx.insertEvents([event(B, 'w')])), [4]);
      assert.deepEqual(
        (await store.read((r) => r.listEvents(A))).map((e) => [e.seq, e.eventId]),
        [
          [2, 'y'],
          [3, 'z'],
        ],
      );
      assert.deepEqual(
        (await store.read((r) => r.listEvents(B))).map((e) => e.eventId),
        ['x', 'w'],
      );
      assert.deepEqual(await store.read((r) => r.listEvents(robotId(3))), []);
    });

    test('an event id is unique per robot: a second one is refused with the batch it came in', async () => {
      await store.write((tx) => tx.insertEvents([event(A, 'e-1')]));
      await assert.rejects(store.write((tx) => tx.insertEvents([event(B, 'e-1'), event(A, 'e-1')])));
      assert.equal(await store.read((r) => r.findEvent(B, 'e-1')), null);
      await store.write((tx) => tx.insertEvents([event(B, 'e-1')]));
      assert.equal((await store.read((r) => r.findEvent(B, 'e-1')))?.seq, 2);
    });

    test("an organisation's late events come in acceptance order, paged with limit and next", async () => {
      await store.write((tx) =>
        tx.insertEvents([
          event(A, 'l1', { late: true }),
          event(A, 'on-time', { late: false }),
          event(B, 'l2', { late: true }),
          event(B, 'other-org', { late: true, orgId: 'org_2' }),
          event(A, 'l3', { late: true }),
        ]),
      );
      const late = await allPages(0, (after) =>
        store.read((r) => r.listLateEvents('org_1', { after, limit: 2 })),
      );
      assert.deepEqual(
        late.map((e) => [e.eventId, e.late]),
        [
          ['l1', true],
          ['l2', true],
          ['l3', true],
        ],
      );
      const first = await store.read((r) => r.listLateEvents('org_1', { after: 0, limit: 2 }));
      assert.equal(first.next, first.items[1]!.seq);
      assert.deepEqual(await store.read((r) => r.listLateEvents('org_3', { after: 0, limit: 2 })), {
        items: [],
        next: null,
      });
    });

    test('a snapshot round-trips whole with the parts fitted now, in the order fitted; a new one replaces it', async () => {
      const a = part('P-A', { serial: 'S1', position: 'left_knee' });
      const b = part('P-B', { kind: 'battery_pack', lot: 'L-7' });
      const c = part('P-C', { serial: 'S2', lot: 'L-8' });
      await store.write(async (tx) => {
        await tx.recordComponentChanges([
          { robotId: A, seq: 1, fitted: [a, b], removed: [] },
          { robotId: A, seq: 2, fitted: [c], removed: [] },
          { robotId: A, seq: 3, fitted: [], removed: [a] },
        ]);
        // The snapshot's own components are not what is read back: robot_components is.
        await tx.putRobotStatuses([{ robotId: A, status: { ...full, components: [a] }, lastSeq: 3 }]);
      });
      assert.deepEqual(await store.read((r) => r.getRobotStatus(A)), { ...full, components: [b, c] });
      const replaced = snapshot({ state: 'lost', resumeState: 'in_use', eventCount: 10 });
      await store.write((tx) => tx.putRobotStatuses([{ robotId: A, status: replaced, lastSeq: 4 }]));
      assert.deepEqual(await store.read((r) => r.getRobotStatus(A)), { ...replaced, components: [b, c] });
      assert.equal(await store.read((r) => r.getRobotStatus(B)), null);
    });

    test('snapshots are read in a batch: only robots that have one, by ID; an empty batch reads none', async () => {
      await store.write(async (tx) => {
        await tx.recordComponentChanges([
          { robotId: B, seq: 1, fitted: [part('P-A', { serial: 'S1' })], removed: [] },
        ]);
        await tx.putRobotStatuses([
          { robotId: A, status: full, lastSeq: 2 },
          { robotId: B, status: snapshot(), lastSeq: 1 },
        ]);
        await tx.putRobotStatuses([]);
      });
      const found = await store.read((r) => r.getRobotStatuses([robotId(9), B, A]));
      assert.deepEqual([...found.keys()].sort(), [A, B]);
      assert.deepEqual(found.get(A), { ...full, components: [] });
      assert.deepEqual(found.get(B), snapshot({ components: [part('P-A', { serial: 'S1' })] }));
      assert.equal((await store.read((r) => r.getRobotStatuses([]))).size, 0);
    });

    test('a robot twice in one batch of snapshots: the later entry is what is kept', async () => {
      await store.write((tx) =>
        tx.putRobotStatuses([
          { robotId: A, status: snapshot({ eventCount: 1 }), lastSeq: 1 },
          { robotId: A, status: snapshot({ eventCount: 2 }), lastSeq: 2 },
        ]),
      );
      assert.equal((await store.read((r) => r.getRobotStatus(A)))?.eventCount, 2);
    });

    test('a batch of part changes is applied in the order given: a removal before the part was fitted changes nothing', async () => {
      await store.write((tx) =>
        tx.recordComponentChanges([
          { robotId: A, seq: 1, fitted: [], removed: [part('HJ-40', { serial: 'S1' })] },
          { robotId: A, seq: 2, fitted: [part('HJ-40', { serial: 'S1' })], removed: [] },
        ]),
      );
      assert.equal(await store.read((r) => r.findFittedComponent('HJ-40', 'S1')), A);
    });

    test('a serialised part is found in the robot it is fitted in now, not once removed', async () => {
      const knee = part('HJ-40', { serial: 'S1' });
      const unserialised = part('HJ-40', { lot: 'L-1' });
      await store.write((tx) =>
        tx.recordComponentChanges([
          { robotId: A, seq: 1, fitted: [knee, unserialised], removed: [] },
          { robotId: A, seq: 2, fitted: [], removed: [knee] },
          { robotId: B, seq: 3, fitted: [knee], removed: [] },
          // Removing a part that is not fitted changes nothing.
          { robotId: B, seq: 4, fitted: [], removed: [part('HJ-40', { serial: 'S9' })] },
        ]),
      );
      const fittedIn = (partNumber: string, serial: string) =>
        store.read((r) => r.findFittedComponent(partNumber, serial));
      assert.equal(await fittedIn('HJ-40', 'S1'), B);
      assert.equal(await fittedIn('HJ-40', 'S9'), null);
      assert.equal(await fittedIn('HJ-41', 'S1'), null);
      const asked = [
        { partNumber: 'HJ-40', serial: 'S1' },
        { partNumber: 'HJ-40', serial: 'S9' },
        { partNumber: 'XX', serial: 'S1' },
      ];
      assert.deepEqual(
        await store.read((r) => r.findFittedComponents(asked)),
        new Map([[serialisedPartKey(asked[0]!), B]]),
      );
      assert.equal((await store.read((r) => r.findFittedComponents([]))).size, 0);
    });
  });
}
