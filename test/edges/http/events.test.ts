import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { PURPOSE } from '../../support/fixtures.js';
import {
  certified,
  event,
  intoUse,
  manufactured,
  nextTime,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';

for (const store of testStores)
  describe(`lifecycle events (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 40);
    });
    after(() => h.close());

    let n = 0;
    const robot = () => c.robots[n++]!;
    const eventCount = async (robotId: string) =>
      (await h.ctx.store.read((r) => r.listEvents(robotId))).length;

    test('a robot goes from the factory into use, and its public page follows', async () => {
      const id = robot();
      await intoUse(h, c, id);
      const view = await h.call('GET', `/v1/robots/${id}`);
      assert.equal(view.body.state, 'in_use');
      assert.equal(view.body.productionMonth, '2026-01');
      assert.equal(view.body.productionDate, undefined, 'the day is technical data');
      assert.equal(view.body.certification.status, 'valid');
      assert.equal(view.body.stopUse, null);
      assert.equal(JSON.stringify(view.body).includes(c.operator.org.id), false, 'nothing about the owner');
      const history = await h.call('GET', `/v1/robots/${id}/events`, { key: c.operator.key });
      assert.deepEqual(
        history.body.events.map((e: { type: string }) => e.type),
        ['manufactured', 'certified', 'shipped', 'received', 'sold', 'activated'],
      );
      const seqs = history.body.events.map((e: { seq: number }) => e.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a: number, b: number) => a - b),
      );
    });

    test('an event not allowed now is 409 with the current state and what is allowed', async () => {
      const id = robot();
      await report(h, c.maker.key, [manufactured(id)]);
      const res = await report(h, c.maker.key, [
        event('activated', id, { siteType: 'home', region: '110101' }),
      ]);
      assert.equal(res.status, 409);
      assert.equal(res.body.type, 'urn:robotid:problem:event-not-allowed');
      assert.equal(res.body.state, 'manufactured');
      assert.ok(Array.isArray(res.body.allowed));
      assert.equal(res.body.errors[0].field, '/events/0');
      assert.equal(await eventCount(id), 1);
    });

    test('no code, no market access: no sale without a valid certification', async () => {
      const id = robot();
      await report(h, c.maker.key, [manufactured(id)]);
      const cert = certified(id);
      const expiresSoon = new Date(Date.parse(cert.eventTime) + 30_000).toISOString();
      const accepted = await report(h, c.certifier.key, [
        { ...cert, payload: { ...cert.payload, validUntil: expiresSoon } },
      ]);
      assert.equal(accepted.status, 201);
      const res = await report(h, c.maker.key, [event('sold', id, { toOrgId: c.operator.org.id })]);
      assert.equal(res.status, 409);
      assert.equal(res.body.type, 'urn:robotid:problem:certification-required');
    });

    test('a retry with the same eventId is answered as the first time; other content is a conflict', async () => {
      const id = robot();
      const e = { ...manufactured(id), eventId: 'erp-000042' };
      const first = await report(h, c.maker.key, [e]);
      const again = await report(h, c.maker.key, [e]);
      assert.equal(first.status, 201);
      assert.equal(again.status, 200);
      assert.equal(again.body.results[0].outcome, 'duplicate');
      assert.equal(again.body.results[0].seq, first.body.results[0].seq);
      const changed = await report(h, c.maker.key, [{ ...e, payload: { ...e.payload, plant: 'Other' } }]);
      assert.equal(changed.status, 409);
      assert.equal(changed.body.type, 'urn:robotid:problem:event-id-reused');
      assert.equal(await eventCount(id), 1);
    });

    test('an event sent twice in one batch: the second is a duplicate with the seq of the first', async () => {
      const id = robot();
      const e = { ...manufactured(id), eventId: 'erp-twice-in-one' };
      const res = await report(h, c.maker.key, [e, e]);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      const [first, second] = res.body.results;
      assert.equal(first.outcome, 'accepted');
      assert.equal(second.outcome, 'duplicate');
      assert.equal(typeof first.seq, 'number');
      assert.equal(second.seq, first.seq);
      const resent = await report(h, c.maker.key, [e]);
      assert.equal(resent.body.results[0].seq, first.seq, 'as a later resend says');
      assert.equal(await eventCount(id), 1);
    });

    test("another organisation's event id: who may not write the robot learns nothing about it", async () => {
      const id = robot();
      await report(h, c.maker.key, [{ ...manufactured(id), eventId: 'maker-secret-1' }]);
      const probe = (eventId: string) =>
        report(h, c.seller.key, [{ ...event('serviced', id, { kind: 'maintenance' }), eventId }]);
      const known = await probe('maker-secret-1');
      const unknown = await probe('never-used-anywhere');
      assert.equal(unknown.status, 403, JSON.stringify(unknown.body));
      assert.deepEqual(
        { status: known.status, type: known.body.type },
        { status: unknown.status, type: unknown.body.type },
        'the same answer for a used and an unused id',
      );
      // The maker may write the robot: reusing its own id for other content is a conflict it may hear about.
      const e = manufactured(id);
      const changed = await report(h, c.maker.key, [
        { ...e, eventId: 'maker-secret-1', payload: { ...e.payload, plant: 'Other' } },
      ]);
      assert.equal(changed.status, 409);
      assert.equal(await eventCount(id), 1);
    });

    test('rollback: one bad event among many and nothing is written; proceed: exactly the good ones are', async () => {
      const ids = [robot(), robot(), robot()];
      const batch = [
        manufactured(ids[0]!),
        manufactured(ids[1]!),
        { ...manufactured(ids[2]!), eventTime: 'yesterday' },
      ];
      const rolledBack = await report(h, c.maker.key, batch, 'rollback');
      assert.equal(rolledBack.status, 400);
      assert.equal(rolledBack.body.type, 'urn:robotid:problem:invalid-event');
      assert.equal(rolledBack.body.errors[0].field, '/events/2/eventTime');
      for (const id of ids) assert.equal(await eventCount(id), 0);
      const proceeded = await report(h, c.maker.key, batch, 'proceed');
      assert.equal(proceeded.status, 200);
      assert.deepEqual(
        proceeded.body.results.map((r: { outcome: string }) => r.outcome),
        ['accepted', 'accepted', 'rejected'],
      );
      assert.equal(proceeded.body.results[2].problem.fields[0].field, '/events/2/eventTime');
      assert.deepEqual(await Promise.all(ids.map(eventCount)), [1, 1, 0]);
    });

    test('a leap second, which RFC 3339 writes but no stored time can hold, is refused at its field', async () => {
      const id = robot();
      const leap = { ...manufactured(id), eventTime: '2026-06-30T23:59:60Z' };
      const res = await report(h, c.maker.key, [leap]);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.type, 'urn:robotid:problem:invalid-event');
      assert.equal(res.body.errors[0].field, '/events/0/eventTime');
      assert.match(res.body.errors[0].message, /RFC 3339 .*leap second/);
      assert.equal(await eventCount(id), 0);
      // The same time a moment later is an instant like any other.
      const next = await report(h, c.maker.key, [{ ...leap, eventTime: '2026-07-01T00:00:00Z' }]);
      assert.equal(next.status, 201, JSON.stringify(next.body));
    });

    test('events for the same robot in one batch build on each other, in order', async () => {
      const id = robot();
      const res = await report(h, c.maker.key, [
        manufactured(id),
        event('shipped', id, { toOrgId: c.seller.org.id }),
      ]);
      assert.equal(res.status, 409, 'shipping needs certification first');
      const ok = await report(h, c.certifier.key, [certified(id)]);
      assert.equal(ok.status, 409, 'nothing was manufactured: the batch above rolled back');
    });

    test('unknown robots, malformed IDs, future and out-of-order events are refused precisely', async () => {
      const id = robot();
      const unissued = `${id.slice(0, 12)}R0000000099999999`;
      const unknown = await report(h, c.maker.key, [manufactured(unissued)]);
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.errors[0].field, '/events/0/robotId');
      const typo = await report(h, c.maker.key, [manufactured(`${id.slice(0, 20)}O${id.slice(21)}`)]);
      assert.equal(typo.status, 400);
      assert.equal(typo.body.type, 'urn:robotid:problem:invalid-robot-id');
      assert.equal(typo.body.errors[0].position, 21);
      const future = await report(h, c.maker.key, [
        { ...manufactured(id), eventTime: '2099-01-01T00:00:00Z' },
      ]);
      assert.equal(future.status, 400);
      assert.equal(future.body.type, 'urn:robotid:problem:future-event');
      await report(h, c.maker.key, [manufactured(id)]);
      const past = await report(h, c.certifier.key, [
        { ...certified(id), eventTime: '2020-01-01T00:00:00Z' },
      ]);
      assert.equal(past.status, 409);
      assert.equal(past.body.type, 'urn:robotid:problem:out-of-order');
    });

    test('a recycler cannot recycle a robot in use; a scrapped robot never returns to use', async () => {
      const id = robot();
      await intoUse(h, c, id);
      const recycle = await report(h, c.recycler.key, [event('recycled', id, { components: [] })]);
      assert.equal(recycle.status, 409);
      await report(h, c.operator.key, [event('decommissioned', id)]);
      const back = await report(h, c.operator.key, [
        event('activated', id, { siteType: 'home', region: '110101' }),
      ]);
      assert.equal(back.status, 409);
      assert.equal(back.body.state, 'decommissioned');
    });

    test('a regulator stops a robot; the public page shows it; it cannot be put back in use until reinstated', async () => {
      const id = robot();
      await report(h, c.maker.key, [manufactured(id)]);
      await report(h, c.certifier.key, [certified(id)]);
      await report(h, c.maker.key, [event('shipped', id, { toOrgId: c.seller.org.id })]);
      await report(h, c.seller.key, [
        event('received', id),
        event('sold', id, { toOrgId: c.operator.org.id }),
      ]);
      const stop = await report(h, c.regulator.key, [
        event('suspended', id, { orderNumber: 'SUO-1', reason: 'actuator lot recall' }),
      ]);
      assert.equal(stop.status, 201);
      assert.equal((await h.call('GET', `/v1/robots/${id}`)).body.stopUse.orderNumber, 'SUO-1');
      const scan = await h.call('GET', `/r/${id}`, { headers: { accept: 'text/html' } });
      assert.match(scan.body, /class="stop" role="alert">STOP USE — order SUO-1/);
      // Certified, but it may not be operated: the page never calls that valid.
      assert.match(
        scan.body,
        /Certification<\/dt><dd class="bad">not in force: this robot may not be operated/,
      );
      const activate = await report(h, c.operator.key, [
        event('activated', id, { siteType: 'home', region: '110101' }),
      ]);
      assert.equal(activate.status, 409);
      assert.equal(activate.body.type, 'urn:robotid:problem:suspended');
      const abroad = await report(h, c.operator.key, [event('exported', id, { country: 'DE' })]);
      assert.equal(abroad.status, 409, 'a stopped robot does not leave the country');
      assert.equal(abroad.body.type, 'urn:robotid:problem:suspended');
      const notRegulator = await report(h, c.operator.key, [
        event('reinstated', id, { orderNumber: 'SUO-1' }),
      ]);
      assert.equal(notRegulator.status, 403);
      assert.equal(
        (await report(h, c.regulator.key, [event('reinstated', id, { orderNumber: 'SUO-1' })])).status,
        201,
      );
      assert.equal(
        (await report(h, c.operator.key, [event('activated', id, { siteType: 'home', region: '110101' })]))
          .status,
        201,
      );
    });

    test('a correction keeps both events in the history and recomputes the state', async () => {
      const id = robot();
      await intoUse(h, c, id);
      const lost = await report(h, c.operator.key, [{ ...event('reported_lost', id), eventId: 'op-lost-1' }]);
      assert.equal(lost.status, 201);
      const fix = await report(h, c.operator.key, [
        event('corrected', id, { correctsEventId: 'op-lost-1', reason: 'did_not_occur' }),
      ]);
      assert.equal(fix.status, 201, JSON.stringify(fix.body));
      const history = await h.call('GET', `/v1/robots/${id}/events`, { key: c.operator.key });
      assert.equal(history.body.state, 'in_use');
      const lostEntry = history.body.events.find((e: { eventId: string }) => e.eventId === 'op-lost-1');
      assert.ok(lostEntry.correctedBy, 'the erroneous event stays, marked');
      const foreign = await report(h, c.seller.key, [
        event('corrected', id, { correctsEventId: history.body.events[0].eventId, reason: 'other' }),
      ]);
      assert.equal(foreign.status, 403);
    });

    test('a correction that would leave later events without ground is refused', async () => {
      const id = robot();
      await intoUse(h, c, id);
      const history = await h.call('GET', `/v1/robots/${id}/events`, { key: c.maker.key });
      const sale = history.body.events.find((e: { type: string }) => e.type === 'sold');
      const res = await report(h, c.seller.key, [
        event('corrected', id, { correctsEventId: sale.eventId, reason: 'did_not_occur' }),
      ]);
      assert.equal(res.status, 409);
      assert.equal(res.body.type, 'urn:robotid:problem:correction-breaks-history');
    });

    test('a history is for the robot’s manufacturer, holder, operator and regulators only', async () => {
      const id = robot();
      await intoUse(h, c, id);
      for (const who of [c.maker, c.operator, c.regulator]) {
        const res = await h.call('GET', `/v1/robots/${id}/events`, { key: who.key, headers: PURPOSE });
        assert.equal(res.status, 200);
      }
      assert.equal((await h.call('GET', `/v1/robots/${id}/events`, { key: c.operator2.key })).status, 404);
      assert.equal((await h.call('GET', `/v1/robots/${id}/events`)).status, 401);
    });

    test('late reports are accepted and flagged', async () => {
      const id = robot();
      const old = { ...manufactured(id), eventTime: new Date(Date.now() - 30 * 86_400_000).toISOString() };
      const res = await report(h, c.maker.key, [old]);
      assert.equal(res.status, 201);
      assert.equal(res.body.results[0].late, true);
      assert.equal(
        (await report(h, c.certifier.key, [{ ...certified(id), eventTime: nextTime() }])).body.results[0]
          .late,
        false,
      );
    });
  });
