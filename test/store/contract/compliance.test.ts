import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RobotStatus } from '../../../src/domain/lifecycle/status.js';
import {
  compliancePlan,
  DEFAULT_COMPLIANCE_RULES,
  type CompliancePlan,
  type RuleCode,
} from '../../../src/domain/safety/compliance.js';
import type {
  ComplianceFinding,
  ComplianceRunOutcome,
  FindingFilter,
  OpenedFindings,
  RobotStatusEntry,
} from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { allPages, differsOn, event, part, robotId, snapshot, storePerTest } from './fixtures.js';

const at = (day: string) => `${day}T00:00:00.000Z`;

/** A robot's snapshot as the compliance rules read it. */
const robot = (id: string, status: Partial<RobotStatus>): RobotStatusEntry => ({
  robotId: id,
  lastSeq: 1,
  status: snapshot({ manufacturerId: 'org_1', custodianId: 'org_3', ...status }),
});

/** A plan that checks these rules with these cutoffs at `now`. */
const plan = (now: string, checks: [RuleCode, string][]): CompliancePlan => ({
  at: now,
  checks: checks.map(([rule, cutoff]) => ({ rule, cutoff })),
});

const byGroup = (opened: OpenedFindings[]) =>
  [...opened].sort((a, b) => `${a.orgId} ${a.rule}`.localeCompare(`${b.orgId} ${b.rule}`));

/** What a finding is about, and its times, without its id. */
const about = (f: ComplianceFinding) => ({
  rule: f.rule,
  robotId: f.robotId,
  key: f.key,
  firstSeen: f.firstSeen,
  lastSeen: f.lastSeen,
  resolvedAt: f.resolvedAt,
});

for (const adapter of adapters) {
  describe(`store contract, compliance: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    const run = (p: CompliancePlan): Promise<ComplianceRunOutcome> =>
      store.write((tx) => tx.checkCompliance(p));
    const findings = (filter: FindingFilter) =>
      allPages(0, (after) => store.read((r) => r.listComplianceFindings(filter, { after, limit: 2 })));

    test('each rule finds what it describes, for the organisation it concerns, with its detail', async () => {
      const [RA, RB, RC, RD, RE, RF, RG] = [1, 2, 3, 4, 5, 6, 7].map((n) => robotId(n));
      await store.write(async (tx) => {
        await tx.putRobotStatuses([
          // In use, never serviced since activation, never certified, not seen for long.
          robot(RA!, {
            state: 'in_use',
            activatedAt: '2025-01-01T08:00:00+08:00',
            lastEventTime: '2025-01-01T08:00:00+08:00',
          }),
          // Manufactured long ago, never placed on the market.
          robot(RB!, {
            custodianId: 'org_1',
            productionDate: '2025-10-01',
            lastEventTime: '2025-11-01T00:00:00.000Z',
          }),
          // In use, serviced, certified, seen: nothing to find.
          robot(RC!, {
            state: 'in_use',
            activatedAt: '2024-01-01T00:00:00.000Z',
            lastServicedAt: '2026-05-01T00:00:00.000Z',
            lastEventTime: '2026-05-01T00:00:00.000Z',
            certification: {
              standard: 'GB/T 12643',
              certificateNumber: 'C-pass',
              certifierId: 'org_9',
              result: 'pass',
              validUntil: '2027-01-01T00:00:00.000Z',
              eventTime: '2026-01-01T00:00:00.000Z',
            },
          }),
          // Sold with a failed certification.
          robot(RD!, {
            state: 'sold',
            custodianId: 'org_4',
            lastEventTime: '2026-05-01T00:00:00.000Z',
            certification: {
              standard: 'GB/T 12643',
              certificateNumber: 'C-fail',
              certifierId: 'org_9',
              result: 'fail',
              validUntil: '2027-01-01T00:00:00.000Z',
              eventTime: '2026-01-01T00:00:00.000Z',
            },
          }),
          // Recycled without accounting for two of its parts.
          robot(RE!, { state: 'recycled', custodianId: 'org_5', lastEventTime: '2026-04-30T00:00:00.000Z' }),
          // Lost, last seen exactly at the not-seen cutoff (not before it), and just before it.
          robot(RF!, { state: 'lost', custodianId: 'org_6', lastEventTime: '2025-06-01T08:00:00+08:00' }),
          robot(RG!, { state: 'lost', custodianId: 'org_6', lastEventTime: '2025-06-01T07:59:59.999+08:00' }),
        ]);
        await tx.recordComponentChanges([
          {
            robotId: RE!,
            seq: 1,
            fitted: [
              part('P1', { serial: 'S1' }),
              part('P2', { lot: 'L2' }),
              part('P3', { kind: 'sensor', position: 'head' }),
            ],
            removed: [],
          },
        ]);
        await tx.insertEvents([
          event(RE!, 'recycled-1', {
            type: 'recycled',
            orgId: 'org_5',
            eventTime: '2026-04-30T00:00:00.000Z',
            payload: {
              components: [
                { partNumber: 'P1', serial: 'S1', outcome: 'reused' },
                { partNumber: 'P2', lot: 'L-other', outcome: 'recycled' },
              ],
            },
          }),
          event(RC!, 'late-1', {
            late: true,
            orgId: 'org_4',
            eventTime: '2026-01-01T00:00:00.000Z',
            recordTime: '2026-05-01T00:00:00.000Z',
          }),
          event(RC!, 'late-before-window', {
            late: true,
            orgId: 'org_4',
            recordTime: '2026-01-01T00:00:00.000Z',
          }),
          event(RC!, 'on-time', { orgId: 'org_4', recordTime: '2026-05-02T00:00:00.000Z' }),
        ]);
      });
      // The default rules a year and a half after: cutoffs 90, 365, 365 and 180 days back.
      const outcome = await run(
        compliancePlan(DEFAULT_COMPLIANCE_RULES, new Date('2026-06-01T00:00:00.000Z')),
      );
      assert.deepEqual(byGroup(outcome.opened), [
        { rule: 'certification-expired', orgId: 'org_1', count: 2, robotIds: [RA, RD] },
        { rule: 'never-placed', orgId: 'org_1', count: 1, robotIds: [RB] },
        { rule: 'certification-expired', orgId: 'org_3', count: 1, robotIds: [RA] },
        { rule: 'not-seen', orgId: 'org_3', count: 1, robotIds: [RA] },
        { rule: 'service-overdue', orgId: 'org_3', count: 1, robotIds: [RA] },
        { rule: 'certification-expired', orgId: 'org_4', count: 1, robotIds: [RD] },
        { rule: 'late-reports', orgId: 'org_4', count: 1, robotIds: [RC] },
        { rule: 'recycling-incomplete', orgId: 'org_5', count: 1, robotIds: [RE] },
        { rule: 'not-seen', orgId: 'org_6', count: 1, robotIds: [RG] },
      ]);
      assert.deepEqual([outcome.kept, outcome.resolved], [0, 0]);

      const detail = async (orgId: string, rule: RuleCode) =>
        (await findings({ orgId, rule, open: true })).map((f) => [f.robotId, f.key, f.detail]);
      assert.deepEqual(await detail('org_3', 'service-overdue'), [
        [RA, RA, { lastServicedAt: null, activatedAt: '2025-01-01T08:00:00+08:00' }],
      ]);
      assert.deepEqual(await detail('org_3', 'not-seen'), [
        [RA, RA, { state: 'in_use', lastEventAt: '2025-01-01T08:00:00+08:00' }],
      ]);
      assert.deepEqual(await detail('org_1', 'certification-expired'), [
        [RA, RA, { state: 'in_use', reason: 'none', certificateNumber: null, validUntil: null }],
        [
          RD,
          RD,
          {
            state: 'sold',
            reason: 'failed',
            certificateNumber: 'C-fail',
            validUntil: '2027-01-01T00:00:00.000Z',
          },
        ],
      ]);
      assert.deepEqual(await detail('org_1', 'never-placed'), [
        [
          RB,
          RB,
          { state: 'manufactured', productionDate: '2025-10-01', lastEventAt: '2025-11-01T00:00:00.000Z' },
        ],
      ]);
      assert.deepEqual(await detail('org_4', 'late-reports'), [
        [
          RC,
          `${RC}/late-1`,
          {
            eventId: 'late-1',
            type: 'serviced',
            eventTime: '2026-01-01T00:00:00.000Z',
            recordTime: '2026-05-01T00:00:00.000Z',
          },
        ],
      ]);
      assert.deepEqual(await detail('org_5', 'recycling-incomplete'), [
        [
          RE,
          RE,
          {
            eventId: 'recycled-1',
            recycledAt: '2026-04-30T00:00:00.000Z',
            missing: [
              { kind: 'actuator', position: null, partNumber: 'P2', serial: null, lot: 'L2' },
              { kind: 'sensor', position: 'head', partNumber: 'P3', serial: null, lot: null },
            ],
          },
        ],
      ]);
    });

    test('a run keeps what it still finds (detail refreshed), resolves what it no longer finds, opens what is new', async () => {
      const [X1, X2, X3] = [1, 2, 3].map((n) => robotId(n));
      const seen = (id: string, state: RobotStatus['state'], day: string) =>
        robot(id, { state, lastEventTime: at(day) });
      const notSeen = (now: string) => plan(now, [['not-seen', at('2026-01-01')]]);
      await store.write((tx) =>
        tx.putRobotStatuses([seen(X1!, 'lost', '2025-06-01'), seen(X2!, 'lost', '2025-06-01')]),
      );
      const T1 = at('2026-06-01');
      assert.deepEqual(await run(notSeen(T1)), {
        opened: [{ rule: 'not-seen', orgId: 'org_3', count: 2, robotIds: [X1, X2] }],
        kept: 0,
        resolved: 0,
      });

      await store.write((tx) =>
        tx.putRobotStatuses([
          seen(X1!, 'stolen', '2025-06-01'),
          seen(X2!, 'in_use', '2026-05-01'),
          seen(X3!, 'lost', '2025-07-01'),
        ]),
      );
      const T2 = at('2026-06-02');
      assert.deepEqual(await run(notSeen(T2)), {
        opened: [{ rule: 'not-seen', orgId: 'org_3', count: 1, robotIds: [X3] }],
        kept: 1,
        resolved: 1,
      });
      const all = async () => [
        ...(await findings({ orgId: 'org_3', open: true })),
        ...(await findings({ orgId: 'org_3', open: false })),
      ];
      const afterT2 = await all();
      assert.deepEqual(afterT2.map(about), [
        { rule: 'not-seen', robotId: X1, key: X1, firstSeen: T1, lastSeen: T2, resolvedAt: null },
        { rule: 'not-seen', robotId: X3, key: X3, firstSeen: T2, lastSeen: T2, resolvedAt: null },
        { rule: 'not-seen', robotId: X2, key: X2, firstSeen: T1, lastSeen: T1, resolvedAt: T2 },
      ]);
      assert.deepEqual(
        afterT2[0]!.detail,
        { state: 'stolen', lastEventAt: at('2025-06-01') },
        'detail refreshed',
      );

      // A rule left out of the plan (switched off) finds nothing: its open findings are resolved.
      const T3 = at('2026-06-03');
      assert.deepEqual(await run(plan(T3, [])), { opened: [], kept: 0, resolved: 2 });
      assert.deepEqual(await findings({ orgId: 'org_3', open: true }), []);
      // Found again: a new finding opens, the resolved one stays as it was.
      const T4 = at('2026-06-04');
      assert.equal((await run(notSeen(T4))).opened[0]?.count, 2);
      const afterT4 = await all();
      assert.deepEqual(
        afterT4.map((f) => [f.robotId, f.firstSeen, f.resolvedAt]),
        [
          [X1, T4, null],
          [X3, T4, null],
          [X1, T1, T3],
          [X2, T1, T2],
          [X3, T2, T3],
        ],
      );
      assert.ok(afterT4[0]!.id > afterT2[1]!.id, 'a new finding, not the old one reopened');
    });

    // RFC 3339 (and src/domain/time.ts) accept a lower-case t and z, and offsets up to ±23:59. The capture writes
    // UTC times today, but a snapshot's times are the store's input as given, and the rules say they compare
    // instants "never as text".
    test(
      'times written with a lower-case t and z, or an offset past ±14:00, are compared as the instants they are',
      differsOn(
        adapter.name,
        'sqlite',
        "SQLite's julianday() reads neither (NULL), so the robot is silently not found; PostgreSQL finds it",
      ),
      async () => {
        const [L1, L2, L3] = [1, 2, 3].map((n) => robotId(n));
        await store.write((tx) =>
          tx.putRobotStatuses([
            robot(L1!, { state: 'lost', lastEventTime: '2025-01-01t00:00:00z' }),
            robot(L2!, { state: 'lost', lastEventTime: '2025-01-01T00:00:00+15:30' }),
            // 2025-12-31T20:30Z: before the cutoff, though its text sorts after it.
            robot(L3!, { state: 'lost', lastEventTime: '2026-01-01T12:00:00+15:30' }),
          ]),
        );
        const outcome = await run(plan(at('2026-06-01'), [['not-seen', at('2026-01-01')]]));
        assert.deepEqual(outcome.opened, [
          { rule: 'not-seen', orgId: 'org_3', count: 3, robotIds: [L1, L2, L3] },
        ]);
      },
    );

    test(
      'a time with an offset past ±15:59 is compared as the instant it is',
      {
        todo: 'differs: SQLite silently does not find the robot (julianday() is NULL); PostgreSQL refuses the whole run (time zone displacement out of range)',
      },
      async () => {
        const L1 = robotId(1);
        // 2025-12-31T16:00Z.
        await store.write((tx) =>
          tx.putRobotStatuses([robot(L1, { state: 'lost', lastEventTime: '2026-01-01T12:00:00+20:00' })]),
        );
        const outcome = await run(plan(at('2026-06-01'), [['not-seen', at('2026-01-01')]]));
        assert.deepEqual(outcome.opened, [{ rule: 'not-seen', orgId: 'org_3', count: 1, robotIds: [L1] }]);
      },
    );

    test('a group opened in a run names at most 20 of its robots, in ID order, and counts them all', async () => {
      const ids = Array.from({ length: 22 }, (_, n) => robotId(22 - n));
      await store.write((tx) =>
        tx.putRobotStatuses(ids.map((id) => robot(id, { state: 'lost', lastEventTime: at('2025-01-01') }))),
      );
      const outcome = await run(plan(at('2026-06-01'), [['not-seen', at('2026-01-01')]]));
      assert.deepEqual(outcome.opened, [
        { rule: 'not-seen', orgId: 'org_3', count: 22, robotIds: [...ids].sort().slice(0, 20) },
      ]);
    });

    test('findings are listed open or resolved since, by rule, in id order, paged; and counted by rule', async () => {
      const [Y1, Y2, Y3, Y4] = [1, 2, 3, 4].map((n) => robotId(n));
      await store.write((tx) =>
        tx.putRobotStatuses([
          robot(Y1!, { state: 'lost', lastEventTime: at('2025-01-01') }),
          robot(Y2!, { state: 'lost', lastEventTime: at('2025-01-01') }),
          robot(Y3!, { manufacturerId: 'org_3', lastEventTime: at('2025-01-01') }),
          robot(Y4!, { state: 'lost', custodianId: 'org_4', lastEventTime: at('2025-01-01') }),
        ]),
      );
      const rules: [RuleCode, string][] = [
        ['not-seen', at('2026-01-01')],
        ['never-placed', at('2026-01-01')],
      ];
      await run(plan(at('2026-06-01'), rules));
      await store.write((tx) =>
        tx.putRobotStatuses([robot(Y2!, { state: 'lost', lastEventTime: at('2026-05-01') })]),
      );
      await run(plan(at('2026-06-02'), rules));

      const open = await findings({ orgId: 'org_3', open: true });
      assert.deepEqual(
        open.map((f) => [f.rule, f.robotId]),
        [
          ['never-placed', Y3],
          ['not-seen', Y1],
          ['not-seen', Y3],
        ],
      );
      assert.deepEqual(
        open.map((f) => f.id),
        open.map((f) => f.id).sort((a, b) => a - b),
        'in id order',
      );
      const first = await store.read((r) =>
        r.listComplianceFindings({ orgId: 'org_3', open: true }, { after: 0, limit: 2 }),
      );
      assert.equal(first.next, first.items[1]!.id);
      assert.deepEqual(
        (await findings({ orgId: 'org_3', open: true, rule: 'not-seen' })).map((f) => f.robotId),
        [Y1, Y3],
      );
      assert.deepEqual(
        (await findings({ orgId: 'org_3', open: false })).map((f) => [f.robotId, f.resolvedAt]),
        [[Y2, at('2026-06-02')]],
      );
      assert.equal(
        (await findings({ orgId: 'org_3', open: false, resolvedSince: at('2026-06-02') })).length,
        1,
      );
      assert.deepEqual(await findings({ orgId: 'org_3', open: false, resolvedSince: at('2026-06-03') }), []);
      assert.deepEqual(await findings({ orgId: 'org_9', open: true }), []);
      assert.deepEqual(
        await store.read((r) => r.countComplianceFindings({ orgId: 'org_3', open: true })),
        new Map([
          ['never-placed', 1],
          ['not-seen', 2],
        ]),
      );
      assert.deepEqual(
        await store.read((r) => r.countComplianceFindings({ orgId: 'org_3', open: false })),
        new Map([['not-seen', 1]]),
      );
      assert.deepEqual(
        await store.read((r) => r.countComplianceFindings({ orgId: 'org_4', open: true })),
        new Map([['not-seen', 1]]),
      );
      assert.equal(
        (
          await store.read((r) =>
            r.countComplianceFindings({ orgId: 'org_3', open: false, resolvedSince: at('2026-06-03') }),
          )
        ).size,
        0,
      );
    });
  });
}
