import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, test } from 'node:test';
import {
  runComplianceCheck,
  startComplianceChecking,
  type ComplianceRun,
} from '../../src/app/compliance/check.js';
import { loadConfig } from '../../src/main/config.js';
import { applyEvent, initialStatus } from '../../src/domain/lifecycle/machine.js';
import type { RobotStatus } from '../../src/domain/lifecycle/status.js';
import { complianceRulesWith, type RuleCode } from '../../src/domain/safety/compliance.js';
import type { ComplianceFinding } from '../../src/store/store.js';
import { Connection } from '../../src/store/sqlite/connection.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { migrate } from '../../src/store/sqlite/migrations.js';
import { PURPOSE, admit } from '../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../support/harness.js';
import {
  actuatorSerial,
  certified,
  event,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../support/lifecycle.js';

const DAY_MS = 86_400_000;
/** An instant `days` days before now (plus `minutes`, to order a robot's events). */
const ago = (days: number, minutes = 0) =>
  new Date(Date.now() - days * DAY_MS + minutes * 60_000).toISOString();
const at = <T extends object>(e: T, days: number, minutes = 0) => ({ ...e, eventTime: ago(days, minutes) });

/** Manufactured `days` days ago (produced that day). */
function made(id: string, days: number) {
  const e = at(manufactured(id), days);
  return { ...e, payload: { ...e.payload, productionDate: e.eventTime.slice(0, 10) } };
}

async function accept(h: Harness, key: string, e: unknown) {
  const res = await report(h, key, [e]);
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

/** Manufactured, certified (valid until `validUntil`), shipped, received, sold and activated `days` days ago. */
async function inUseSince(h: Harness, c: SupplyChain, id: string, days: number, validUntil?: string) {
  await accept(h, c.maker.key, made(id, days + 1));
  await accept(h, c.certifier.key, at(certified(id, validUntil), days + 1, 10));
  await accept(h, c.maker.key, at(event('shipped', id, { toOrgId: c.seller.org.id }), days + 1, 20));
  await accept(h, c.seller.key, at(event('received', id), days + 1, 30));
  await accept(h, c.seller.key, at(event('sold', id, { toOrgId: c.operator.org.id }), days + 1, 40));
  await accept(
    h,
    c.operator.key,
    at(event('activated', id, { siteType: 'factory', region: '310115' }), days),
  );
}

/** Manufactured `days` ago, decommissioned, shipped to the recycler and recycled with these components listed. */
async function recycledListing(h: Harness, c: SupplyChain, id: string, components: unknown[]) {
  await accept(h, c.maker.key, made(id, 3));
  await accept(h, c.maker.key, at(event('decommissioned', id), 2));
  await accept(h, c.maker.key, at(event('shipped', id, { toOrgId: c.recycler.org.id }), 2, 10));
  await accept(h, c.recycler.key, at(event('received', id), 2, 20));
  await accept(h, c.recycler.key, at(event('recycled', id, { components }), 1));
}

const ACTUATOR_LISTED = (id: string) => ({
  partNumber: 'HJ-40',
  serial: actuatorSerial(id),
  outcome: 'reused',
});
const BATTERY_LISTED = { partNumber: 'VC-2k', lot: 'B7', outcome: 'recycled' };

for (const store of testStores) {
  describe(`compliance rules (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    let ids: Record<string, string>;

    const open = async (rule: RuleCode, orgId: string): Promise<ComplianceFinding[]> =>
      (
        await h.ctx.store.read((r) =>
          r.listComplianceFindings({ orgId, rule, open: true }, { after: 0, limit: 1000 }),
        )
      ).items;
    const openRobots = async (rule: RuleCode, orgId: string): Promise<(string | null | undefined)[]> =>
      (await open(rule, orgId)).map((f) => f.robotId).sort();
    const findingNotices = async () =>
      (await h.ctx.store.read((r) => r.listNoticesAfter(0, 1000))).filter(
        (n) => n.topic === 'compliance.finding',
      );

    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 12);
      const [overdue, inspected, justInTime, expired, valid, unplaced, recent, partial, whole, fixedLater] =
        c.robots;
      ids = {
        overdue,
        inspected,
        justInTime,
        expired,
        valid,
        unplaced,
        recent,
        partial,
        whole,
        fixedLater,
      } as Record<string, string>;
      // service-overdue (365 days) and not-seen (365 days): activated 366 days ago, nothing since.
      await inUseSince(h, c, ids.overdue!, 366);
      await inUseSince(h, c, ids.fixedLater!, 366);
      // Activated long ago but inspected ten days ago.
      await inUseSince(h, c, ids.inspected!, 400);
      await accept(h, c.operator.key, at(event('serviced', ids.inspected!, { kind: 'inspection' }), 10));
      // Activated 364 days ago: within the year.
      await inUseSince(h, c, ids.justInTime!, 364);
      // certification-expired: valid until five days ago, in use.
      await inUseSince(h, c, ids.expired!, 20, ago(5));
      await inUseSince(h, c, ids.valid!, 20, ago(-400));
      // never-placed (180 days): manufactured 181 days ago and left at the factory; and one made 179 days ago.
      await accept(h, c.maker.key, made(ids.unplaced!, 181));
      await accept(h, c.maker.key, made(ids.recent!, 179));
      // recycling-incomplete: the battery (lot B7) missing from the report; and a complete report.
      await recycledListing(h, c, ids.partial!, [ACTUATOR_LISTED(ids.partial!)]);
      await recycledListing(h, c, ids.whole!, [ACTUATOR_LISTED(ids.whole!), BATTERY_LISTED]);
    });

    after(() => h.close());

    test('each rule finds the robots that break it and only those, for the organisations concerned', async () => {
      const run = await runComplianceCheck(h.ctx);
      assert.deepEqual(run.rules, [
        'late-reports',
        'certification-expired',
        'service-overdue',
        'not-seen',
        'recycling-incomplete',
        'never-placed',
      ]);
      const { operator, maker, recycler } = c;
      assert.deepEqual(
        await openRobots('service-overdue', operator.org.id),
        [ids.overdue, ids.fixedLater].sort(),
      );
      assert.deepEqual(await openRobots('not-seen', operator.org.id), [ids.overdue, ids.fixedLater].sort());
      assert.deepEqual(await openRobots('certification-expired', operator.org.id), [ids.expired]);
      assert.deepEqual(await openRobots('certification-expired', maker.org.id), [ids.expired]);
      assert.deepEqual(await openRobots('never-placed', maker.org.id), [ids.unplaced]);
      const [recycling] = await open('recycling-incomplete', recycler.org.id);
      assert.equal(recycling?.robotId, ids.partial);
      assert.deepEqual(
        (recycling?.detail.missing as { partNumber: string; lot: string }[]).map((m) => [
          m.partNumber,
          m.lot,
        ]),
        [['VC-2k', 'B7']],
      );
      assert.equal((await open('recycling-incomplete', recycler.org.id)).length, 1);
      // Reported more than 7 days after they happened: the maker's manufactured events of old robots are late.
      const late = await open('late-reports', maker.org.id);
      assert.ok(late.some((f) => f.robotId === ids.overdue && f.detail.type === 'manufactured'));
      assert.ok(!late.some((f) => f.robotId === ids.partial));
      // Nobody else is concerned: the seller holds nothing now.
      assert.deepEqual(await openRobots('service-overdue', c.seller.org.id), []);
      // Left at the factory for 181 days: never placed, but seen within the year.
      assert.deepEqual(await openRobots('not-seen', maker.org.id), []);
    });

    test('findings stay single across runs and notices are written once per organisation and rule', async () => {
      const notices = await findingNotices();
      const overdue = notices.filter(
        (n) => n.data.rule === 'service-overdue' && n.audience.includes(c.operator.org.id),
      );
      assert.equal(overdue.length, 1);
      assert.equal(overdue[0]!.data.opened, 2);
      assert.deepEqual(overdue[0]!.data.robotIds, [ids.overdue, ids.fixedLater].sort());
      assert.deepEqual(overdue[0]!.audience, [c.operator.org.id]);
      const before = await open('service-overdue', c.operator.org.id);

      const again = await runComplianceCheck(h.ctx);
      assert.equal(again.opened, 0);
      assert.equal(again.resolved, 0);
      assert.ok(again.kept > 0);
      assert.equal(again.notices, 0);
      assert.equal((await findingNotices()).length, notices.length);
      const after = await open('service-overdue', c.operator.org.id);
      assert.deepEqual(
        after.map((f) => [f.id, f.firstSeen]),
        before.map((f) => [f.id, f.firstSeen]),
      );
      assert.ok(after[0]!.lastSeen > before[0]!.lastSeen);
    });

    test('a finding resolves when fixed: an inspection closes service-overdue and not-seen', async () => {
      await accept(h, c.operator.key, event('serviced', ids.fixedLater!, { kind: 'maintenance' }));
      const run = await runComplianceCheck(h.ctx);
      assert.equal(run.resolved, 2);
      assert.deepEqual(await openRobots('service-overdue', c.operator.org.id), [ids.overdue]);
      assert.deepEqual(await openRobots('not-seen', c.operator.org.id), [ids.overdue]);
      const resolved = await h.ctx.store.read((r) =>
        r.listComplianceFindings(
          { orgId: c.operator.org.id, rule: 'service-overdue', open: false },
          { after: 0, limit: 10 },
        ),
      );
      assert.deepEqual(
        resolved.items.map((f) => [f.robotId, f.resolvedAt]),
        [[ids.fixedLater, run.at]],
      );
      // Last seen by the run before: the one that resolved it did not see it.
      assert.ok(resolved.items[0]!.lastSeen < run.at);
    });

    test('a repair does not restart the service clock', async () => {
      await accept(h, c.operator.key, event('serviced', ids.overdue!, { kind: 'repair' }));
      await runComplianceCheck(h.ctx);
      assert.deepEqual(await openRobots('service-overdue', c.operator.org.id), [ids.overdue]);
    });

    test('parameters change what is found; a rule switched off resolves its findings', async () => {
      const rules = complianceRulesWith('{"service-overdue": {"days": 30}, "never-placed": false}');
      const run = await runComplianceCheck(h.ctx, rules);
      assert.ok(!run.rules.includes('never-placed'));
      // Activated 364 days ago and never serviced: overdue after 30 days.
      assert.ok((await openRobots('service-overdue', c.operator.org.id)).includes(ids.justInTime));
      assert.deepEqual(await openRobots('never-placed', c.maker.org.id), []);
      await runComplianceCheck(h.ctx);
      assert.deepEqual(await openRobots('never-placed', c.maker.org.id), [ids.unplaced]);
      assert.ok(!(await openRobots('service-overdue', c.operator.org.id)).includes(ids.justInTime));
    });

    test('the report: JSON per rule for the organisation, 404 to others, a purpose for regulators', async () => {
      const url = `/v1/organisations/${c.operator.org.id}/compliance`;
      const own = await h.call('GET', url, { key: c.operator.key });
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.equal(own.body.organisation.id, c.operator.org.id);
      const overdue = own.body.rules.find((r: { code: string }) => r.code === 'service-overdue');
      assert.equal(overdue.open.count, 1);
      assert.equal(overdue.open.findings[0].robotId, ids.overdue);
      assert.ok(Date.parse(overdue.open.findings[0].detail.activatedAt) < Date.now() - 365 * DAY_MS);
      assert.ok(overdue.resolved.count >= 1);
      assert.deepEqual(overdue.parameters, { days: 365 });
      assert.equal(overdue.enabled, true);

      const capped = await h.call('GET', `${url}?limit=1`, { key: c.operator.key });
      const notSeen = capped.body.rules.find((r: { code: string }) => r.code === 'late-reports');
      assert.ok(notSeen.open.count > 1);
      assert.equal(notSeen.open.findings.length, 1);

      assert.equal((await h.call('GET', url, { key: c.seller.key })).status, 404);
      assert.equal((await h.call('GET', url, { key: c.maker.key })).status, 404);
      const blind = await h.call('GET', url, { key: c.regulator.key });
      assert.equal(blind.status, 400);
      assert.match(blind.body.type, /purpose-required/);
      const regulator = await h.call('GET', url, { key: c.regulator.key, headers: PURPOSE });
      assert.equal(regulator.status, 200);
      assert.equal((await h.call('GET', `${url}?limit=0`, { key: c.operator.key })).status, 400);
      assert.equal(
        (
          await h.call('GET', '/v1/organisations/org_nobody/compliance', {
            key: c.regulator.key,
            headers: PURPOSE,
          })
        ).status,
        404,
      );

      await h.ctx.readAudit.flush();
      const reads = await h.ctx.store.read((r) =>
        r.listReadAudit({ orgId: c.regulator.org.id }, { after: 0, limit: 50 }),
      );
      const query = `compliance-report:${c.operator.org.id}`;
      assert.ok(reads.items.some((e) => e.query === query && e.outcome === 'granted' && e.purpose !== null));
      assert.ok(reads.items.some((e) => e.query === query && e.outcome === 'denied'));
      const sellerReads = await h.ctx.store.read((r) =>
        r.listReadAudit({ orgId: c.seller.org.id }, { after: 0, limit: 50 }),
      );
      assert.ok(sellerReads.items.some((e) => e.query === query && e.outcome === 'denied'));
    });

    test('the report as a printable page escapes what it shows', async () => {
      const odd = await admit(h, ['manufacturer'], 'Acme <script>alert(1)</script> & "Sons"');
      const page = await h.call('GET', `/v1/organisations/${odd.org.id}/compliance.html`, { key: odd.key });
      assert.equal(page.status, 200);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.ok(!page.body.includes('<script>'));
      assert.ok(page.body.includes('Acme &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Sons&quot;'));
      assert.ok(page.body.includes('@media print'));

      const negotiated = await h.call('GET', `/v1/organisations/${c.operator.org.id}/compliance`, {
        key: c.operator.key,
        headers: { accept: 'text/html' },
      });
      assert.match(String(negotiated.headers['content-type']), /text\/html/);
      assert.ok(negotiated.body.includes(ids.overdue));
      assert.ok(negotiated.body.includes('service-overdue'));
      assert.equal(
        (await h.call('GET', `/v1/organisations/${odd.org.id}/compliance.html`, { key: c.seller.key }))
          .status,
        404,
      );
    });

    test('runs on demand: regulators and the administrator, nobody else', async () => {
      const ran = await h.call('POST', '/v1/compliance/runs', { key: c.regulator.key });
      assert.equal(ran.status, 200, JSON.stringify(ran.body));
      assert.equal(ran.body.opened, 0);
      assert.equal((await h.call('POST', '/v1/compliance/runs', { key: h.adminKey })).status, 200);
      assert.equal((await h.call('POST', '/v1/compliance/runs', { key: c.operator.key })).status, 403);
      assert.equal((await h.call('POST', '/v1/compliance/runs')).status, 401);
    });

    test('the periodic loop runs the rules in the process that leads the checking', async () => {
      const runs: ComplianceRun[] = [];
      const leading: boolean[] = [];
      let stop = () => {};
      let guard: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve, reject) => {
        // The loop's own timers do not keep a process alive (a server's do): this one does, meanwhile.
        guard = setTimeout(() => reject(new Error('no run within 10 s')), 10_000);
        stop = startComplianceChecking(
          h.ctx,
          60_000,
          {
            failed: reject,
            leadershipChanged: (leads) => leading.push(leads),
            ran: (run) => {
              runs.push(run);
              resolve();
            },
          },
          5,
        );
      });
      clearTimeout(guard);
      stop();
      assert.deepEqual(leading, [true]);
      assert.equal(runs.length, 1);
      assert.equal(runs[0]!.opened, 0);
      assert.ok(runs[0]!.kept > 0);
    });
  });
}

describe('compliance rule settings', () => {
  const refused = (json: string, field: string, message: RegExp) =>
    assert.throws(
      () => complianceRulesWith(json),
      (error: { code: string; fields: { field: string; message: string }[] }) => {
        assert.equal(error.code, 'invalid-compliance-rules');
        assert.ok(
          error.fields.some((f) => f.field === field && message.test(f.message)),
          JSON.stringify(error.fields),
        );
        return true;
      },
    );

  test('defaults, parameters and switches', () => {
    const rules = complianceRulesWith(
      '{"service-overdue": {"days": 180}, "not-seen": {"enabled": false}, "late-reports": false}',
    );
    assert.deepEqual(rules['service-overdue'].parameters, { days: 180 });
    assert.equal(rules['not-seen'].enabled, false);
    assert.equal(rules['late-reports'].enabled, false);
    assert.deepEqual(rules['never-placed'].parameters, { days: 180 });
    assert.equal(complianceRulesWith(undefined)['service-overdue'].parameters.days, 365);
  });

  test('the interval: minutes from 1 to a week', () => {
    assert.equal(loadConfig({}, {}).complianceIntervalMs, 3_600_000);
    assert.equal(loadConfig({}, { ROBOTID_COMPLIANCE_MINUTES: '5' }).complianceIntervalMs, 300_000);
    assert.throws(() => loadConfig({}, { ROBOTID_COMPLIANCE_MINUTES: '0' }), /ROBOTID_COMPLIANCE_MINUTES/);
    assert.throws(() => loadConfig({}, { ROBOTID_COMPLIANCE_MINUTES: 'hourly' }), /from 1 to 10080/);
  });

  test('bad settings are refused with the place and the reason', () => {
    refused('{', 'ROBOTID_COMPLIANCE_RULES', /not JSON/);
    refused('[]', 'ROBOTID_COMPLIANCE_RULES', /not an object/);
    refused('{"sevice-overdue": {}}', 'ROBOTID_COMPLIANCE_RULES/sevice-overdue', /unknown rule/);
    refused('{"not-seen": {"dayz": 3}}', 'ROBOTID_COMPLIANCE_RULES/not-seen/dayz', /unknown parameter/);
    refused('{"not-seen": {"days": 0}}', 'ROBOTID_COMPLIANCE_RULES/not-seen/days', /whole days from 1/);
    refused('{"not-seen": {"days": 1.5}}', 'ROBOTID_COMPLIANCE_RULES/not-seen/days', /whole days/);
    refused('{"not-seen": {"enabled": "no"}}', 'ROBOTID_COMPLIANCE_RULES/not-seen/enabled', /true or false/);
    refused('{"not-seen": 5}', 'ROBOTID_COMPLIANCE_RULES/not-seen', /true, false or an object/);
    refused(
      '{"recycling-incomplete": {"days": 5}}',
      'ROBOTID_COMPLIANCE_RULES/recycling-incomplete/days',
      /unknown parameter \(known: enabled\)/,
    );
  });
});

test('sqlite: upgrading fills the checker’s columns and the snapshots from the events already stored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-compliance-upgrade-'));
  const file = join(dir, 'robotid.sqlite');
  const robotId = 'CN0001AAAAAAR0000000000000001';
  const old = Connection.open(file);
  migrate(old, 8);
  old.db
    .prepare(
      `INSERT INTO robot_status (robot_id, state, custodian_id, status, last_seq) VALUES (?, 'in_use', 'org_2', ?, 4)`,
    )
    .run(
      robotId,
      JSON.stringify({ state: 'in_use', lastEventTime: '2026-03-01T10:00:00+08:00', software: [] }),
    );
  const insert = old.db.prepare(
    `INSERT INTO events (seq, robot_id, event_id, type, event_time, record_time, org_id, key_id, payload,
       content_hash, late, salt) VALUES (?, ?, ?, ?, ?, '2026-03-02T00:00:00Z', 'org_2', 'key', ?, x'00', 0, x'00')`,
  );
  insert.run(
    1,
    robotId,
    'e1',
    'activated',
    '2026-01-01T08:00:00+08:00',
    '{"region":"310115","siteType":"home"}',
  );
  insert.run(
    2,
    robotId,
    'e2',
    'activated',
    '2026-01-05T08:00:00+08:00',
    '{"region":"310115","siteType":"home"}',
  );
  insert.run(3, robotId, 'e3', 'serviced', '2026-02-01T08:00:00+08:00', '{"kind":"inspection"}');
  insert.run(4, robotId, 'e4', 'serviced', '2026-03-01T10:00:00+08:00', '{"kind":"repair"}');
  old.db.close();
  const store = SqliteStore.open(file);
  try {
    const status = await store.read((r) => r.getRobotStatus(robotId));
    assert.equal(status?.activatedAt, '2026-01-01T08:00:00+08:00');
    assert.equal(status?.lastServicedAt, '2026-02-01T08:00:00+08:00');
  } finally {
    await store.close();
  }
  const db = new Database(file, { readonly: true });
  try {
    assert.deepEqual(
      db.prepare('SELECT last_event_at, activated_at, last_serviced_at FROM robot_status').get(),
      {
        last_event_at: '2026-03-01T10:00:00+08:00',
        activated_at: '2026-01-01T08:00:00+08:00',
        last_serviced_at: '2026-02-01T08:00:00+08:00',
      },
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the status keeps the first activation and the latest inspection or maintenance', () => {
  const ctx = {
    reporter: { orgId: 'org_a', keyId: 'key_a', roles: new Set(['operator']) },
    authorisedForService: false,
    now: new Date(),
  };
  const apply = (s: RobotStatus, type: string, payload: object, eventTime: string): RobotStatus => {
    const outcome = applyEvent(
      s,
      { eventId: eventTime, type, robotId: 'r', eventTime, payload } as never,
      ctx,
    );
    assert.ok(outcome.ok, JSON.stringify(outcome));
    return outcome.status;
  };
  let s: RobotStatus = {
    ...initialStatus('org_m'),
    state: 'sold',
    custodianId: 'org_a',
    operatorId: 'org_a',
    certification: {
      standard: 'GB/T 12643',
      certificateNumber: 'C-1',
      certifierId: 'org_c',
      result: 'pass',
      validUntil: null,
      eventTime: '2026-01-01T00:00:00Z',
    },
  };
  const site = { siteType: 'home', region: '310115' };
  s = apply(s, 'activated', site, '2026-01-02T00:00:00+08:00');
  s = apply(s, 'activated', site, '2026-01-03T00:00:00+08:00');
  assert.equal(s.activatedAt, '2026-01-02T00:00:00+08:00');
  assert.equal(s.lastServicedAt, undefined);
  s = apply(s, 'serviced', { kind: 'maintenance' }, '2026-01-04T00:00:00Z');
  s = apply(s, 'serviced', { kind: 'repair' }, '2026-01-05T00:00:00Z');
  s = apply(s, 'serviced', { kind: 'firmware_update' }, '2026-01-06T00:00:00Z');
  assert.equal(s.lastServicedAt, '2026-01-04T00:00:00Z');
  s = apply(s, 'serviced', { kind: 'inspection' }, '2026-01-07T00:00:00Z');
  assert.equal(s.lastServicedAt, '2026-01-07T00:00:00Z');
});
