import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncidentFilter, NewIncident, TrendRequest, TriageEntry } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { allPages, part, robotId, snapshot, storePerTest } from './fixtures.js';

/** Operated by org_4, held by org_3, made by org_1. */
const IA = robotId(1);
/** Held by org_5, made by org_1. */
const IB = robotId(2, 'CN0001BBBBBB');
/** Made and held by org_2. */
const IC = robotId(3, 'CN0002AAAAAA');

/** Incident `id` (its report's seq) of `robot`, reported by its operator. */
const incident = (id: number, robot: string, extra: Partial<NewIncident> = {}): NewIncident => ({
  id,
  robotId: robot,
  eventId: `inc-${id}`,
  model: robot.slice(0, 12),
  manufacturerId: robot === IC ? 'org_2' : 'org_1',
  category: 'fall',
  severity: 'minor',
  injuries: null,
  region: 'CN-31',
  eventTime: '2026-01-15T00:00:00.000Z',
  month: '2026-01',
  recordTime: '2026-01-16T00:00:00.000Z',
  reportedBy: 'org_4',
  source: 'operator',
  operatorId: robot === IA ? 'org_4' : null,
  description: null,
  attachments: [],
  components: [],
  software: [],
  ...extra,
});

const I5 = incident(5, IA, {
  category: 'fall',
  severity: 'serious',
  injuries: 1,
  description: 'Fell while climbing stairs.',
  attachments: [{ sha256: 'ab'.repeat(32), mediaType: 'image/jpeg', name: 'stairs.jpg' }],
  components: [{ kind: 'actuator', partNumber: 'HJ-40', serial: 'S1', lot: 'L-1' }],
  software: [
    { target: 'motion_os', version: '3.2.1' },
    { target: 'main_controller', version: '1.0' },
  ],
});
const I12 = incident(12, IA, {
  category: 'collision',
  severity: 'minor',
  eventTime: '2026-02-10T23:30:00.000Z',
  month: '2026-02',
  source: 'robot',
  software: [{ target: 'motion_os', version: '3.3.0' }],
});
const I15 = incident(15, IB, {
  category: 'fault',
  severity: 'critical',
  injuries: 2,
  region: null,
  eventTime: '2026-02-20T00:00:00.000Z',
  month: '2026-02',
  reportedBy: 'org_1',
  source: 'manufacturer',
  components: [
    { kind: null, partNumber: 'HJ-40', serial: null, lot: 'L-9' },
    { kind: null, partNumber: 'HJ-40', serial: null, lot: 'L-9' },
  ],
});
const I20 = incident(20, IC, {
  severity: 'moderate',
  eventTime: '2026-03-01T00:00:00.000Z',
  month: '2026-03',
  reportedBy: 'org_2',
  source: 'manufacturer',
  software: [{ target: 'motion_os', version: '3.2.1' }],
});

const knee = (serial: string, lot: string, position: string) => part('HJ-40', { serial, lot, position });
const battery = part('VC-2k', { kind: 'battery_pack', lot: 'B-1' });
/** A fitted or named part as an incident lists it. */
const listed = (kind: string | null, partNumber: string, serial: string | null, lot: string | null) => ({
  kind,
  partNumber,
  serial,
  lot,
});

const triage = (
  to: TriageEntry['to'],
  from: TriageEntry['from'],
  extra: Partial<TriageEntry> = {},
): TriageEntry => ({
  at: '2026-03-01T00:00:00.000Z',
  orgId: 'org_reg',
  keyId: 'key_reg',
  from,
  to,
  note: null,
  rootCause: null,
  ...extra,
});

for (const adapter of adapters) {
  describe(`store contract, incidents: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    /** The three robots as they are now, IA's parts (one knee replaced at seq 10), and the four incidents. */
    const recorded = () =>
      store.write(async (tx) => {
        await tx.putRobotStatuses([
          {
            robotId: IA,
            lastSeq: 12,
            status: snapshot({ state: 'in_use', custodianId: 'org_3', operatorId: 'org_4' }),
          },
          { robotId: IB, lastSeq: 15, status: snapshot({ state: 'sold', custodianId: 'org_5' }) },
          {
            robotId: IC,
            lastSeq: 20,
            status: snapshot({ manufacturerId: 'org_2', custodianId: 'org_2', state: 'certified' }),
          },
        ]);
        await tx.recordComponentChanges([
          {
            robotId: IA,
            seq: 1,
            fitted: [knee('S1', 'L-1', 'left_knee'), knee('S2', 'L-1', 'right_knee'), battery],
            removed: [],
          },
          {
            robotId: IA,
            seq: 10,
            fitted: [knee('S3', 'L-2', 'left_knee')],
            removed: [knee('S1', 'L-1', 'left_knee')],
          },
          { robotId: IC, seq: 3, fitted: [knee('S7', 'L-2', 'left_knee')], removed: [] },
        ]);
        await tx.insertIncidents([I5, I12]);
        await tx.insertIncidents([]);
        await tx.insertIncidents([I15, I20]);
      });

    const summary = (i: NewIncident, custodianId: string, currentOperatorId: string | null) => {
      const { components: _c, software: _s, ...rest } = i;
      return { ...rest, state: 'reported', rootCause: null, withdrawn: null, custodianId, currentOperatorId };
    };

    test('an incident round-trips whole: the parts named, those fitted then in fitted order, its software, its holders now', async () => {
      await recorded();
      assert.deepEqual(await store.read((r) => r.getIncident(5)), {
        ...summary(I5, 'org_3', 'org_4'),
        components: [listed('actuator', 'HJ-40', 'S1', 'L-1')],
        fitted: [
          listed('actuator', 'HJ-40', 'S1', 'L-1'),
          listed('actuator', 'HJ-40', 'S2', 'L-1'),
          listed('battery_pack', 'VC-2k', null, 'B-1'),
        ],
        software: [
          { target: 'main_controller', version: '1.0' },
          { target: 'motion_os', version: '3.2.1' },
        ],
        triage: [],
      });
      const later = await store.read((r) => r.getIncident(12));
      assert.deepEqual(
        later?.fitted,
        [
          listed('actuator', 'HJ-40', 'S2', 'L-1'),
          listed('battery_pack', 'VC-2k', null, 'B-1'),
          listed('actuator', 'HJ-40', 'S3', 'L-2'),
        ],
        'the knee replaced at seq 10 is not fitted at 12; its replacement is',
      );
      assert.deepEqual(later?.components, []);
      assert.deepEqual((await store.read((r) => r.getIncident(15)))?.components, [
        listed(null, 'HJ-40', null, 'L-9'),
        listed(null, 'HJ-40', null, 'L-9'),
      ]);
      assert.equal(await store.read((r) => r.getIncident(99)), null);
      await assert.rejects(
        store.write((tx) => tx.insertIncidents([incident(30, IA, { eventId: 'inc-5' })])),
        'one incident per report',
      );
    });

    test('triage moves the state, keeps a root cause once found, and appends each move to the history', async () => {
      await recorded();
      const moves = [
        triage('under_investigation', 'reported', { note: 'asked for logs', at: '2026-03-01T00:00:00.000Z' }),
        triage('root_cause_found', 'under_investigation', {
          rootCause: 'bearing wear',
          at: '2026-03-02T00:00:00.000Z',
          keyId: null,
        }),
        triage('closed', 'root_cause_found', { at: '2026-03-03T00:00:00.000Z' }),
      ];
      await store.write(async (tx) => {
        for (const entry of moves) await tx.triageIncident({ incidentId: 5, entry });
      });
      const triaged = await store.read((r) => r.getIncident(5));
      assert.deepEqual(
        [triaged?.state, triaged?.rootCause, triaged?.triage],
        ['closed', 'bearing wear', moves],
      );
      assert.deepEqual((await store.read((r) => r.getIncident(12)))?.triage, [], 'other incidents untouched');
      const closed = await store.read((r) => r.findIncidents({ state: 'closed' }, { after: 0, limit: 5 }));
      assert.deepEqual(
        closed.items.map((i) => [i.id, i.state, i.rootCause]),
        [[5, 'closed', 'bearing wear']],
      );
    });

    test('a correction withdraws an incident once (its id, then none); withdrawn ones are listed only when asked', async () => {
      await recorded();
      const correct = (eventId: string, seq: number) => ({
        robotId: IA,
        eventId,
        seq,
        at: '2026-04-04T00:00:00.000Z',
      });
      assert.deepEqual(
        await store.write((tx) => tx.withdrawIncidents([correct('inc-12', 31), correct('inc-none', 32)])),
        [12],
      );
      assert.deepEqual(
        await store.write((tx) => tx.withdrawIncidents([correct('inc-12', 33)])),
        [],
        'withdrawn already',
      );
      assert.deepEqual(await store.write((tx) => tx.withdrawIncidents([])), []);
      assert.deepEqual((await store.read((r) => r.getIncident(12)))?.withdrawn, {
        seq: 31,
        at: '2026-04-04T00:00:00.000Z',
      });
      const ids = async (filter: IncidentFilter) =>
        (await store.read((r) => r.findIncidents(filter, { after: 0, limit: 10 }))).items.map((i) => i.id);
      assert.deepEqual(await ids({ robotId: IA }), [5]);
      assert.deepEqual(await ids({ robotId: IA, includeWithdrawn: true }), [12, 5]);
    });

    test('incidents are listed newest first with their holders now, each filter narrowing, paged', async () => {
      await recorded();
      const all = await allPages(0, (after) => store.read((r) => r.findIncidents({}, { after, limit: 3 })));
      assert.deepEqual(all, [
        summary(I20, 'org_2', null),
        summary(I15, 'org_5', null),
        summary(I12, 'org_3', 'org_4'),
        summary(I5, 'org_3', 'org_4'),
      ]);
      const first = await store.read((r) => r.findIncidents({}, { after: 0, limit: 2 }));
      assert.equal(first.next, 15);
      const ids = async (filter: IncidentFilter) =>
        (await allPages(0, (after) => store.read((r) => r.findIncidents(filter, { after, limit: 1 })))).map(
          (i) => i.id,
        );
      const cases: [IncidentFilter, number[]][] = [
        [{ manufacturerId: 'org_1' }, [15, 12, 5]],
        [{ scopeManufacturerId: 'org_2' }, [20]],
        [{ model: 'CN0001BBBBBB' }, [15]],
        [{ robotId: IA }, [12, 5]],
        [{ category: 'fall' }, [20, 5]],
        [{ severity: 'critical' }, [15]],
        [{ state: 'reported', severity: 'minor' }, [12]],
        // A part named in the report, or fitted when it happened.
        [{ partNumber: 'HJ-40' }, [20, 15, 12, 5]],
        [{ lot: 'L-9' }, [15]],
        [{ lot: 'L-1' }, [12, 5]],
        [{ lot: 'L-2' }, [20, 12]],
        [{ partNumber: 'VC-2k', lot: 'B-1' }, [12, 5]],
        [{ partNumber: 'VC-2k', lot: 'L-1' }, []],
        [{ software: { target: 'motion_os', version: '3.2.1' } }, [20, 5]],
        [{ software: { target: 'main_controller', version: '3.2.1' } }, []],
        [{ from: '2026-02-10T23:30:00.000Z', to: '2026-03-01T00:00:00.000Z' }, [15, 12]],
        // Made, held now or operated now by the organisation.
        [{ scopeOrgId: 'org_1' }, [15, 12, 5]],
        [{ scopeOrgId: 'org_5' }, [15]],
        [{ scopeOrgId: 'org_4' }, [12, 5]],
        [{ scopeOrgId: 'org_9' }, []],
        [{ manufacturerId: 'org_1', category: 'fall', lot: 'L-1' }, [5]],
      ];
      for (const [filter, expected] of cases)
        assert.deepEqual(await ids(filter), expected, JSON.stringify(filter));
    });

    test('trends count incidents per group, most first then by key, with severities and injuries; withdrawn never count', async () => {
      await recorded();
      await store.write((tx) =>
        tx.withdrawIncidents([{ robotId: IC, eventId: 'inc-20', seq: 40, at: '2026-04-01T00:00:00.000Z' }]),
      );
      const trends = (
        request: Omit<TrendRequest, 'limit' | 'parts'> & Partial<TrendRequest>,
        filter: IncidentFilter = {},
      ) => store.read((r) => r.incidentTrends(filter, { parts: 'fitted', limit: 10, ...request }));
      const severities = (minor: number, moderate: number, serious: number, critical: number) => ({
        minor,
        moderate,
        serious,
        critical,
      });
      assert.deepEqual(await trends({ by: 'model' }), [
        { group: { model: 'CN0001AAAAAA' }, count: 2, bySeverity: severities(1, 0, 1, 0), injuries: 1 },
        { group: { model: 'CN0001BBBBBB' }, count: 1, bySeverity: severities(0, 0, 0, 1), injuries: 2 },
      ]);
      // Months are a time series: oldest first whatever their counts, and a limit keeps the latest.
      assert.deepEqual(await trends({ by: 'month' }), [
        { group: { month: '2026-01' }, count: 1, bySeverity: severities(0, 0, 1, 0), injuries: 1 },
        { group: { month: '2026-02' }, count: 2, bySeverity: severities(1, 0, 0, 1), injuries: 2 },
      ]);
      assert.deepEqual(await trends({ by: 'month', limit: 1 }), [
        { group: { month: '2026-02' }, count: 2, bySeverity: severities(1, 0, 0, 1), injuries: 2 },
      ]);
      const groups = async (request: Parameters<typeof trends>[0], filter: IncidentFilter = {}) =>
        (await trends(request, filter)).map((t) => [t.group, t.count]);
      // Fitted then: two knees of one part number (and lot) count once per incident.
      assert.deepEqual(await groups({ by: 'part' }), [
        [{ partNumber: 'HJ-40' }, 2],
        [{ partNumber: 'VC-2k' }, 2],
      ]);
      assert.deepEqual(await groups({ by: 'lot' }), [
        [{ partNumber: 'HJ-40', lot: 'L-1' }, 2],
        [{ partNumber: 'VC-2k', lot: 'B-1' }, 2],
        [{ partNumber: 'HJ-40', lot: 'L-2' }, 1],
      ]);
      // Named in the reports: one part named twice counts once.
      assert.deepEqual(await groups({ by: 'part', parts: 'involved' }), [[{ partNumber: 'HJ-40' }, 2]]);
      assert.deepEqual(await groups({ by: 'lot', parts: 'involved' }), [
        [{ partNumber: 'HJ-40', lot: 'L-1' }, 1],
        [{ partNumber: 'HJ-40', lot: 'L-9' }, 1],
      ]);
      assert.deepEqual(await groups({ by: 'firmware' }), [
        [{ target: 'main_controller', version: '1.0' }, 1],
        [{ target: 'motion_os', version: '3.2.1' }, 1],
        [{ target: 'motion_os', version: '3.3.0' }, 1],
      ]);
      // A filter narrows what is counted.
      assert.deepEqual(await groups({ by: 'model' }, { severity: 'critical' }), [
        [{ model: 'CN0001BBBBBB' }, 1],
      ]);
      assert.deepEqual(await groups({ by: 'month' }, { scopeOrgId: 'org_4' }), [
        [{ month: '2026-01' }, 1],
        [{ month: '2026-02' }, 1],
      ]);
      assert.deepEqual(await trends({ by: 'model' }, { manufacturerId: 'org_9' }), []);
    });
  });
}
