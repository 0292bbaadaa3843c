import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PURPOSE } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import {
  ACTUATOR,
  actuatorSerial,
  event,
  intoUse,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';

const HASH = 'a'.repeat(64);

const incident = (robotId: string, extra: Record<string, unknown> = {}) =>
  event('incident_reported', robotId, { category: 'fall', severity: 'serious', ...extra });

for (const store of testStores)
  describe(`incidents (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    /** Another manufacturer's chain: its robots are not c.maker's. */
    let rival: SupplyChain;

    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 6);
      rival = await supplyChain(h, 1);
      for (const id of c.robots) await intoUse(h, c, id);
      await intoUse(h, rival, rival.robots[0]!);
    });
    after(() => h.close());

    const asRegulator = (url: string) => h.call('GET', url, { key: c.regulator.key, headers: PURPOSE });
    const get = (key: string, url: string) => h.call('GET', url, { key, headers: PURPOSE });
    const reportOne = async (key: string, e: unknown) => {
      const res = await report(h, key, [e]);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.results[0].seq as number;
    };
    const triage = (id: number, body: Record<string, unknown>, key = c.regulator.key) =>
      h.call('POST', `/v1/incidents/${id}/triage`, { key, body });

    test('malformed incident payloads are refused naming the field and why', async () => {
      const id = c.robots[0]!;
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [
          { attachments: [{ sha256: 'xyz', mediaType: 'image/jpeg' }] },
          '/payload/attachments/0/sha256',
          /must be a SHA-256 digest: 64 lower-case hexadecimal digits/,
        ],
        [{ attachments: [{ sha256: HASH }] }, '/payload/attachments/0/mediaType', /required/],
        [
          { source: 'neighbour' },
          '/payload/source',
          /one of: operator, service_provider, manufacturer, robot/,
        ],
        [{ region: 'shanghai' }, '/payload/region', /must be upper-case letters, digits and hyphens/],
        [
          { components: [{ partNumber: 'HJ-40', colour: 'red', lot: 'L' }] },
          '/payload/components/0/colour',
          /unknown field/,
        ],
      ];
      for (const [extra, field, message] of cases) {
        const res = await report(h, c.operator.key, [incident(id, extra)]);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.deepEqual(
          res.body.errors.map((e: { field: string }) => e.field),
          [`/events/0${field}`],
        );
        assert.match(res.body.errors[0].message, message);
      }
      const unnamed = await report(h, c.operator.key, [
        incident(id, { components: [{ partNumber: 'HJ-40', lot: 'L1' }, { partNumber: 'VC-2k' }] }),
      ]);
      assert.equal(unnamed.status, 400);
      assert.equal(unnamed.body.type, 'urn:robotid:problem:component-unidentified');
      assert.equal(unnamed.body.errors[0].field, '/events/0/payload/components/1');
    });

    test("the robot's manufacturer may now report an incident; another manufacturer may not", async () => {
      const id = c.robots[1]!;
      const seq = await reportOne(c.maker.key, incident(id, { source: 'robot', severity: 'minor' }));
      const shown = await asRegulator(`/v1/incidents/${seq}`);
      assert.equal(shown.status, 200, JSON.stringify(shown.body));
      assert.equal(shown.body.source, 'robot');
      assert.equal(shown.body.reportedBy, c.maker.org.id);
      const refused = await report(h, rival.maker.key, [incident(id)]);
      assert.equal(refused.status, 403);
      assert.match(refused.body.detail, /manufacturer/);
    });

    test('an incident records where, the parts named and fitted and the firmware at the time', async () => {
      const id = c.robots[2]!;
      const seq = await reportOne(
        c.operator.key,
        incident(id, {
          injuries: 1,
          description: 'fell on the stairs',
          components: [{ kind: 'actuator', partNumber: 'HJ-40', lot: 'LOT-2026-01' }],
          attachments: [{ sha256: HASH, mediaType: 'video/mp4', name: 'cam.mp4', size: 1024 }],
        }),
      );
      // Firmware updated afterwards: the incident keeps what was installed when it happened.
      await reportOne(
        c.operator.key,
        event('serviced', id, {
          kind: 'firmware_update',
          software: [{ target: 'motion_os', version: '3.3.0' }],
        }),
      );
      const shown = await asRegulator(`/v1/incidents/${seq}`);
      assert.equal(shown.status, 200);
      const i = shown.body;
      assert.equal(i.id, seq);
      assert.equal(i.model, id.slice(0, 12));
      assert.equal(i.manufacturerId, c.maker.org.id);
      assert.equal(i.region, '310115', "the robot's site region when the report gives none");
      assert.equal(i.source, 'operator');
      assert.equal(i.state, 'reported');
      assert.equal(i.injuries, 1);
      assert.deepEqual(i.software, [{ target: 'motion_os', version: '3.2.1' }]);
      assert.deepEqual(i.components, [
        { kind: 'actuator', partNumber: 'HJ-40', serial: null, lot: 'LOT-2026-01' },
      ]);
      assert.deepEqual(
        i.fitted.map((p: { partNumber: string; serial: string | null }) => [p.partNumber, p.serial]),
        [
          ['HJ-40', actuatorSerial(id)],
          ['VC-2k', null],
        ],
      );
      assert.deepEqual(i.attachments, [
        { sha256: HASH, mediaType: 'video/mp4', name: 'cam.mp4', size: 1024 },
      ]);
      assert.deepEqual(i.triage, []);

      const notices = await h.ctx.store.read((r) => r.listNoticesAfter(0, 1000));
      const notice = notices.find((n) => n.topic === 'incident.reported' && n.data.incidentId === seq);
      assert.ok(notice, 'announced');
      assert.deepEqual(notice.audience, [c.maker.org.id, c.operator.org.id].sort());
      assert.equal(notice.data.injuries, undefined, 'no usage data in a notice');
    });

    test('a batch rolled back leaves no incident and no notice', async () => {
      const id = c.robots[3]!;
      const before = await h.ctx.store.read((r) => r.listNoticesAfter(0, 10_000));
      const res = await report(
        h,
        c.operator.key,
        [incident(id, { severity: 'critical' }), event('activated', id, { siteType: 'moon', region: '1' })],
        'rollback',
      );
      assert.equal(res.status, 400);
      const listed = await asRegulator(`/v1/incidents?robot=${id}`);
      assert.deepEqual(listed.body.items, []);
      const afterwards = await h.ctx.store.read((r) => r.listNoticesAfter(0, 10_000));
      assert.equal(afterwards.length, before.length);
    });

    test('a correction of the report withdraws the incident', async () => {
      const id = c.robots[3]!;
      const e = { ...incident(id, { category: 'fire' }), eventId: `inc-${id}` };
      const seq = await reportOne(c.operator.key, e);
      const correction = event('corrected', id, { correctsEventId: e.eventId, reason: 'did_not_occur' });
      const correctionSeq = await reportOne(c.operator.key, correction);
      const listed = await asRegulator(`/v1/incidents?robot=${id}`);
      assert.deepEqual(listed.body.items, [], 'withdrawn incidents are left out by default');
      const all = await asRegulator(`/v1/incidents?robot=${id}&includeWithdrawn=true`);
      assert.equal(all.body.items.length, 1);
      assert.equal(all.body.items[0].withdrawn.seq, correctionSeq);
      const refused = await triage(seq, { state: 'under_investigation' });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.type, 'urn:robotid:problem:incident-withdrawn');

      // Reported and corrected in one batch: written, then withdrawn, in the batch's order.
      const again = { ...incident(id, { category: 'cyber' }), eventId: `inc2-${id}` };
      const both = await report(h, c.operator.key, [
        again,
        event('corrected', id, { correctsEventId: again.eventId, reason: 'wrong_robot' }),
      ]);
      assert.equal(both.status, 201, JSON.stringify(both.body));
      const shown = await asRegulator(`/v1/incidents/${both.body.results[0].seq}`);
      assert.equal(shown.body.withdrawn.seq, both.body.results[1].seq);
    });

    test('triage moves a regulator may make, refusals naming the allowed moves, history, audit, notices', async () => {
      const id = c.robots[4]!;
      const seq = await reportOne(c.operator.key, incident(id));
      const byMaker = await triage(seq, { state: 'under_investigation' }, c.maker.key);
      assert.equal(byMaker.status, 403);

      const skipping = await triage(seq, { state: 'root_cause_found', rootCause: 'x' });
      assert.equal(skipping.status, 409);
      assert.equal(skipping.body.type, 'urn:robotid:problem:triage-move-not-allowed');
      assert.equal(skipping.body.state, 'reported');
      assert.deepEqual(skipping.body.allowed, ['under_investigation', 'closed']);

      assert.equal(
        (await triage(seq, { state: 'under_investigation', note: 'asked the maker' })).status,
        200,
      );
      const noCause = await triage(seq, { state: 'root_cause_found' });
      assert.equal(noCause.status, 400);
      assert.equal(noCause.body.errors[0].field, '/rootCause');
      const found = await triage(seq, {
        state: 'root_cause_found',
        rootCause: 'knee actuator lot LOT-2026-01',
      });
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.equal(found.body.state, 'root_cause_found');
      assert.equal(found.body.rootCause, 'knee actuator lot LOT-2026-01');
      assert.equal((await triage(seq, { state: 'closed' })).status, 200);
      assert.equal((await triage(seq, { state: 'closed' })).status, 409, 'not to where it is');
      assert.equal((await triage(seq, { state: 'under_investigation', note: 'recurred' })).status, 200);

      const shown = await asRegulator(`/v1/incidents/${seq}`);
      assert.deepEqual(
        shown.body.triage.map((t: { from: string; to: string }) => `${t.from}>${t.to}`),
        [
          'reported>under_investigation',
          'under_investigation>root_cause_found',
          'root_cause_found>closed',
          'closed>under_investigation',
        ],
      );
      assert.equal(shown.body.triage[0].orgId, c.regulator.org.id);
      assert.equal(shown.body.triage[0].note, 'asked the maker');
      assert.equal(shown.body.rootCause, 'knee actuator lot LOT-2026-01', 'kept when investigated again');

      const audits = await h.ctx.store.read(async (r) => ({
        ok: await r.countAudit({ action: 'incident.triage', outcome: 'success' }),
        failed: await r.countAudit({ action: 'incident.triage', outcome: 'failure' }),
      }));
      assert.ok(audits.ok >= 4 && audits.failed >= 4, JSON.stringify(audits));
      const notices = await h.ctx.store.read((r) => r.listNoticesAfter(0, 10_000));
      const triaged = notices.filter((n) => n.topic === 'incident.triaged' && n.data.incidentId === seq);
      assert.deepEqual(
        triaged.map((n) => n.data.to),
        ['under_investigation', 'root_cause_found', 'closed', 'under_investigation'],
      );
      assert.deepEqual(triaged[0]!.audience, [c.maker.org.id, c.operator.org.id].sort());
    });

    test('who sees an incident: regulator (with a purpose), maker, holder now; usage only in own tenure', async () => {
      const id = c.robots[5]!;
      const seq = await reportOne(c.operator.key, incident(id, { injuries: 2, description: 'hit a shelf' }));

      const noPurpose = await h.call('GET', `/v1/incidents/${seq}`, { key: c.regulator.key });
      assert.equal(noPurpose.status, 400);
      assert.equal(noPurpose.body.type, 'urn:robotid:problem:purpose-required');
      assert.equal((await get(rival.maker.key, `/v1/incidents/${seq}`)).status, 404);
      assert.equal((await get(c.operator2.key, `/v1/incidents/${seq}`)).status, 404);
      assert.equal((await get(c.serviceCo.key, `/v1/incidents/${seq}`)).status, 404);
      const byMaker = await get(c.maker.key, `/v1/incidents/${seq}`);
      assert.equal(byMaker.body.injuries, 2);
      const byOperator = await get(c.operator.key, `/v1/incidents/${seq}`);
      assert.equal(byOperator.body.description, 'hit a shelf');

      // The operator sells the robot on: it no longer sees the robot's incidents; the new owner sees them, but
      // the usage side of the earlier owner's incident is not the new owner's.
      await reportOne(c.operator.key, event('ownership_transferred', id, { toOrgId: c.operator2.org.id }));
      const later = await reportOne(
        c.operator2.key,
        incident(id, { injuries: 0, description: 'bumped a door' }),
      );
      assert.equal((await get(c.operator.key, `/v1/incidents/${seq}`)).status, 404);
      assert.equal((await get(c.operator.key, `/v1/incidents/${later}`)).status, 404);
      const mine = await get(c.operator.key, `/v1/incidents?robot=${id}`);
      assert.deepEqual(mine.body.items, []);
      const earlier = await get(c.operator2.key, `/v1/incidents/${seq}`);
      assert.equal(earlier.status, 200);
      assert.equal(earlier.body.category, 'fall');
      assert.equal(earlier.body.injuries, undefined);
      assert.equal(earlier.body.description, undefined);
      const own = await get(c.operator2.key, `/v1/incidents/${later}`);
      assert.equal(own.body.description, 'bumped a door');
      assert.equal(own.body.fitted[0].lot, 'LOT-2026-01', 'the operator sees supply data of its own robot');

      const list = await get(c.operator2.key, '/v1/incidents');
      assert.deepEqual(
        list.body.items.map((i: { id: number }) => i.id),
        [later, seq],
      );
      const rivals = await get(rival.maker.key, '/v1/incidents');
      assert.deepEqual(rivals.body.items, []);

      await h.ctx.readAudit.flush();
      const reads = await h.ctx.store.read((r) =>
        r.listReadAudit({ robotId: id, orgId: rival.maker.org.id }, { after: 0, limit: 10 }),
      );
      assert.equal(reads.items[0]?.outcome, 'denied');
      const granted = await h.ctx.store.read((r) =>
        r.listReadAudit({ robotId: id, orgId: c.maker.org.id }, { after: 0, limit: 10 }),
      );
      assert.deepEqual(granted.items[0]?.classes, ['supply', 'technical', 'usage']);
    });

    test('lists filter by part, lot, firmware, severity, state and time, and page', async () => {
      const all = await asRegulator('/v1/incidents?limit=2');
      assert.equal(all.body.items.length, 2);
      assert.ok(all.body.nextCursor);
      const next = await asRegulator(`/v1/incidents?limit=2&cursor=${all.body.nextCursor}`);
      assert.ok(next.body.items[0].id < all.body.items[1].id, 'newest first, continuing below');

      const byLot = await asRegulator('/v1/incidents?lot=LOT-2026-01&limit=1000');
      const byPart = await asRegulator('/v1/incidents?partNumber=HJ-40&limit=1000');
      const everything = await asRegulator('/v1/incidents?limit=1000');
      assert.ok(byLot.body.items.length > 0);
      assert.equal(byPart.body.items.length, everything.body.items.length, 'every robot carries HJ-40');
      const byFirmware = await asRegulator('/v1/incidents?softwareTarget=motion_os&softwareVersion=3.2.1');
      assert.equal(byFirmware.body.items.length, everything.body.items.length);
      const none = await asRegulator('/v1/incidents?softwareTarget=motion_os&softwareVersion=9.9.9');
      assert.deepEqual(none.body.items, []);
      const half = await asRegulator('/v1/incidents?softwareTarget=motion_os');
      assert.equal(half.status, 400);
      assert.equal(half.body.errors[0].field, 'query:/softwareVersion');

      const minor = await asRegulator('/v1/incidents?severity=minor');
      assert.ok(minor.body.items.every((i: { severity: string }) => i.severity === 'minor'));
      assert.ok(minor.body.items.length >= 1);
      const investigated = await asRegulator('/v1/incidents?state=under_investigation');
      assert.equal(investigated.body.items.length, 1);
      const future = await asRegulator(
        `/v1/incidents?from=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`,
      );
      assert.deepEqual(future.body.items, []);
      const byModel = await asRegulator(`/v1/incidents?model=${c.robots[0]!.slice(0, 12)}&limit=1000`);
      assert.equal(byModel.body.items.length, everything.body.items.length, 'the rival has none yet');
      const rivals = await asRegulator(`/v1/incidents?model=${rival.robots[0]!.slice(0, 12)}`);
      assert.deepEqual(rivals.body.items, []);
      const badModel = await asRegulator('/v1/incidents?model=CN-12');
      assert.equal(badModel.status, 400);
      assert.equal(badModel.body.errors[0].field, 'query:/model');
    });

    test('trends group by model, part, lot, firmware and month, scoped to the caller', async () => {
      await reportOne(rival.operator.key, incident(rival.robots[0]!, { severity: 'critical', injuries: 3 }));
      const everything = (await asRegulator('/v1/incidents?limit=1000')).body.items as {
        severity: string;
        injuries: number | null;
        model: string;
      }[];
      const ours = everything.filter((i) => i.model === c.robots[0]!.slice(0, 12));

      const byModel = await asRegulator('/v1/incidents/trends?by=model');
      assert.equal(byModel.status, 200, JSON.stringify(byModel.body));
      assert.deepEqual(
        byModel.body.groups.map((g: { group: { model: string }; count: number }) => [g.group.model, g.count]),
        [
          [c.robots[0]!.slice(0, 12), ours.length],
          [rival.robots[0]!.slice(0, 12), 1],
        ],
      );
      const top = byModel.body.groups[0];
      assert.equal(top.bySeverity.serious, ours.filter((i) => i.severity === 'serious').length);
      assert.equal(
        top.injuries,
        ours.reduce((n, i) => n + (i.injuries ?? 0), 0),
      );

      const byPart = await asRegulator('/v1/incidents/trends?by=part');
      assert.deepEqual(
        byPart.body.groups.map((g: { group: { partNumber: string }; count: number }) => [
          g.group.partNumber,
          g.count,
        ]),
        [
          ['HJ-40', everything.length],
          ['VC-2k', everything.length],
        ],
      );
      const named = await asRegulator('/v1/incidents/trends?by=lot&parts=involved');
      assert.deepEqual(
        named.body.groups.map((g: { group: unknown; count: number }) => [g.group, g.count]),
        [[{ partNumber: 'HJ-40', lot: 'LOT-2026-01' }, 1]],
      );
      const byFirmware = await asRegulator('/v1/incidents/trends?by=firmware');
      assert.deepEqual(byFirmware.body.groups[0].group, { target: 'motion_os', version: '3.2.1' });
      const byMonth = await asRegulator('/v1/incidents/trends?by=month&severity=critical');
      assert.deepEqual(
        byMonth.body.groups.map((g: { count: number }) => g.count),
        [1],
      );

      const makers = await get(c.maker.key, '/v1/incidents/trends?by=model');
      assert.deepEqual(
        makers.body.groups.map((g: { group: { model: string } }) => g.group.model),
        [c.robots[0]!.slice(0, 12)],
        "a manufacturer counts only its own robots' incidents",
      );
      const operator = await get(c.operator.key, '/v1/incidents/trends?by=model');
      assert.equal(operator.status, 403);
      await h.ctx.readAudit.flush();
      const denied = await h.ctx.store.read((r) =>
        r.listReadAudit({ orgId: c.operator.org.id, outcome: 'denied' }, { after: 0, limit: 10 }),
      );
      assert.equal(
        denied.items[0]?.query,
        '/v1/incidents/trends?by=model&limit=100',
        'the refusal is in the read audit',
      );
      const noPurpose = await h.call('GET', '/v1/incidents/trends?by=model', { key: c.regulator.key });
      assert.equal(noPurpose.status, 400);
      const badBy = await asRegulator('/v1/incidents/trends?by=colour');
      assert.equal(badBy.status, 400);
      assert.equal(badBy.body.errors[0].field, 'query:/by');
    });

    // The parts fitted then are read from the robot's parts by the report's seq, not copied with the incident.
    test('fitted then: a part replaced in service shows on the incidents after it, the old one on those before (in one batch too); a correction from its own seq on', async () => {
      const d = await supplyChain(h, 1);
      const id = d.robots[0]!;
      await intoUse(h, d, id);
      const oldKnee = { ...ACTUATOR, serial: actuatorSerial(id) };
      const newKnee = { ...ACTUATOR, lot: `LOT-NEW-${id.slice(-6)}`, serial: `NEW-${id.slice(-6)}` };
      const before = await reportOne(d.operator.key, incident(id));
      // Event times follow the order the events are made in.
      const inBatch = incident(id);
      const service = {
        ...event('serviced', id, { kind: 'repair', replaced: [{ old: oldKnee, new: newKnee }] }),
        eventId: `svc-${id}`,
      };
      const batch = await report(h, d.operator.key, [inBatch, service, incident(id)]);
      assert.equal(batch.status, 201, JSON.stringify(batch.body));
      const [beforeInBatch, , afterInBatch] = (batch.body.results as { seq: number }[]).map((r) => r.seq);
      const after = await reportOne(
        d.operator.key,
        incident(id, { components: [{ partNumber: 'XR-7', lot: `LOT-NAMED-${id.slice(-6)}` }] }),
      );

      const fitted = async (seq: number) =>
        (await asRegulator(`/v1/incidents/${seq}`)).body.fitted.map(
          (p: { kind: string; partNumber: string; serial: string | null; lot: string | null }) => [
            p.kind,
            p.partNumber,
            p.serial,
            p.lot,
          ],
        );
      const battery = ['battery_pack', 'VC-2k', null, 'B7'];
      const old = [['actuator', 'HJ-40', oldKnee.serial, oldKnee.lot], battery];
      const replaced = [battery, ['actuator', 'HJ-40', newKnee.serial, newKnee.lot]];
      assert.deepEqual(await fitted(before), old);
      assert.deepEqual(await fitted(beforeInBatch!), old, 'reported before the service in the same batch');
      assert.deepEqual(await fitted(afterInBatch!), replaced, 'reported after the service in the same batch');
      assert.deepEqual(await fitted(after), replaced);
      const shown = await asRegulator(`/v1/incidents/${after}`);
      assert.deepEqual(shown.body.components, [
        { kind: null, partNumber: 'XR-7', serial: null, lot: `LOT-NAMED-${id.slice(-6)}` },
      ]);

      // Lists by lot: through a part fitted then, never through one fitted only after the incident.
      const ids = async (query: string) =>
        (await asRegulator(`/v1/incidents?${query}&limit=1000`)).body.items.map((i: { id: number }) => i.id);
      assert.deepEqual(await ids(`lot=${newKnee.lot}`), [after, afterInBatch]);
      assert.deepEqual(await ids(`lot=${newKnee.lot}&partNumber=HJ-40`), [after, afterInBatch]);
      assert.deepEqual(await ids(`lot=${newKnee.lot}&partNumber=VC-2k`), []);
      assert.deepEqual(await ids(`lot=${oldKnee.lot}&robot=${id}`), [beforeInBatch, before]);
      // ... or through a part the report named.
      assert.deepEqual(await ids(`lot=LOT-NAMED-${id.slice(-6)}`), [after]);
      assert.deepEqual(await ids(`partNumber=XR-7&robot=${id}`), [after]);

      // The service corrected: the old knee is fitted again from the correction on; the incidents before the
      // correction keep what was fitted when they happened.
      await reportOne(
        d.operator.key,
        event('corrected', id, { correctsEventId: service.eventId, reason: 'incorrect_data' }),
      );
      const corrected = await reportOne(d.operator.key, incident(id));
      assert.deepEqual(await fitted(after), replaced);
      assert.deepEqual(await fitted(corrected), [
        battery,
        ['actuator', 'HJ-40', oldKnee.serial, oldKnee.lot],
      ]);
      assert.deepEqual(await ids(`lot=${newKnee.lot}`), [after, afterInBatch]);
      assert.deepEqual(await ids(`lot=${oldKnee.lot}&robot=${id}`), [corrected, beforeInBatch, before]);
    });

    test('trends count an incident once per part number and lot of the parts fitted then (two knees: once); parts without a lot only by part', async () => {
      const d = await supplyChain(h, 1);
      const id = d.robots[0]!;
      const knee = (position: string) => ({
        ...ACTUATOR,
        position,
        lot: `LOT-TWIN-${id.slice(-6)}`,
        serial: `${position}-${id.slice(-6)}`,
      });
      const made = manufactured(id);
      const res = await report(h, d.maker.key, [
        {
          ...made,
          payload: {
            ...made.payload,
            components: [
              knee('left_knee'),
              knee('right_knee'),
              {
                kind: 'battery_pack',
                manufacturer: 'Volt Cells',
                partNumber: 'VC-9',
                serial: `V-${id.slice(-6)}`,
              },
            ],
          },
        },
      ]);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const named = [knee('left_knee'), knee('right_knee')].map(({ partNumber, lot, serial }) => ({
        partNumber,
        lot,
        serial,
      }));
      const seq = await reportOne(
        d.maker.key,
        incident(id, { severity: 'minor', injuries: 2, components: named }),
      );

      const group = (g: Record<string, string>) => ({
        group: g,
        count: 1,
        bySeverity: { minor: 1, moderate: 0, serious: 0, critical: 0 },
        injuries: 2,
      });
      const trend = async (query: string) => {
        const res = await asRegulator(`/v1/incidents/trends?robot=${id}&${query}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return res.body.groups;
      };
      const lot = `LOT-TWIN-${id.slice(-6)}`;
      assert.deepEqual(await trend('by=part'), [
        group({ partNumber: 'HJ-40' }),
        group({ partNumber: 'VC-9' }),
      ]);
      assert.deepEqual(await trend('by=lot'), [group({ partNumber: 'HJ-40', lot })], 'VC-9 has no lot');
      assert.deepEqual(await trend('by=part&parts=involved'), [group({ partNumber: 'HJ-40' })]);
      assert.deepEqual(await trend('by=lot&parts=involved'), [group({ partNumber: 'HJ-40', lot })]);
      const maker = await get(d.maker.key, `/v1/incidents/trends?by=lot&lot=${lot}`);
      assert.deepEqual(maker.body.groups, [group({ partNumber: 'HJ-40', lot })]);
      const listed = await asRegulator(`/v1/incidents?lot=${lot}`);
      assert.deepEqual(
        listed.body.items.map((i: { id: number }) => i.id),
        [seq],
        'once, though named twice and fitted twice',
      );
    });
  });
