/**
 * Who may see what (issue 6; docs/access.md), checked as a matrix: every caller's relation to a robot × every field
 * of the robot record, on its own robot and on another's; what each sees of the history and the search; what an
 * export carries; and planted canaries that must never reach a public, competitor's or export answer.
 * The expectations are written out here, not read from the policy table, so that a change to the table shows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exportPolicyWith } from '../../../src/domain/policy/export.js';
import { verifyBundle } from '../../../src/log/bundle.js';
import { parseVerifierKey } from '../../../src/log/note.js';
import { PURPOSE, admit } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { certified, event, report, supplyChain, type SupplyChain } from '../../support/lifecycle.js';

const CANARY = {
  plant: 'CANARY-PLANT-7Q',
  supplier: 'CANARY-SUPPLIER-7Q',
  lot: 'CANARY-LOT-7Q',
  newLot: 'CANARY-NEWLOT-7Q',
  incident: 'CANARY-INCIDENT-7Q',
  region: '440399',
  oldRegion: '310115',
};

type Relation = 'regulator' | 'manufacturer' | 'operator' | 'custodian' | 'authorised' | 'public';
const EVERYONE: Relation[] = ['regulator', 'manufacturer', 'operator', 'custodian', 'authorised', 'public'];
const WORKING_ON_IT: Relation[] = ['regulator', 'manufacturer', 'operator', 'custodian', 'authorised'];
const HOLDING_IT: Relation[] = ['regulator', 'manufacturer', 'operator', 'custodian'];
const OWNING_IT: Relation[] = ['regulator', 'manufacturer', 'operator'];

/** Every field of the robot record and the relations that see it. */
const ROBOT_FIELDS: [string, Relation[]][] = [
  ['id', EVERYONE],
  ['printed', EVERYONE],
  ['url', EVERYONE],
  ['jurisdiction', EVERYONE],
  ['serial', EVERYONE],
  ['state', EVERYONE],
  ['issuedAt', EVERYONE],
  ['productionMonth', EVERYONE],
  ['manufacturer.name', EVERYONE],
  ['model.code', EVERYONE],
  ['certification.status', EVERYONE],
  ['certification.standard', EVERYONE],
  ['certification.validUntil', EVERYONE],
  ['stopUse', EVERYONE],
  ['certification.certificateNumber', WORKING_ON_IT],
  ['certification.certifierId', WORKING_ON_IT],
  ['productionDate', WORKING_ON_IT],
  ['components.0.kind', WORKING_ON_IT],
  ['components.0.partNumber', WORKING_ON_IT],
  ['components.0.serial', WORKING_ON_IT],
  ['software.0.version', WORKING_ON_IT],
  ['eventCount', WORKING_ON_IT],
  ['lastEventTime', WORKING_ON_IT],
  ['custodianId', HOLDING_IT],
  ['operatorId', HOLDING_IT],
  ['inTransitTo', HOLDING_IT],
  ['components.0.manufacturer', OWNING_IT],
  ['components.0.lot', OWNING_IT],
  ['issuanceId', OWNING_IT],
  ['site.region', OWNING_IT],
  ['site.siteType', OWNING_IT],
  ['gs1Key', OWNING_IT],
];

const at = (value: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((v, k) => (v === null || v === undefined ? undefined : (v as never)[k]), value);

for (const store of testStores) {
  describe(`who may see what (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    let other: SupplyChain;
    let lapsedCo: Awaited<ReturnType<typeof admit>>;
    let robot: string; // used by operator2 after a transfer, serviced under a grant
    let held: string; // with the seller: it holds the robot, nobody operates it
    let rival: string; // another manufacturer's

    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      [c, other, lapsedCo] = await Promise.all([
        supplyChain(h, 2),
        supplyChain(h, 1),
        admit(h, ['service_provider']),
      ]);
      [robot, held] = c.robots as [string, string];
      rival = other.robots[0]!;
      await lifeOfRobot();
      await lifeOfHeld();
      await steps([
        [other.maker.key, event('manufactured', rival, bom())],
        [other.certifier.key, certified(rival)],
      ]);
    });
    after(() => h.close());

    const bom = () => ({
      productionDate: '2026-02-03',
      plant: CANARY.plant,
      components: [
        {
          kind: 'actuator',
          position: 'left_knee',
          manufacturer: CANARY.supplier,
          partNumber: 'HJ-40',
          serial: `S-${Math.random().toString(36).slice(2, 10)}`,
          lot: CANARY.lot,
        },
      ],
      software: [{ target: 'motion_os', version: '3.2.1' }],
    });

    async function steps(list: [string, ReturnType<typeof event>][]) {
      for (const [key, e] of list) {
        const res = await report(h, key, [e]);
        assert.equal(res.status, 201, `${e.type}: ${JSON.stringify(res.body)}`);
      }
    }

    const grant = (key: string, id: string, orgId: string) =>
      h.call('POST', `/v1/robots/${id}/service-authorisations`, {
        key,
        body: {
          serviceProviderId: orgId,
          validFrom: new Date(Date.now() - 86_400_000).toISOString(), // the test's events are dated hours ago
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        },
      });

    /** Made, sold to operator (used, an incident), transferred to operator2 (used), serviced under its grant. */
    async function lifeOfRobot() {
      await steps([
        [c.maker.key, event('manufactured', robot, bom())],
        [c.certifier.key, certified(robot)],
        [c.maker.key, event('shipped', robot, { toOrgId: c.seller.org.id })],
        [c.seller.key, event('received', robot)],
        [c.seller.key, event('sold', robot, { toOrgId: c.operator.org.id })],
        [c.operator.key, event('activated', robot, { siteType: 'home', region: CANARY.oldRegion })],
        [
          c.operator.key,
          event('incident_reported', robot, {
            category: 'fall',
            severity: 'moderate',
            description: CANARY.incident,
            injuries: 1,
          }),
        ],
        [c.operator.key, event('ownership_transferred', robot, { toOrgId: c.operator2.org.id })],
        [c.operator2.key, event('activated', robot, { siteType: 'office', region: CANARY.region })],
      ]);
      assert.equal((await grant(c.operator2.key, robot, c.serviceCo.org.id)).status, 201);
      const lapsed = await grant(c.operator2.key, robot, lapsedCo.org.id);
      assert.equal(lapsed.status, 201);
      const revoked = await h.call('DELETE', `/v1/robots/${robot}/service-authorisations/${lapsed.body.id}`, {
        key: c.operator2.key,
      });
      assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
      await steps([
        [
          c.serviceCo.key,
          event('serviced', robot, {
            kind: 'repair',
            replaced: [
              {
                old: { partNumber: 'HJ-40', manufacturer: CANARY.supplier, lot: CANARY.lot },
                new: {
                  kind: 'actuator',
                  manufacturer: CANARY.supplier,
                  partNumber: 'HJ-40',
                  serial: 'NEW-1',
                  lot: CANARY.newLot,
                },
              },
            ],
          }),
        ],
      ]);
    }

    async function lifeOfHeld() {
      await steps([
        [c.maker.key, event('manufactured', held, bom())],
        [c.certifier.key, certified(held)],
        [c.maker.key, event('shipped', held, { toOrgId: c.seller.org.id })],
        [c.seller.key, event('received', held)],
      ]);
    }

    const get = (url: string, key?: string) => h.call('GET', url, { key, headers: PURPOSE });

    /** Who calls, with which key, and what it is to `robot`, `held` and `rival`. */
    const callers = (): [string, string | undefined, Relation, Relation][] => [
      ['anonymous', undefined, 'public', 'public'],
      ['another manufacturer', other.maker.key, 'public', 'public'],
      ['the manufacturer', c.maker.key, 'manufacturer', 'manufacturer'],
      ['the operator', c.operator2.key, 'operator', 'public'],
      ['the previous operator', c.operator.key, 'public', 'public'],
      ['the seller', c.seller.key, 'public', 'custodian'],
      ['the authorised service provider', c.serviceCo.key, 'authorised', 'public'],
      ['a service provider whose grant was revoked', lapsedCo.key, 'public', 'public'],
      ['a regulator', c.regulator.key, 'regulator', 'regulator'],
    ];

    test('robot record: every caller × every field, on its own robot and on another manufacturer’s', async () => {
      for (const [who, key, onRobot, onHeld] of callers()) {
        for (const [id, expected] of [
          [robot, onRobot],
          [held, onHeld],
          [rival, who === 'a regulator' ? 'regulator' : key === other.maker.key ? 'manufacturer' : 'public'],
        ] as [string, Relation][]) {
          const res = await get(`/v1/robots/${id}`, key);
          assert.equal(res.status, 200, JSON.stringify(res.body));
          assert.equal(res.body.access.relation, expected, `${who} on ${id}`);
          for (const [field, seenBy] of ROBOT_FIELDS) {
            if (id !== robot && field.startsWith('site.')) continue; // never activated: no site to see
            const present = at(res.body, field) !== undefined;
            assert.equal(present, seenBy.includes(expected), `${who} (${expected}) on ${field}`);
          }
        }
      }
    });

    const history = async (key: string | undefined, id = robot) => {
      const res = await get(`/v1/robots/${id}/events`, key);
      return res.status === 200 ? (res.body.events as { type: string; payload: never }[]) : res.status;
    };

    test('history: whole events by class, payload fields by field, earlier owners’ usage withheld', async () => {
      const all = [
        'manufactured',
        'certified',
        'shipped',
        'received',
        'sold',
        'activated',
        'incident_reported',
        'ownership_transferred',
        'activated',
        'serviced',
      ];
      for (const key of [c.maker.key, c.regulator.key]) {
        const events = await history(key);
        assert.ok(Array.isArray(events));
        assert.deepEqual(
          events.map((e) => e.type),
          all,
        );
        assert.equal(at(events[6], 'payload.description'), CANARY.incident);
        assert.equal(at(events[0], 'payload.plant'), CANARY.plant);
      }

      const owner = await history(c.operator2.key);
      assert.ok(Array.isArray(owner));
      assert.deepEqual(
        owner.map((e) => e.type),
        all.filter((_, i) => i !== 5),
        'the previous owner’s activation (its site) is its own',
      );
      const incident = owner.find((e) => e.type === 'incident_reported')!;
      assert.deepEqual(incident.payload, { category: 'fall', severity: 'moderate' });
      assert.equal(at(owner[0], 'payload.plant'), CANARY.plant, 'an owner sees its robot’s whole record');

      const provider = await history(c.serviceCo.key);
      assert.ok(Array.isArray(provider));
      assert.deepEqual(
        provider.map((e) => e.type),
        ['manufactured', 'certified', 'incident_reported', 'serviced'],
      );
      assert.deepEqual(Object.keys(provider[0]!.payload).sort(), [
        'components',
        'productionDate',
        'software',
      ]);
      assert.deepEqual(Object.keys(at(provider[0], 'payload.components.0') as object).sort(), [
        'kind',
        'partNumber',
        'position',
        'serial',
      ]);
      assert.equal(at(provider[3], 'payload.replaced.0.new.lot'), undefined);
      assert.equal(at(provider[3], 'payload.replaced.0.new.serial'), 'NEW-1');

      const holder = await history(c.seller.key, held);
      assert.ok(Array.isArray(holder));
      assert.deepEqual(
        holder.map((e) => e.type),
        ['manufactured', 'certified', 'shipped', 'received'],
      );
      assert.equal(at(holder[0], 'payload.plant'), undefined);

      assert.equal(await history(undefined), 401);
      for (const key of [other.maker.key, c.operator.key, c.seller.key, lapsedCo.key]) {
        assert.equal(await history(key), 404, 'not found, as if there were no such robot');
      }
    });

    test('a regulator states its purpose; without one it is refused, never shown more', async () => {
      const res = await h.call('GET', `/v1/robots/${robot}/events`, { key: c.regulator.key });
      assert.equal(res.status, 400);
      assert.equal(res.body.type, 'urn:robotid:problem:purpose-required');
      assert.equal(res.body.errors[0].field, 'header:/RobotID-Purpose');
    });

    const found = async (query: string, key: string) => {
      const res = await get(`/v1/robots?${query}`, key);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.items as { id: string; region: string | null; productionDate: string | null }[];
    };

    test('search: filters a caller may not see find nothing it may not see', async () => {
      assert.deepEqual(
        (await found(`componentLot=${CANARY.lot}`, other.maker.key)).map((r) => r.id),
        [rival],
        'a rival finds its own robots only',
      );
      assert.deepEqual(await found('componentPartNumber=HJ-40', c.serviceCo.key), []);
      assert.deepEqual(
        (await found(`region=${CANARY.region}`, c.operator2.key)).map((r) => [r.id, r.region]),
        [[robot, CANARY.region]],
      );
      assert.deepEqual(await found(`region=${CANARY.oldRegion}`, c.operator.key), []);
      assert.deepEqual(
        await found(`region=${CANARY.oldRegion}`, c.regulator.key),
        [],
        'a transfer clears the site',
      );
      assert.deepEqual(
        await found(`componentLot=${CANARY.lot}`, c.seller.key),
        [],
        'lots are not a holder’s',
      );
      const holderRows = await found('componentPartNumber=HJ-40', c.seller.key);
      assert.deepEqual(
        holderRows.map((r) => [r.id, r.productionDate, r.region]),
        [[held, '2026-02-03', null]],
      );
    });

    test('export: only what the destination may receive, and never more than the caller sees', async () => {
      const exported = async (key: string | undefined, to = 'DE') => {
        const res = await get(`/v1/robots/${robot}/export?destination=${to}`, key);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body;
      };
      const byDefault = await exported(c.regulator.key);
      assert.deepEqual(byDefault.allowed, ['public']);
      assert.deepEqual(byDefault.robot.access.classes, ['public']);
      assert.equal(byDefault.robot.components, undefined);

      const policy = h.ctx.exportPolicy;
      h.ctx.exportPolicy = exportPolicyWith('{"DE": ["technical"]}');
      try {
        const toDe = await exported(c.maker.key);
        assert.deepEqual(toDe.robot.access.classes, ['public', 'technical']);
        assert.equal(toDe.robot.components[0].partNumber, 'HJ-40');
        assert.equal(toDe.robot.components[0].lot, undefined, 'supply data never leaves');
        assert.equal(toDe.robot.site, undefined, 'usage data never leaves');
        assert.equal((await exported(c.maker.key, 'US')).robot.components, undefined);
        assert.equal(
          (await exported(undefined)).robot.components,
          undefined,
          'the public sees the public tier',
        );
      } finally {
        h.ctx.exportPolicy = policy;
      }
      const bad = await get(`/v1/robots/${robot}/export?destination=ZZ`);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errors[0].field, 'query:/destination');
      assert.throws(() => exportPolicyWith('{"DE": ["usage"]}'), /only public, technical/);
    });

    test('canaries: no public, rival or export answer carries a supplier, lot, plant, incident or site', async () => {
      const treeSize = await h.ctx.store.read((r) => r.logSize());
      const answers = await Promise.all([
        get(`/v1/robots/${robot}`),
        get(`/v1/robots/${robot}`, other.maker.key),
        get(`/v1/robots/${robot}`, lapsedCo.key),
        h.call('GET', `/r/${robot}`),
        h.call('GET', `/r/${robot}`, { headers: { accept: 'text/html' } }),
        get(`/v1/robots/${robot}/label.svg`),
        get(`/v1/robots/${robot}/export?destination=DE`),
        get(`/v1/robots/${robot}/export?destination=DE`, other.maker.key),
        get(`/v1/robots/${robot}/events`, other.maker.key),
        get(`/v1/robots/${robot}/proof-bundle`, other.maker.key),
        get(`/v1/robots?componentLot=${CANARY.lot}`, other.maker.key),
        get(`/v1/robots?region=${CANARY.region}`, other.maker.key),
        get(`/v1/log/leaves?start=0&end=${Math.max(1, treeSize)}`),
        get('/v1/organisations', other.maker.key),
      ]);
      for (const answer of answers) {
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        for (const canary of Object.values(CANARY)) {
          assert.equal(text.includes(canary), false, `${canary} in ${text.slice(0, 200)}`);
        }
      }
    });

    test('the read audit: every non-public read and every refused attempt, with its classes and purpose', async () => {
      const readsOf = async (orgId?: string) => {
        await h.ctx.readAudit.flush();
        const filter = orgId === undefined ? { robotId: robot } : { robotId: robot, orgId };
        return (await h.ctx.store.read((r) => r.listReadAudit(filter, { after: 0, limit: 1000 }))).items;
      };
      assert.equal((await get(`/v1/robots/${robot}/events`, c.regulator.key)).status, 200);
      const [read] = await readsOf(c.regulator.org.id);
      assert.equal(read!.outcome, 'granted');
      assert.equal(read!.purpose, 'market_surveillance');
      assert.deepEqual(read!.classes, ['custody', 'supply', 'technical', 'usage']);

      assert.equal((await get(`/v1/robots/${robot}/events`, other.maker.key)).status, 404);
      const [denied] = await readsOf(other.maker.org.id);
      assert.equal(denied!.outcome, 'denied', 'a refused attempt is recorded');

      const recorded = (await readsOf()).length;
      await get(`/v1/robots/${robot}`);
      await get(`/v1/robots/${robot}`, lapsedCo.key);
      assert.equal((await readsOf()).length, recorded, 'a public view is nobody’s secret: not recorded');

      await get(`/v1/robots?componentPartNumber=HJ-40`, c.seller.key);
      await h.ctx.readAudit.flush();
      const searches = await h.ctx.store.read((r) =>
        r.listReadAudit({ orgId: c.seller.org.id }, { after: 0, limit: 10 }),
      );
      assert.equal(searches.items[0]!.query, 'componentPartNumber=HJ-40');
      assert.equal(searches.items[0]!.robotId, null);
    });

    test('a service provider’s proof bundle shows whole only the events it sees whole, the others as their leaf', async () => {
      const res = await get(`/v1/robots/${robot}/proof-bundle`, c.serviceCo.key);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const events = res.body.events as { record?: string; commitment?: string }[];
      const types = events.flatMap((e) => (e.record ? [JSON.parse(e.record).type] : []));
      assert.deepEqual(types, ['certified']);
      assert.ok(events.filter((e) => !e.record).every((e) => e.commitment && !('salt' in e)));
      assert.equal(JSON.stringify(res.body).includes(CANARY.lot), false);
      const report = verifyBundle(JSON.stringify(res.body), parseVerifierKey(h.ctx.log.verifierKey));
      assert.equal(report.ok, true, JSON.stringify(report.problems));
      assert.equal(report.completeness, 'proven');
      assert.equal(report.events.filter((e) => e.withheld).length, events.length - 1);
    });
  });
}
