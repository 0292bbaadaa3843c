import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resumeRecallWork, startRecallWork } from '../../../src/app/recalls/work.js';
import { PURPOSE } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import {
  ACTUATOR,
  actuatorSerial,
  certified,
  event,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';

const BAD_LOT = 'LOT-2026-07';

/** A robot manufactured with its knee actuator from `lot` and firmware `version`. */
const built = (robotId: string, lot: string, version = '3.2.1') =>
  manufactured(robotId, {
    payload: {
      productionDate: '2026-01-04',
      components: [
        { ...ACTUATOR, lot, serial: actuatorSerial(robotId) },
        { kind: 'battery_pack', manufacturer: 'Volt Cells', partNumber: 'VC-2k', lot: 'B7' },
      ],
      software: [{ target: 'motion_os', version }],
    },
  });

const replaceKnee = (robotId: string, lot: string, serial: string, extra: Record<string, unknown> = {}) =>
  event('serviced', robotId, {
    kind: 'repair',
    replaced: [
      {
        old: { ...ACTUATOR, serial: actuatorSerial(robotId) },
        new: { ...ACTUATOR, lot, serial },
      },
    ],
    ...extra,
  });

/** The event dated now: after a stop-use order (which the registry dates now), reports cannot go back before it. */
const atNow = <T extends object>(e: T): T => ({ ...e, eventTime: new Date().toISOString() });

const campaign = (criteria: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  component: 'Knee joint actuator HJ-40',
  summary: 'The actuator brake may fail to hold under load.',
  consequence: 'The robot may fall.',
  remedy: { description: 'Replace the knee actuator.', overTheAir: false },
  stopUse: false,
  criteria,
  ...extra,
});

for (const store of testStores)
  describe(`recall campaigns (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    /** robots: 0 bad lot in use; 1 good lot in use, fitted a bad-lot actuator in service; 2 good lot; 3 bad lot
     *  but recycled; 4 bad lot, only manufactured; 5 issued only. */
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 8);
      const [r0, r1, r2, r3, r4] = c.robots;
      for (const [id, lot] of [
        [r0, BAD_LOT],
        [r1, 'LOT-2026-01'],
        [r2, 'LOT-2026-01'],
      ] as const) {
        await mustReport(c.maker.key, [built(id!, lot)]);
        await intoUseFromManufactured(id!);
      }
      await mustReport(c.operator.key, [replaceKnee(r1!, BAD_LOT, 'HJ40-SPARE-1')]);
      await mustReport(c.maker.key, [built(r3!, BAD_LOT), event('decommissioned', r3!)]);
      await mustReport(c.maker.key, [built(r4!, BAD_LOT)]);
    });
    after(() => h.close());

    async function mustReport(key: string, events: unknown[]) {
      const res = await report(h, key, events);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res;
    }

    async function intoUseFromManufactured(id: string) {
      await mustReport(c.certifier.key, [certified(id)]);
      await mustReport(c.maker.key, [event('shipped', id, { toOrgId: c.seller.org.id })]);
      await mustReport(c.seller.key, [event('received', id)]);
      await mustReport(c.seller.key, [event('sold', id, { toOrgId: c.operator.org.id })]);
      await mustReport(c.operator.key, [event('activated', id, { siteType: 'factory', region: '310115' })]);
    }

    async function open(key: string, body: unknown) {
      const res = await h.call('POST', '/v1/recalls', { key, body });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      await startRecallWork(h.ctx, res.body.number);
      return res.body.number as string;
    }

    const affectedIds = async (number: string) => {
      const res = await h.call('GET', `/v1/recalls/${number}/robots`, {
        key: c.regulator.key,
        headers: PURPOSE,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body.items as { robotId: string }[]).map((r) => r.robotId).sort();
    };

    test('a lot recall finds every robot carrying the lot now, including parts fitted in service', async () => {
      const number = await open(
        c.regulator.key,
        campaign({ components: [{ partNumber: 'HJ-40', lots: [BAD_LOT] }] }),
      );
      assert.match(number, /^RC-\d{4}-\d{6}$/);
      const [r0, r1, , , r4] = c.robots;
      assert.deepEqual(
        await affectedIds(number),
        [r0!, r1!, r4!].sort(),
        'not the recycled-bound one, not good lots',
      );
      const notices = await h.ctx.store.read((r) => r.listNoticesAfter(0, 10_000));
      const told = notices
        .filter((n) => n.topic === 'recall.affects' && n.data.recall === number)
        .map((n) => [n.audience[0], [...(n.data.robots as string[])].sort()]);
      assert.deepEqual(
        told.sort(),
        [
          [c.maker.org.id, [r0!, r1!, r4!].sort()],
          [c.operator.org.id, [r0!, r1!].sort()],
        ].sort(),
        'each holder and maker hears of its own affected robots only',
      );
      const shown = await h.call('GET', `/v1/recalls/${number}`);
      assert.equal(shown.status, 200);
      const mistyped = await h.call('GET', '/v1/recalls/RC-2026-00001/progress');
      assert.equal(mistyped.status, 400);
      assert.deepEqual(mistyped.body.errors, [
        {
          field: 'path:/number',
          message: 'must be a recall number: RC-, the year, a hyphen and six digits (RC-2026-000001)',
        },
      ]);
      assert.equal(shown.body.affectedSet, 'ready');
      assert.equal(shown.body.affected, 3);
      assert.equal(shown.body.criteria, undefined, 'criteria are supply data: not public');
      const asMaker = await h.call('GET', `/v1/recalls/${number}`, { key: c.regulator.key });
      assert.deepEqual(asMaker.body.criteria, { components: [{ partNumber: 'HJ-40', lots: [BAD_LOT] }] });
    });

    test('a robot that comes to carry an affected part later joins the open campaign in the same capture', async () => {
      const number = await open(
        c.regulator.key,
        campaign({ components: [{ partNumber: 'HJ-40', lots: ['LOT-LATE'] }] }),
      );
      assert.deepEqual(await affectedIds(number), []);
      const r2 = c.robots[2]!;
      await mustReport(c.operator.key, [replaceKnee(r2, 'LOT-LATE', 'HJ40-LATE-1')]);
      assert.deepEqual(await affectedIds(number), [r2]);
      const notices = await h.ctx.store.read((r) => r.listNoticesAfter(0, 10_000));
      const affects = notices.filter((n) => n.topic === 'recall.affects' && n.data.recall === number);
      assert.deepEqual(
        affects.map((n) => [n.audience, n.data.robots]),
        [
          [[c.operator.org.id], [r2]],
          [[c.maker.org.id], [r2]],
        ],
        'its holder and its maker are told, about this robot only',
      );
    });

    test('criteria on models, production dates, serial ranges and firmware', async () => {
      const [r0, r1, r2] = c.robots;
      const model = r0!.slice(0, 12);
      const bySerial = await open(
        c.regulator.key,
        campaign({
          components: [{ partNumber: 'HJ-40', serials: { from: 'HJ40-SPARE-0', to: 'HJ40-SPARE-9' } }],
        }),
      );
      assert.deepEqual(await affectedIds(bySerial), [r1!]);
      const byFirmware = await open(
        c.regulator.key,
        campaign({ models: [model], software: [{ target: 'motion_os', versions: ['3.2.1'] }] }),
      );
      assert.ok((await affectedIds(byFirmware)).includes(r2!));
      const notProduced = await open(
        c.regulator.key,
        campaign({ models: [model], producedFrom: '2027-01-01' }),
      );
      assert.deepEqual(await affectedIds(notProduced), []);
      const progress = await h.call('GET', `/v1/recalls/${notProduced}/progress`);
      assert.equal(progress.body.affected, 0);
      assert.equal(progress.body.completion, 1, 'nothing affected: complete');
    });

    test('malformed criteria get precise errors', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{}, '/criteria'],
        [{ models: ['CN0001'] }, '/criteria/models/0'],
        [{ models: ['ZZ0001H00001'] }, '/criteria/models/0'],
        [
          { models: [c.robots[0]!.slice(0, 12)], producedFrom: '2026-05-01', producedTo: '2026-01-01' },
          '/criteria/producedTo',
        ],
        [
          { components: [{ partNumber: 'HJ-40', serials: { from: 'B', to: 'A' } }] },
          '/criteria/components/0/serials/to',
        ],
        [{ software: [{ target: 'motion_os', versions: [] }] }, '/criteria/software/0/versions'],
      ];
      for (const [criteria, field] of cases) {
        const res = await h.call('POST', '/v1/recalls', { key: c.regulator.key, body: campaign(criteria) });
        assert.equal(res.status, 400, JSON.stringify(criteria));
        assert.equal(res.body.type, 'urn:robotid:problem:invalid-criteria');
        assert.ok(
          res.body.errors.some((e: { field: string }) => e.field === field),
          `${JSON.stringify(criteria)} → ${JSON.stringify(res.body.errors)}`,
        );
      }
      const ota = await h.call('POST', '/v1/recalls', {
        key: c.regulator.key,
        body: campaign(
          { software: [{ target: 'motion_os', versions: ['3.2.1'] }] },
          { remedy: { description: 'update', overTheAir: true } },
        ),
      });
      assert.equal(ota.status, 400);
      assert.equal(ota.body.errors[0].field, '/remedy/software');
    });

    test('a manufacturer recalls only its own robots and cannot order stop-use', async () => {
      const rival = await h.call('POST', '/v1/recalls', {
        key: c.maker.key,
        body: campaign({ models: ['CN0ZZZH00001'] }),
      });
      assert.equal(rival.status, 400);
      assert.equal(rival.body.errors[0].field, '/criteria/models/0');
      const stop = await h.call('POST', '/v1/recalls', {
        key: c.maker.key,
        body: campaign({ components: [{ partNumber: 'HJ-40' }] }, { stopUse: true }),
      });
      assert.equal(stop.status, 403);
      const operator = await h.call('POST', '/v1/recalls', {
        key: c.operator.key,
        body: campaign({ components: [{ partNumber: 'HJ-40' }] }),
      });
      assert.equal(operator.status, 403);
      const own = await open(
        c.maker.key,
        campaign({ components: [{ partNumber: 'HJ-40', lots: [BAD_LOT] }] }),
      );
      const shown = await h.call('GET', `/v1/recalls/${own}`, { key: c.maker.key });
      assert.equal(shown.body.manufacturerId, c.maker.org.id);
      assert.ok(shown.body.criteria, 'its own campaign: the maker sees the criteria');
      const asOperator = await h.call('GET', `/v1/recalls/${own}/robots`, { key: c.operator.key });
      assert.deepEqual(
        (asOperator.body.items as { robotId: string }[]).map((r) => r.robotId).sort(),
        [c.robots[0]!, c.robots[1]!].sort(),
        'the operator sees the robots it held, not the one still at the factory',
      );
    });

    test('stop-use: robots are suspended, stay so until remedied, and a remedy closes their entry', async () => {
      const fresh = await supplyChain(h, 2);
      const [a, b] = fresh.robots;
      for (const id of [a!, b!]) {
        const res = await report(h, fresh.maker.key, [built(id, 'LOT-STOP')]);
        assert.equal(res.status, 201, JSON.stringify(res.body));
      }
      const number = await open(
        c.regulator.key,
        campaign({ components: [{ partNumber: 'HJ-40', lots: ['LOT-STOP'] }] }, { stopUse: true }),
      );
      const history = await h.call('GET', `/v1/robots/${a}/events`, { key: fresh.maker.key });
      const stop = history.body.events.find((e: { type: string }) => e.type === 'suspended');
      assert.equal(stop?.payload.orderNumber, number);

      const page = await h.call('GET', `/r/${a}`, { headers: { accept: 'application/json' } });
      assert.equal(page.status, 200);
      assert.ok(JSON.stringify(page.body).includes(number), 'the public page shows the order');

      const early = await report(h, c.regulator.key, [
        atNow(event('reinstated', a!, { orderNumber: number })),
      ]);
      assert.equal(early.status, 409);
      assert.equal(early.body.type, 'urn:robotid:problem:recall-not-remedied');

      const fix = await report(h, fresh.maker.key, [
        atNow(
          event('serviced', a!, {
            kind: 'repair',
            replaced: [
              {
                old: { ...ACTUATOR, lot: 'LOT-STOP', serial: actuatorSerial(a!) },
                new: { ...ACTUATOR, lot: 'LOT-OK', serial: 'HJ40-FIX-1' },
              },
            ],
          }),
        ),
      ]);
      assert.equal(fix.status, 201, JSON.stringify(fix.body));
      const progress = await h.call('GET', `/v1/recalls/${number}/progress`);
      assert.equal(progress.body.byState.remedied, 1);
      assert.equal(progress.body.completion, 0.5);
      assert.equal(progress.body.series.at(-1).remedied, 1);
      const reinstated = await report(h, c.regulator.key, [
        atNow(event('reinstated', a!, { orderNumber: number })),
      ]);
      assert.equal(reinstated.status, 201, JSON.stringify(reinstated.body));

      // A robot that joins the campaign later is ordered to stop too, by the campaign's work.
      const other = await supplyChain(h, 1);
      const late = other.robots[0]!;
      const made = await report(h, other.maker.key, [built(late, 'LOT-STOP')]);
      assert.equal(made.status, 201, JSON.stringify(made.body));
      await resumeRecallWork(h.ctx);
      const lateHistory = await h.call('GET', `/v1/robots/${late}/events`, { key: other.maker.key });
      assert.ok(
        lateHistory.body.events.some(
          (e: { type: string; payload: { orderNumber?: string } }) =>
            e.type === 'suspended' && e.payload.orderNumber === number,
        ),
      );
      const scan = await h.call('GET', `/r/${late}`, { headers: { accept: 'text/html' } });
      assert.match(scan.body as string, new RegExp(`class="stop" role="alert">STOP USE — order ${number}`));
      assert.match(scan.body as string, new RegExp(`RECALL ${number} — .*Not yet remedied`));
      const publicView = await h.call('GET', `/r/${late}`, { headers: { accept: 'application/json' } });
      assert.deepEqual(
        publicView.body.recalls.map((r: { recall: string; state: string }) => [r.recall, r.state]),
        [[number, 'notified']],
      );
      const notices = await h.ctx.store.read((r) => r.listNoticesAfter(0, 100_000));
      const suspendedNotice = notices.find(
        (n) => n.topic === 'robot.suspended' && n.data.orderNumber === number,
      );
      assert.ok(suspendedNotice, 'stop-use orders are announced');
      assert.ok((suspendedNotice.data.robots as string[]).every((id) => id === a || id === b));
    });

    test('exemptions are a regulator’s, with a note; unreachable is the manufacturer’s too', async () => {
      const number = await open(
        c.maker.key,
        campaign({ components: [{ partNumber: 'HJ-40', lots: [BAD_LOT] }] }),
      );
      const r0 = c.robots[0]!;
      const put = (key: string, body: unknown) =>
        h.call('PUT', `/v1/recalls/${number}/robots/${r0}`, { key, body });
      assert.equal((await put(c.maker.key, { state: 'exempt', note: 'x' })).status, 403);
      assert.equal((await put(c.regulator.key, { state: 'exempt' })).status, 400);
      assert.equal((await put(c.maker.key, { state: 'remedied' })).status, 409);
      assert.equal((await put(c.operator.key, { state: 'unreachable' })).status, 404);
      const unreachable = await put(c.maker.key, { state: 'unreachable', note: 'owner moved' });
      assert.equal(unreachable.status, 200, JSON.stringify(unreachable.body));
      const exempt = await put(c.regulator.key, {
        state: 'exempt',
        note: 'robot kept in a museum, never powered',
      });
      assert.equal(exempt.status, 200);
      const mine = await h.call('GET', `/v1/robots/${r0}/recalls`);
      assert.ok(
        mine.body.items.some(
          (i: { recall: string; state: string }) => i.recall === number && i.state === 'exempt',
        ),
      );
    });

    test('after a restart, unfinished campaign work resumes', async () => {
      const r4 = c.robots[4]!;
      const number = await open(
        c.regulator.key,
        campaign({ components: [{ partNumber: 'HJ-40', lots: [BAD_LOT] }] }),
      );
      await h.ctx.store.write((tx) =>
        tx.updateRecall(number, { affectedSet: 'computing', computedAt: null }),
      );
      await resumeRecallWork(h.ctx);
      const shown = await h.call('GET', `/v1/recalls/${number}`);
      assert.equal(shown.body.affectedSet, 'ready');
      assert.ok((await affectedIds(number)).includes(r4));
      assert.equal(shown.body.affected, 3, 'nothing counted twice');
    });
  });
