import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RobotFilter, RobotSummary } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { allPages, issue, part, robotId, snapshot, storePerTest } from './fixtures.js';

const R1 = robotId(1);
const R2 = robotId(2);
const R3 = robotId(3);
/** Issued, no events yet. */
const R4 = robotId(4);
const R5 = robotId(5, 'CN0001BBBBBB');
const R6 = robotId(6, 'CN0002AAAAAA');

const certification = (result: 'pass' | 'fail', validUntil: string | null) => ({
  standard: 'GB/T 12643',
  certificateNumber: `C-${result}`,
  certifierId: 'org_9',
  result,
  validUntil,
  eventTime: '2026-01-01T00:00:00.000Z',
});

const summaries: RobotSummary[] = [
  {
    id: R1,
    state: 'in_use',
    region: 'CN-31',
    productionDate: '2026-01-10',
    certifiedUntil: '2027-01-01T00:00:00.000Z',
  },
  { id: R2, state: 'sold', region: 'CN-11', productionDate: '2026-02-10', certifiedUntil: null },
  {
    id: R3,
    state: 'manufactured',
    region: null,
    productionDate: '2026-03-10',
    certifiedUntil: '9999-12-31T23:59:59.999Z',
  },
  { id: R4, state: 'issued', region: null, productionDate: null, certifiedUntil: null },
  { id: R5, state: 'in_use', region: 'CN-31', productionDate: null, certifiedUntil: null },
  { id: R6, state: 'lost', region: 'DE-BY', productionDate: '2026-01-01', certifiedUntil: null },
];

for (const adapter of adapters) {
  describe(`store contract, robot search: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    const site = (region: string) => ({ siteType: 'factory', region });
    const setUp = () =>
      store.write(async (tx) => {
        await issue(tx, [R6, R5, R4, R3, R2, R1]);
        await tx.putRobotStatuses([
          {
            robotId: R1,
            lastSeq: 1,
            status: snapshot({
              state: 'in_use',
              site: site('CN-31'),
              custodianId: 'org_2',
              operatorId: 'org_4',
              productionDate: '2026-01-10',
              certification: certification('pass', '2027-01-01T00:00:00.000Z'),
            }),
          },
          {
            robotId: R2,
            lastSeq: 2,
            status: snapshot({
              state: 'sold',
              site: site('CN-11'),
              custodianId: 'org_3',
              productionDate: '2026-02-10',
              certification: certification('fail', '2027-01-01T00:00:00.000Z'),
            }),
          },
          {
            robotId: R3,
            lastSeq: 3,
            status: snapshot({ productionDate: '2026-03-10', certification: certification('pass', null) }),
          },
          {
            robotId: R5,
            lastSeq: 4,
            status: snapshot({
              state: 'in_use',
              site: site('CN-31'),
              custodianId: 'org_2',
              operatorId: 'org_2',
              productionDate: null,
            }),
          },
          {
            robotId: R6,
            lastSeq: 5,
            status: snapshot({
              state: 'lost',
              site: site('DE-BY'),
              custodianId: 'org_4',
              operatorId: 'org_4',
            }),
          },
        ]);
      });

    const ids = (filter: RobotFilter, limit = 2) =>
      allPages('', (after) => store.read((r) => r.findRobots(filter, { after, limit }))).then((items) =>
        items.map((i) => i.id),
      );

    test('with no filter, every issued robot in ID order, those without events as issued, paged by ID', async () => {
      await setUp();
      assert.deepEqual(
        await allPages('', (after) => store.read((r) => r.findRobots({}, { after, limit: 4 }))),
        summaries,
      );
      const first = await store.read((r) => r.findRobots({}, { after: '', limit: 2 }));
      assert.deepEqual(first, { items: summaries.slice(0, 2), next: R2 });
      const last = await store.read((r) => r.findRobots({}, { after: R4, limit: 2 }));
      assert.deepEqual(last, { items: summaries.slice(4), next: null }, 'exactly `limit` left: no next page');
    });

    test('every status filter narrows, alone and together', async () => {
      await setUp();
      const cases: [RobotFilter, string[]][] = [
        [{ idPrefix: 'CN0001' }, [R1, R2, R3, R4, R5]],
        [{ idPrefix: 'CN0001BBBBBB' }, [R5]],
        [{ state: 'in_use' }, [R1, R5]],
        [{ state: 'issued' }, [R4]],
        [{ state: 'issued', idPrefix: 'CN0002' }, []],
        [{ region: 'CN-31' }, [R1, R5]],
        [{ custodianId: 'org_2' }, [R1, R5]],
        [{ producedFrom: '2026-01-10', producedTo: '2026-02-10' }, [R1, R2]],
        [{ producedFrom: '2026-02-11' }, [R3]],
        [{ producedTo: '2026-01-09' }, [R6]],
        [{ certified: { valid: true, at: '2026-06-01T00:00:00.000Z' } }, [R1, R3]],
        [{ certified: { valid: true, at: '2027-06-01T00:00:00.000Z' } }, [R3]],
        // A robot without events has no certification either.
        [{ certified: { valid: false, at: '2026-06-01T00:00:00.000Z' } }, [R2, R4, R5, R6]],
        [{ scopeIdPrefixes: ['CN0002', 'CN0001BBBBBB'] }, [R5, R6]],
        [{ scopeIdPrefixes: [] }, []],
        [{ scopeCustodianId: 'org_2' }, [R1, R5]],
        [{ scopeOperatorId: 'org_4' }, [R1, R6]],
        [{ scopeCustodianId: 'org_2', scopeOperatorId: 'org_2' }, [R5]],
        [{ state: 'in_use', region: 'CN-31', custodianId: 'org_2', idPrefix: 'CN0001AAAAAA' }, [R1]],
        [{ region: 'CN-31', state: 'sold' }, []],
      ];
      for (const [filter, expected] of cases)
        assert.deepEqual(await ids(filter), expected, JSON.stringify(filter));
    });

    test('parts narrow by part number, serial and lot, fitted now unless removed ones are asked for; each robot once', async () => {
      await setUp();
      await store.write((tx) =>
        tx.recordComponentChanges([
          { robotId: R1, seq: 1, fitted: [part('HJ-40', { serial: 'S1', lot: 'L-1' })], removed: [] },
          { robotId: R2, seq: 2, fitted: [part('HJ-40', { serial: 'S2', lot: 'L-2' })], removed: [] },
          {
            robotId: R3,
            seq: 3,
            fitted: [
              part('HJ-40', { serial: 'S3', lot: 'L-1' }),
              part('HJ-40', { serial: 'S4', lot: 'L-1' }),
            ],
            removed: [],
          },
          {
            robotId: R2,
            seq: 6,
            fitted: [part('HJ-41', { serial: 'S5', lot: 'L-3' })],
            removed: [part('HJ-40', { serial: 'S2', lot: 'L-2' })],
          },
        ]),
      );
      const cases: [RobotFilter, string[]][] = [
        [{ component: { partNumber: 'HJ-40' } }, [R1, R3]],
        [{ component: { partNumber: 'HJ-40', includeRemoved: true } }, [R1, R2, R3]],
        [{ component: { lot: 'L-1' } }, [R1, R3]],
        [{ component: { lot: 'L-2' } }, []],
        [{ component: { lot: 'L-2', includeRemoved: true } }, [R2]],
        [{ component: { serial: 'S4' } }, [R3]],
        [{ component: { partNumber: 'HJ-41', serial: 'S5', lot: 'L-3' } }, [R2]],
        [{ component: { partNumber: 'HJ-41', serial: 'S1' } }, []],
        [{ component: { lot: 'L-1' }, state: 'in_use' }, [R1]],
        [{ component: { lot: 'L-1' }, scopeIdPrefixes: [R3] }, [R3]],
      ];
      for (const [filter, expected] of cases)
        assert.deepEqual(await ids(filter, 1), expected, JSON.stringify(filter));
    });

    test("software narrows by version, with or without target; a robot's versions are replaced whole", async () => {
      await setUp();
      await store.write((tx) =>
        tx.putSoftware([
          {
            robotId: R1,
            software: [
              { target: 'motion_os', version: '3.2.1' },
              { target: 'main_controller', version: '1.0' },
            ],
          },
          { robotId: R2, software: [{ target: 'main_controller', version: '3.2.1' }] },
          { robotId: R3, software: [{ target: 'motion_os', version: '3.3.0' }] },
        ]),
      );
      assert.deepEqual(await ids({ software: { version: '3.2.1' } }), [R1, R2]);
      assert.deepEqual(await ids({ software: { target: 'motion_os', version: '3.2.1' } }), [R1]);
      assert.deepEqual(
        await ids({ software: { target: 'main_controller', version: '1.0' }, region: 'CN-31' }),
        [R1],
      );
      await store.write((tx) =>
        tx.putSoftware([
          { robotId: R1, software: [{ target: 'motion_os', version: '3.3.0' }] },
          { robotId: R2, software: [] },
        ]),
      );
      await store.write((tx) => tx.putSoftware([]));
      assert.deepEqual(await ids({ software: { version: '3.2.1' } }), []);
      assert.deepEqual(await ids({ software: { version: '1.0' } }), [], 'a target left out is gone');
      assert.deepEqual(await ids({ software: { target: 'motion_os', version: '3.3.0' } }), [R1, R3]);
    });

    test('a robot twice in one batch of software: the later entry is what is kept', async () => {
      await setUp();
      await store.write((tx) =>
        tx.putSoftware([
          {
            robotId: R1,
            software: [
              { target: 'motion_os', version: '1' },
              { target: 'vision', version: '1' },
            ],
          },
          { robotId: R1, software: [{ target: 'motion_os', version: '2' }] },
        ]),
      );
      assert.deepEqual(await ids({ software: { version: '2' } }), [R1]);
      assert.deepEqual(await ids({ software: { version: '1' } }), []);
    });
  });
}
