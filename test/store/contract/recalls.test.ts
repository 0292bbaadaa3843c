import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecallCriteria } from '../../../src/domain/safety/recalls.js';
import type { RecallRecord, RecallRobot, RecallRobotFilter } from '../../../src/store/store.js';
import type { RobotStatus } from '../../../src/domain/lifecycle/status.js';
import { adapters } from '../adapters.js';
import { allPages, part, robotId, snapshot, storePerTest } from './fixtures.js';

const R1 = robotId(1);
const R2 = robotId(2);
const R3 = robotId(3, 'CN0001BBBBBB');
/** Decommissioned: never affected. */
const R4 = robotId(4);
/** Another manufacturer's. */
const R5 = robotId(5, 'CN0002AAAAAA');
/** Its affected part was replaced. */
const R6 = robotId(6);
/** A serial one character longer than the range's. */
const R7 = robotId(7);

const recall = (number: string, extra: Partial<RecallRecord> = {}): RecallRecord => ({
  component: 'knee actuator HJ-40',
  summary: 'The knee actuator may seize under load.',
  consequence: 'The robot may fall.',
  remedy: {
    description: 'Replace the actuator or update the motion firmware.',
    overTheAir: true,
    software: { target: 'motion_os', version: '3.4.0' },
  },
  stopUse: false,
  criteria: { components: [{ partNumber: 'HJ-40', lots: ['L-1'] }] },
  number,
  manufacturerId: 'org_1',
  scope: ['CN0001'],
  openedBy: 'org_1',
  openedByKey: 'key_1',
  openedAt: '2026-03-01T00:00:00.000Z',
  status: 'open',
  closedAt: null,
  affectedSet: 'computing',
  computedAt: null,
  ...extra,
});

const entry = (
  number: string,
  robot: string,
  custodianId: string,
  at: string,
  extra: Partial<RecallRobot> = {},
) => ({
  recall: number,
  robotId: robot,
  custodianId,
  state: 'notified',
  matchedAt: at,
  changedAt: at,
  remedySeq: null,
  suspensionSeq: null,
  stopUse: null,
  note: null,
  ...extra,
});

for (const adapter of adapters) {
  describe(`store contract, recalls: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    /** Robots with the snapshots, parts and software a campaign's criteria look at. */
    const robots = () =>
      store.write(async (tx) => {
        const robot = (id: string, status: Partial<RobotStatus>) => ({
          robotId: id,
          lastSeq: 1,
          status: snapshot({ state: 'in_use', custodianId: 'org_3', ...status }),
        });
        await tx.putRobotStatuses([
          robot(R1, { productionDate: '2026-01-10' }),
          robot(R2, { state: 'sold', custodianId: 'org_4', productionDate: '2026-02-10' }),
          robot(R3, { productionDate: '2026-03-10' }),
          robot(R4, { state: 'decommissioned', productionDate: '2026-01-10' }),
          robot(R5, { custodianId: 'org_4', productionDate: '2026-01-10' }),
          robot(R6, { productionDate: '2026-01-10' }),
          robot(R7, { productionDate: '2026-04-10' }),
        ]);
        const fit = (id: string, seq: number, serial: string, lot: string) => ({
          robotId: id,
          seq,
          fitted: [part('HJ-40', { serial, lot })],
          removed: [],
        });
        await tx.recordComponentChanges([
          fit(R1, 1, 'S0001', 'L-1'),
          fit(R2, 2, 'S0002', 'L-2'),
          fit(R3, 3, 'S0010', 'L-1'),
          fit(R4, 4, 'S0003', 'L-1'),
          fit(R5, 5, 'S0004', 'L-1'),
          fit(R6, 6, 'S0005', 'L-1'),
          fit(R7, 7, 'S00015', 'L-3'),
          {
            robotId: R6,
            seq: 8,
            fitted: [part('HJ-40', { serial: 'S9999', lot: 'L-9' })],
            removed: [part('HJ-40', { serial: 'S0005', lot: 'L-1' })],
          },
        ]);
        await tx.putSoftware([
          { robotId: R1, software: [{ target: 'motion_os', version: '3.2.1' }] },
          { robotId: R2, software: [{ target: 'motion_os', version: '3.3.0' }] },
          { robotId: R3, software: [{ target: 'main_controller', version: '3.2.1' }] },
        ]);
      });

    /** Campaign RC-2026-000001 (lot L-1 of HJ-40, CN0001's robots) with R1 and R3 affected, notified at `at`. */
    const affected = async (at = '2026-03-02T00:00:00.000Z') => {
      await robots();
      const campaign = recall('RC-2026-000001');
      await store.write(async (tx) => {
        await tx.insertRecall(campaign, 1);
        await tx.addRecallCandidates(campaign, [R1, R3], at);
      });
      return campaign;
    };

    test('a campaign round-trips whole: draft, criteria, scope, owner; none is null; a number is unique', async () => {
      const regulators = recall('RC-2026-000002', {
        stopUse: true,
        remedy: { description: 'Replace the battery pack.', overTheAir: false },
        criteria: {
          models: ['CN0001AAAAAA', 'CN0002AAAAAA'],
          producedFrom: '2026-01-01',
          producedTo: '2026-06-30',
          components: [{ partNumber: 'VC-2k', serials: { from: 'B000', to: 'B999' } }],
          software: [{ target: 'bms', versions: ['1.0', '1.1'] }],
        },
        manufacturerId: null,
        scope: null,
        openedBy: 'org_reg',
        openedByKey: 'key_reg',
      });
      await store.write(async (tx) => {
        await tx.insertRecall(recall('RC-2026-000001'), 1);
        await tx.insertRecall(regulators, 2);
      });
      assert.deepEqual(await store.read((r) => r.getRecall('RC-2026-000001')), recall('RC-2026-000001'));
      assert.deepEqual(await store.read((r) => r.getRecall('RC-2026-000002')), regulators);
      assert.equal(await store.read((r) => r.getRecall('RC-2026-000003')), null);
      await assert.rejects(store.write((tx) => tx.insertRecall(recall('RC-2026-000001'), 3)));
    });

    test('an update changes only the fields it names', async () => {
      await store.write((tx) => tx.insertRecall(recall('RC-2026-000001'), 1));
      await store.write((tx) =>
        tx.updateRecall('RC-2026-000001', { affectedSet: 'ready', computedAt: '2026-03-01T01:00:00.000Z' }),
      );
      await store.write((tx) => tx.updateRecall('RC-2026-000001', {}));
      const ready = recall('RC-2026-000001', {
        affectedSet: 'ready',
        computedAt: '2026-03-01T01:00:00.000Z',
      });
      assert.deepEqual(await store.read((r) => r.getRecall('RC-2026-000001')), ready);
      await store.write((tx) =>
        tx.updateRecall('RC-2026-000001', { status: 'closed', closedAt: '2026-04-01T00:00:00.000Z' }),
      );
      assert.deepEqual(await store.read((r) => r.getRecall('RC-2026-000001')), {
        ...ready,
        status: 'closed',
        closedAt: '2026-04-01T00:00:00.000Z',
      });
    });

    test('campaigns are listed newest first, filtered by status and manufacturer, paged; open ones oldest first', async () => {
      const numbers = [1, 2, 3, 4].map((n) => `RC-2026-00000${n}`);
      await store.write(async (tx) => {
        await tx.insertRecall(recall(numbers[0]!), 1);
        await tx.insertRecall(recall(numbers[1]!, { manufacturerId: null, scope: null }), 2);
        await tx.insertRecall(
          recall(numbers[2]!, { status: 'closed', closedAt: '2026-04-01T00:00:00.000Z' }),
          3,
        );
        await tx.insertRecall(recall(numbers[3]!, { manufacturerId: 'org_2', scope: ['CN0002'] }), 4);
      });
      const listed = async (filter: { status?: 'open' | 'closed'; manufacturerId?: string }) =>
        (await allPages(0, (after) => store.read((r) => r.listRecalls(filter, { after, limit: 2 })))).map(
          (c) => c.number,
        );
      assert.deepEqual(await listed({}), [numbers[3], numbers[2], numbers[1], numbers[0]]);
      assert.deepEqual(await listed({ status: 'open' }), [numbers[3], numbers[1], numbers[0]]);
      assert.deepEqual(await listed({ manufacturerId: 'org_1' }), [numbers[2], numbers[0]]);
      assert.deepEqual(await listed({ status: 'closed', manufacturerId: 'org_2' }), []);
      const first = await store.read((r) => r.listRecalls({}, { after: 0, limit: 3 }));
      assert.notEqual(first.next, null);
      assert.deepEqual(await store.read((r) => r.listRecalls({}, { after: first.next!, limit: 3 })), {
        items: [recall(numbers[0]!)],
        next: null,
      });
      assert.deepEqual(
        (await store.read((r) => r.listOpenRecalls())).map((c) => c.number),
        [numbers[0], numbers[1], numbers[3]],
      );
    });

    test('candidates: every robot the criteria may match, in ID order, none outside the scope or models', async () => {
      await robots();
      const candidates = (criteria: RecallCriteria, scope: string[] | null = ['CN0001']) =>
        store.read((r) => r.findRecallCandidates(criteria, scope));
      /** A superset: each matching robot is in it, no robot that cannot match is, and it is in ID order. */
      const assertCandidates = (found: string[], matching: string[], never: string[]) => {
        assert.deepEqual(found, [...found].sort(), 'in ID order');
        for (const id of matching) assert.ok(found.includes(id), `${id} is a candidate`);
        for (const id of never) assert.ok(!found.includes(id), `${id} is not a candidate`);
      };
      const lot = { components: [{ partNumber: 'HJ-40', lots: ['L-1'] }] };
      assertCandidates(await candidates(lot), [R1, R3], [R2, R5, R6, R7]);
      assertCandidates(await candidates(lot, null), [R1, R3, R5], [R2, R6, R7]);
      assertCandidates(await candidates(lot, []), [], [R1, R2, R3, R5, R6, R7]);
      assertCandidates(await candidates({ ...lot, models: ['CN0001BBBBBB'] }), [R3], [R1, R2, R5, R6, R7]);
      const range = { components: [{ partNumber: 'HJ-40', serials: { from: 'S0001', to: 'S0003' } }] };
      assertCandidates(await candidates(range), [R1, R2], [R3, R5, R6, R7]);
      const firmware = { software: [{ target: 'motion_os', versions: ['3.2.1', '9.9'] }] };
      assertCandidates(await candidates(firmware), [R1], [R2, R3, R5, R6, R7]);
      // Models and dates only: read from the snapshots, which also tell the robots never affected.
      assert.deepEqual(
        await candidates({ models: ['CN0001AAAAAA'], producedFrom: '2026-01-10', producedTo: '2026-02-10' }),
        [R1, R2, R6],
      );
      assert.deepEqual(await candidates({ models: ['CN0003AAAAAA'] }), []);
    });

    test('adding candidates adds those the criteria match now and not held yet, with their custodians', async () => {
      await robots();
      const campaign = recall('RC-2026-000001');
      const at = '2026-03-02T00:00:00.000Z';
      await store.write((tx) => tx.insertRecall(campaign, 1));
      const added = await store.write((tx) =>
        tx.addRecallCandidates(campaign, [R1, R2, R3, R4, R5, R6, R7, robotId(99)], at),
      );
      const sorted = <T extends { robotId: string }>(list: T[]) =>
        [...list].sort((a, b) => a.robotId.localeCompare(b.robotId));
      assert.deepEqual(sorted(added), [
        { robotId: R1, custodianId: 'org_3' },
        { robotId: R3, custodianId: 'org_3' },
      ]);
      assert.deepEqual(
        await store.write((tx) => tx.addRecallCandidates(campaign, [R1, R3], at)),
        [],
        'held already',
      );
      assert.deepEqual(await store.write((tx) => tx.addRecallCandidates(campaign, [], at)), []);
      assert.deepEqual(
        (await store.read((r) => r.listRecallRobots(campaign.number, {}, { after: '', limit: 10 }))).items,
        [entry(campaign.number, R1, 'org_3', at), entry(campaign.number, R3, 'org_3', at)],
      );
      // Every criterion narrows: the same lot, but also a firmware only R1 runs and R1's production date.
      const narrow = recall('RC-2026-000002', {
        criteria: {
          components: [{ partNumber: 'HJ-40', lots: ['L-1', 'L-2'] }],
          software: [{ target: 'motion_os', versions: ['3.2.1', '3.3.0'] }],
          producedTo: '2026-01-31',
        },
      });
      await store.write((tx) => tx.insertRecall(narrow, 2));
      assert.deepEqual(await store.write((tx) => tx.addRecallCandidates(narrow, [R1, R2, R3], at)), [
        { robotId: R1, custodianId: 'org_3' },
      ]);
    });

    test('robots matched already are added as notified, those held already skipped', async () => {
      const campaign = await affected();
      const at = '2026-03-05T00:00:00.000Z';
      await store.write((tx) =>
        tx.addRecallRobots(
          [
            { recall: campaign.number, robotId: R1, custodianId: 'org_9' },
            { recall: campaign.number, robotId: R7, custodianId: 'org_4' },
          ],
          at,
        ),
      );
      await store.write((tx) => tx.addRecallRobots([], at));
      assert.deepEqual(
        (await store.read((r) => r.listRecallRobots(campaign.number, {}, { after: '', limit: 10 }))).items,
        [
          entry(campaign.number, R1, 'org_3', '2026-03-02T00:00:00.000Z'),
          entry(campaign.number, R7, 'org_4', at),
          entry(campaign.number, R3, 'org_3', '2026-03-02T00:00:00.000Z'),
        ],
      );
    });

    test("a robot's state in a campaign moves with its time, remedy and note; stop-use orders are recorded", async () => {
      const campaign = await affected();
      await store.write(async (tx) => {
        await tx.putRecallStates([
          {
            recall: campaign.number,
            robotId: R1,
            state: 'remedied',
            at: '2026-03-04T00:00:00.000Z',
            remedySeq: 42,
          },
          {
            recall: campaign.number,
            robotId: R3,
            state: 'exempt',
            at: '2026-03-05T00:00:00.000Z',
            note: 'exported before the campaign',
          },
        ]);
        await tx.putRecallStates([]);
        await tx.setRecallStopUse(campaign.number, [
          { robotId: R1, seq: 77, outcome: 'ordered' },
          { robotId: R3, seq: null, outcome: 'order-in-force' },
        ]);
        await tx.setRecallStopUse(campaign.number, []);
      });
      assert.deepEqual(await store.read((r) => r.listRecallEntries([R3, R1, R2])), [
        entry(campaign.number, R1, 'org_3', '2026-03-02T00:00:00.000Z', {
          state: 'remedied',
          changedAt: '2026-03-04T00:00:00.000Z',
          remedySeq: 42,
          suspensionSeq: 77,
          stopUse: 'ordered',
        }),
        entry(campaign.number, R3, 'org_3', '2026-03-02T00:00:00.000Z', {
          state: 'exempt',
          changedAt: '2026-03-05T00:00:00.000Z',
          note: 'exported before the campaign',
          stopUse: 'order-in-force',
        }),
      ]);
    });

    test('a robot twice in one batch of stop-use outcomes: the later outcome is what is recorded', async () => {
      const campaign = await affected();
      await store.write((tx) =>
        tx.setRecallStopUse(campaign.number, [
          { robotId: R1, seq: null, outcome: 'order-in-force' },
          { robotId: R1, seq: 77, outcome: 'ordered' },
        ]),
      );
      const [entry1] = await store.read((r) => r.listRecallEntries([R1]));
      assert.deepEqual([entry1?.suspensionSeq, entry1?.stopUse], [77, 'ordered']);
    });

    test('a robot twice in one batch of states: applied in order, a remedy kept through a later change', async () => {
      const campaign = await affected();
      const at = (day: number) => `2026-03-0${day}T00:00:00.000Z`;
      await store.write((tx) =>
        tx.putRecallStates([
          { recall: campaign.number, robotId: R1, state: 'remedied', at: at(4), remedySeq: 42 },
          { recall: campaign.number, robotId: R3, state: 'exempt', at: at(4), note: 'exported' },
          { recall: campaign.number, robotId: R1, state: 'notified', at: at(5), note: 'remedy undone' },
          { recall: campaign.number, robotId: R3, state: 'unreachable', at: at(6) },
        ]),
      );
      assert.deepEqual(await store.read((r) => r.listRecallEntries([R1, R3])), [
        entry(campaign.number, R1, 'org_3', at(2), {
          changedAt: at(5),
          remedySeq: 42,
          note: 'remedy undone',
        }),
        entry(campaign.number, R3, 'org_3', at(2), { state: 'unreachable', changedAt: at(6) }),
      ]);
    });

    test("a robot's entries in every campaign, any state, by robot then campaign; none for an empty list", async () => {
      const first = await affected();
      const second = recall('RC-2026-000002', { criteria: { models: ['CN0001AAAAAA'] } });
      await store.write(async (tx) => {
        await tx.insertRecall(second, 2);
        await tx.addRecallCandidates(second, [R1, R2], '2026-03-03T00:00:00.000Z');
        await tx.putRecallStates([
          { recall: first.number, robotId: R1, state: 'unreachable', at: '2026-03-04T00:00:00.000Z' },
        ]);
      });
      assert.deepEqual(
        (await store.read((r) => r.listRecallEntries([R2, R1, R4]))).map((e) => [
          e.robotId,
          e.recall,
          e.state,
        ]),
        [
          [R1, first.number, 'unreachable'],
          [R1, second.number, 'notified'],
          [R2, second.number, 'notified'],
        ],
      );
      assert.deepEqual(await store.read((r) => r.listRecallEntries([])), []);
    });

    test("a campaign's robots in ID order, each filter narrowing, paged with limit and next", async () => {
      const campaign = await affected();
      await store.write(async (tx) => {
        await tx.addRecallRobots(
          [
            { recall: campaign.number, robotId: R7, custodianId: 'org_4' },
            { recall: campaign.number, robotId: R5, custodianId: 'org_4' },
          ],
          '2026-03-03T00:00:00.000Z',
        );
        await tx.putRecallStates([
          { recall: campaign.number, robotId: R7, state: 'exempt', at: '2026-03-04T00:00:00.000Z' },
        ]);
        await tx.setRecallStopUse(campaign.number, [{ robotId: R1, seq: 9, outcome: 'ordered' }]);
      });
      const listed = async (filter: RecallRobotFilter) =>
        (
          await allPages('', (after) =>
            store.read((r) => r.listRecallRobots(campaign.number, filter, { after, limit: 1 })),
          )
        ).map((e) => e.robotId);
      assert.deepEqual(await listed({}), [R1, R7, R3, R5]);
      assert.deepEqual(await listed({ state: 'notified' }), [R1, R3, R5]);
      assert.deepEqual(await listed({ custodianId: 'org_4' }), [R7, R5]);
      assert.deepEqual(await listed({ idPrefixes: ['CN0001AAAAAA', 'CN0002'] }), [R1, R7, R5]);
      assert.deepEqual(await listed({ idPrefixes: [] }), []);
      assert.deepEqual(await listed({ stopUsePending: true }), [R7, R3, R5]);
      assert.deepEqual(await listed({ state: 'notified', custodianId: 'org_4', stopUsePending: true }), [R5]);
      const first = await store.read((r) => r.listRecallRobots(campaign.number, {}, { after: '', limit: 2 }));
      assert.equal(first.next, R7);
      const last = await store.read((r) => r.listRecallRobots(campaign.number, {}, { after: R3, limit: 1 }));
      assert.deepEqual({ ids: last.items.map((e) => e.robotId), next: last.next }, { ids: [R5], next: null });
      assert.deepEqual(
        await store.read((r) => r.listRecallRobots('RC-2026-000009', {}, { after: '', limit: 5 })),
        { items: [], next: null },
      );
    });

    test('counts give every state, zero when none; progress adds day by day how many were affected and remedied', async () => {
      const campaign = await affected('2026-03-02T10:00:00.000Z');
      await store.write(async (tx) => {
        await tx.addRecallRobots(
          [
            { recall: campaign.number, robotId: R5, custodianId: 'org_4' },
            { recall: campaign.number, robotId: R7, custodianId: 'org_4' },
          ],
          '2026-03-04T09:00:00.000Z',
        );
        await tx.putRecallStates([
          {
            recall: campaign.number,
            robotId: R1,
            state: 'remedied',
            at: '2026-03-04T12:00:00.000Z',
            remedySeq: 5,
          },
          {
            recall: campaign.number,
            robotId: R5,
            state: 'remedied',
            at: '2026-03-06T12:00:00.000Z',
            remedySeq: 6,
          },
          { recall: campaign.number, robotId: R7, state: 'unreachable', at: '2026-03-06T13:00:00.000Z' },
        ]);
      });
      const byState = { notified: 1, remedied: 2, unreachable: 1, exempt: 0 };
      assert.deepEqual(await store.read((r) => r.recallCounts(campaign.number)), byState);
      assert.deepEqual(await store.read((r) => r.recallProgress(campaign.number)), {
        byState,
        series: [
          { date: '2026-03-02', affected: 2, remedied: 0 },
          { date: '2026-03-04', affected: 4, remedied: 1 },
          { date: '2026-03-06', affected: 4, remedied: 2 },
        ],
      });
      const none = { notified: 0, remedied: 0, unreachable: 0, exempt: 0 };
      assert.deepEqual(await store.read((r) => r.recallCounts('RC-2026-000009')), none);
      assert.deepEqual(await store.read((r) => r.recallProgress('RC-2026-000009')), {
        byState: none,
        series: [],
      });
    });
  });
}
