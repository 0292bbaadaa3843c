/**
 * EPCIS 2.0 capture over HTTP (the REST binding under /epcis), on both stores: jobs, per-event reasons, rollback and
 * proceed, media types and limits, a job left running by a stopped process, and the OpenEPCIS documents.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CAPTURE_ATTEMPTS, runQueuedCaptureJobs, settleCaptureJobs } from '../../../src/app/epcis/capture.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { rawSql } from '../../support/raw-sql.js';
import { ROBOTID_CONTEXT } from '../../../src/domain/epcis/mapping.js';
import { PURPOSE } from '../../support/fixtures.js';
import {
  ACTUATOR,
  actuatorSerial,
  event,
  manufactured,
  nextTime,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';
import { TESTDATA } from '../../support/testdata.js';
import { eventHashId } from '../../../src/domain/epcis/event-hash.js';

const BASE = 'https://registry.test';
const INLINE = 5;
const MiB = 1024 * 1024;
let serial = 0;

const epc = (robotId: string) => `${BASE}/r/${robotId}`;
const objectEvent = (robotEpc: string, bizStep: string, extra: Record<string, unknown> = {}) => ({
  type: 'ObjectEvent',
  eventID: `urn:uuid:00000000-0000-4000-8000-${String(++serial).padStart(12, '0')}`,
  eventTime: nextTime(),
  eventTimeZoneOffset: '+00:00',
  action: bizStep === 'commissioning' ? 'ADD' : 'OBSERVE',
  epcList: [robotEpc],
  bizStep,
  ...extra,
});
const documentOf = (events: unknown[]) => ({
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: new Date().toISOString(),
  epcisBody: { eventList: events },
});

for (const store of testStores)
  describe(`EPCIS capture (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    let n = 0;
    const robot = () => c.robots[n++]!;
    before(async () => {
      h = await startHarness({
        postgres: store.postgres,
        server: {
          epcisCapture: { inlineEvents: INLINE },
          // A body over the file-size limit reaches the route's own limit (413), not the caller's share (429).
          limits: { inFlightBytesPerCaller: 64 * MiB, inFlightBytesTotal: 128 * MiB },
        },
      });
      // Documents are read and recorded an event at a time (with the events read with it): every document of more
      // than one event is a streamed capture, cut wherever it can be.
      h.ctx.epcisReadingChunk = 1;
      c = await supplyChain(h, 24);
    });
    after(() => h.close());

    const capture = (body: unknown, options: { key?: string; mode?: string; type?: string } = {}) =>
      h.call('POST', '/epcis/capture', {
        key: options.key ?? c.maker.key,
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: {
          'content-type': options.type ?? 'application/ld+json',
          ...(options.mode ? { 'gs1-capture-error-behaviour': options.mode } : {}),
        },
      });
    const history = async (robotId: string) =>
      (await h.ctx.store.read((r) => r.listEvents(robotId))).map((e) => e.type);

    test('a mixed document: each event recorded, or rejected on its own with a precise reason', async () => {
      // a: commissioned, then a step with no lifecycle meaning, then a receipt the state machine refuses;
      // b: commissioned by an event without eventID; and an SGTIN, which is no robot here.
      const [a, b] = [robot(), robot()];
      const { eventID: _, ...withoutId } = objectEvent(epc(b), 'commissioning');
      const doc = documentOf([
        objectEvent(epc(a), 'commissioning'),
        objectEvent('urn:epc:id:sgtin:0614141.107346.2017', 'commissioning'),
        objectEvent(epc(a), 'packing'),
        objectEvent(`urn:robotid:robot:${a}`, 'receiving'),
        withoutId,
      ]);
      const res = await capture(doc, { mode: 'proceed' });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.equal(res.headers.location, `/epcis/capture/${res.body.captureID}`);
      assert.equal(res.headers['gs1-epcis-version'], '2.0.0');
      const job = (await h.call('GET', res.headers.location as string, { key: c.maker.key })).body;
      assert.equal(job.running, false);
      assert.equal(job.success, false);
      assert.equal(job.captureErrorBehaviour, 'proceed');
      assert.deepEqual([job.eventCount, job.accepted, job.rejected], [5, 2, 3]);
      const byIndex = Object.fromEntries(
        job.errors.map((e: { index: number; problem: unknown }) => [e.index, e.problem]),
      );
      assert.deepEqual(Object.keys(byIndex), ['1', '2', '3']);
      assert.equal(byIndex[1].code, 'epcis-not-a-robot');
      assert.equal(byIndex[1].fields[0].field, '/epcisBody/eventList/1/epcList/0');
      assert.equal(byIndex[2].code, 'epcis-no-lifecycle-meaning');
      assert.equal(byIndex[2].fields[0].field, '/epcisBody/eventList/2/bizStep');
      // The state machine's own answer, as /v1/events gives it: the state and what is allowed.
      assert.equal(byIndex[3].code, 'event-not-allowed');
      assert.equal(byIndex[3].state, 'manufactured');
      assert.ok(byIndex[3].allowed.length > 0);
      assert.match(byIndex[3].fields[0].field, /^\/epcisBody\/eventList\/3/);
      assert.deepEqual(await history(a), ['manufactured']);
      // The event without an eventID is known by its CBV 2.0 Event Hash ID.
      const [recorded] = await h.ctx.store.read((r) => r.listEvents(b));
      assert.match(recorded!.eventId, /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);

      // Sent again: nothing is recorded twice, the event without eventID included.
      const again = await capture(doc, { mode: 'proceed' });
      const second = (await h.call('GET', again.headers.location as string, { key: c.maker.key })).body;
      assert.deepEqual([second.accepted, second.duplicates, second.rejected], [0, 2, 3]);
      assert.deepEqual(await history(a), ['manufactured']);
      assert.deepEqual(await history(b), ['manufactured']);
    });

    test('a robot commissioned early in the morning in Shanghai is made that day, however the time is written', async () => {
      // 02:30 at +08:00 is 18:30 UTC the day before: written with its offset, or in UTC with eventTimeZoneOffset.
      const [a, b] = [robot(), robot()];
      const utc = new Date(Date.parse(nextTime()));
      utc.setUTCHours(18, 30, 0, 0);
      const localDay = new Date(utc.getTime() + 86_400_000).toISOString().slice(0, 10);
      const local = { eventTime: `${localDay}T02:30:00+08:00`, eventTimeZoneOffset: '+08:00' };
      const inUtc = { eventTime: utc.toISOString(), eventTimeZoneOffset: '+08:00' };
      const sent = [objectEvent(epc(a), 'commissioning', local), objectEvent(epc(b), 'commissioning', inUtc)];
      const res = await capture(documentOf(sent));
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const job = (await h.call('GET', res.headers.location as string, { key: c.maker.key })).body;
      assert.deepEqual([job.accepted, job.errors], [2, []]);
      for (const robotId of [a, b]) {
        const [made] = await h.ctx.store.read((r) => r.listEvents(robotId));
        assert.equal(made!.eventTime, utc.toISOString()); // kept in UTC
        assert.equal((made!.payload as { productionDate: string }).productionDate, localDay);
      }
    });

    test('an event about several robots is each robot’s event, under the event’s own identity; each refusal names its EPC', async () => {
      const [a, b] = [robot(), robot()];
      const { eventID: _, ...shared } = objectEvent(epc(a), 'commissioning', {
        epcList: [epc(a), `urn:robotid:robot:${b}`, 'urn:epc:id:sgtin:0614141.107346.2018'],
      });
      const doc = documentOf([shared, objectEvent(epc(a), 'receiving', { epcList: [epc(a), epc(b)] })]);
      const job = (await capture(doc, { mode: 'proceed' })).body;
      // Counts are of lifecycle events: the two robots commissioned, the SGTIN and both receipts refused.
      assert.deepEqual([job.eventCount, job.accepted, job.rejected], [2, 2, 3], JSON.stringify(job));
      const refused = job.errors.map(
        (e: { index: number; problem: { code: string; fields: { field: string }[] } }) => [
          e.problem.code,
          e.problem.fields[0]!.field,
        ],
      );
      assert.deepEqual(refused, [
        ['epcis-not-a-robot', '/epcisBody/eventList/0/epcList/2'],
        ['event-not-allowed', '/epcisBody/eventList/1/epcList/0'],
        ['event-not-allowed', '/epcisBody/eventList/1/epcList/1'],
      ]);
      // Each robot's event is known by the hash of the event as sent, not of its copy.
      const hash = eventHashId(shared, { prefixes: {} });
      for (const id of [a, b]) {
        const events = await h.ctx.store.read((r) => r.listEvents(id));
        assert.deepEqual(
          events.map((e) => [e.type, e.eventId]),
          [['manufactured', hash]],
        );
      }
      const again = (await capture(doc, { mode: 'proceed' })).body;
      assert.deepEqual([again.accepted, again.duplicates, again.rejected], [0, 2, 3]);
    });

    test('parts and corrections: what /v1/events recorded, exported and captured for another robot, records the same events; the lot search finds the parts', async () => {
      const [a, b] = [robot(), robot()];
      const lot = `L-${a}`;
      const made = manufactured(a);
      const parts = made.payload.components;
      parts[1] = { ...parts[1]!, lot };
      const fresh = { ...ACTUATOR, serial: `NEW-${a}`, lot };
      const repair = event('serviced', a, { kind: 'repair', replaced: [{ old: parts[0], new: fresh }] });
      const wrong = { ...event('serviced', a, { kind: 'maintenance' }), eventId: `m-${a}` };
      const correction = event('corrected', a, { correctsEventId: `m-${a}`, reason: 'did_not_occur' });
      // Client event ids: exported as the registry's URNs of a's events, they name b's once a is b.
      const events4 = [made, repair, wrong, correction].map((e, i) => ({ eventId: `e${i}`, ...e }));
      const native = await report(h, c.maker.key, events4);
      assert.equal(native.status, 201, JSON.stringify(native.body));

      const exported = await h.call(
        'GET',
        `/epcis/events?MATCH_anyEPC=${encodeURIComponent(epc(a))}&perPage=100`,
        {
          key: c.maker.key,
        },
      );
      const events = exported.body.epcisBody.queryResults.resultsBody.eventList as { epcList?: string[] }[];
      assert.deepEqual(
        events.map((e) => (e as { type: string }).type),
        [
          'ObjectEvent',
          'AssociationEvent',
          'ObjectEvent',
          'AssociationEvent',
          'AssociationEvent',
          'ObjectEvent',
          'ObjectEvent',
        ],
      );
      // The same events about b: its EPC, its event URNs, its parts (a serial is in one robot at a time).
      const aEpc = events[0]!.epcList![0]!;
      const text = JSON.stringify(events)
        .replaceAll(aEpc, `urn:robotid:robot:${b}`)
        .replaceAll(actuatorSerial(a), actuatorSerial(b))
        .replaceAll(a, b);
      const res = await capture({ ...documentOf(JSON.parse(text)), '@context': ROBOTID_CONTEXT });
      await settleCaptureJobs(h.ctx); // more than INLINE events: taken in the background
      const job = (await h.call('GET', res.headers.location as string, { key: c.maker.key })).body;
      assert.deepEqual([job.success, job.accepted, job.rejected], [true, 4, 0], JSON.stringify(job.errors));

      const stored = async (robotId: string) =>
        (await h.ctx.store.read((r) => r.listEvents(robotId))).map((e) => ({
          eventId: e.eventId,
          type: e.type,
          eventTime: e.eventTime,
          payload: e.payload,
        }));
      const asB = JSON.parse(
        JSON.stringify(await stored(a))
          .replaceAll(actuatorSerial(a), actuatorSerial(b))
          .replaceAll(a, b),
      );
      assert.deepEqual(await stored(b), asB);
      assert.equal(asB.length, 4);

      // A regulator's recall search by lot finds the robot whose parts came through EPCIS.
      const found = await h.call('GET', `/v1/robots?componentLot=${encodeURIComponent(`L-${b}`)}`, {
        key: c.regulator.key,
        headers: PURPOSE,
      });
      assert.equal(found.status, 200, JSON.stringify(found.body));
      assert.deepEqual(
        found.body.items.map((r: { id: string }) => r.id),
        [b],
      );
    });

    test('parts changed on their own are a repair; parts that cannot be read are refused with a precise reason', async () => {
      const r = robot();
      assert.equal((await report(h, c.maker.key, [manufactured(r)])).status, 201);
      const time = nextTime();
      const partsEvent = (action: string, extra: Record<string, unknown>) => ({
        type: 'AssociationEvent',
        eventTime: time,
        eventTimeZoneOffset: '+00:00',
        parentID: epc(r),
        action,
        bizStep: 'replacing',
        ...extra,
      });
      const old = { ...ACTUATOR, serial: actuatorSerial(r) };
      const fresh = { ...ACTUATOR, serial: `R-${r}` };
      const doc = documentOf([
        partsEvent('DELETE', {
          childEPCs: [`urn:robotid:part:HJ-40:${old.serial}`],
          'robotid:components': [old],
        }),
        partsEvent('ADD', {
          childEPCs: [`urn:robotid:part:HJ-40:${fresh.serial}`],
          'robotid:components': [fresh],
        }),
        partsEvent('ADD', { childEPCs: ['urn:example:widget:7'] }),
        partsEvent('ADD', { childQuantityList: [{ epcClass: 'urn:robotid:lot:HJ-40:L9', quantity: 2 }] }),
        partsEvent('ADD', {
          'robotid:components': [fresh],
          'robotid:partOf': 'urn:uuid:00000000-0000-4000-8000-ffffffffffff',
        }),
        partsEvent('DELETE', {
          'robotid:components': [{ ...old, serial: 'NOT-FITTED' }],
          eventTime: nextTime(),
        }),
        partsEvent('ADD', { 'robotid:components': [{ ...fresh, serial: `S-${r}` }], eventTime: nextTime() }),
      ]);
      // The last two differ in time: a removal and a fitting apart do not pair.
      const res = await capture(doc, { mode: 'proceed' });
      await settleCaptureJobs(h.ctx); // more than INLINE events: taken in the background
      const job = (await h.call('GET', res.headers.location as string, { key: c.maker.key })).body;
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const reasons = job.errors.map(
        (e: { index: number; problem: { code: string; fields: { field: string }[] } }) => [
          e.index,
          e.problem.code,
          e.problem.fields[0]!.field,
        ],
      );
      assert.deepEqual(reasons, [
        [2, 'epcis-part-unidentified', '/epcisBody/eventList/2/childEPCs/0'],
        [3, 'epcis-missing-fact', '/epcisBody/eventList/3/robotid:components'],
        [4, 'epcis-parts-without-event', '/epcisBody/eventList/4/robotid:partOf'],
        [5, 'epcis-missing-fact', '/epcisBody/eventList/5/action'],
        [6, 'epcis-missing-fact', '/epcisBody/eventList/6/action'],
      ]);
      const [, repair] = await h.ctx.store.read((x) => x.listEvents(r));
      assert.deepEqual(
        [repair?.type, repair?.payload],
        ['serviced', { kind: 'repair', replaced: [{ old, new: fresh }] }],
      );

      // A removal of a part not fitted: the state machine's own reason, placed in the document.
      const notFitted = documentOf([
        {
          ...partsEvent('DELETE', { 'robotid:components': [{ ...old, serial: 'NOT-FITTED' }] }),
          eventTime: nextTime(),
        },
      ]);
      (notFitted.epcisBody.eventList as Record<string, unknown>[]).push({
        ...(notFitted.epcisBody.eventList[0] as Record<string, unknown>),
        action: 'ADD',
        'robotid:components': [{ ...fresh, serial: `T-${r}` }],
      });
      const refused = await capture(notFitted);
      const job2 = (await h.call('GET', refused.headers.location as string, { key: c.maker.key })).body;
      assert.equal(job2.errors[0].problem.code, 'component-not-fitted');
      assert.match(
        job2.errors[0].problem.fields[0].field,
        /^\/epcisBody\/eventList\/0\/payload\/replaced\/0\/old/,
      );
    });

    test('a leap second is a valid EPCIS time: the document is taken, and only the event with it is refused, at its time', async () => {
      const [a, b] = [robot(), robot()];
      const doc = documentOf([
        objectEvent(epc(a), 'commissioning', { eventTime: '2026-06-30T23:59:60Z' }),
        objectEvent(epc(b), 'commissioning'),
      ]);
      const res = await capture(doc, { mode: 'proceed' });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      const job = (await h.call('GET', res.headers.location as string, { key: c.maker.key })).body;
      assert.deepEqual([job.running, job.accepted, job.rejected], [false, 1, 1], JSON.stringify(job));
      assert.equal(job.errors[0].index, 0);
      assert.equal(job.errors[0].problem.fields[0].field, '/epcisBody/eventList/0/eventTime');
      assert.match(job.errors[0].problem.fields[0].message, /leap second/);
      assert.deepEqual([await history(a), await history(b)], [[], ['manufactured']]);
    });

    test('rollback records all or nothing; proceed records the good events', async () => {
      const [a, b] = [robot(), robot()];
      const meaningless = documentOf([objectEvent(epc(a), 'commissioning'), objectEvent(epc(a), 'packing')]);
      const refused = await capture(meaningless); // rollback by default
      const job = (await h.call('GET', refused.headers.location as string, { key: c.maker.key })).body;
      assert.deepEqual(
        [job.captureErrorBehaviour, job.success, job.accepted, job.rejected],
        ['rollback', false, 0, 1],
      );
      assert.deepEqual(await history(a), []);

      // Every event means something, but the state machine refuses the second: the first is not kept either.
      const outOfOrder = documentOf([objectEvent(epc(b), 'commissioning'), objectEvent(epc(b), 'receiving')]);
      const rolledBack = await capture(outOfOrder, { mode: 'rollback' });
      const job2 = (await h.call('GET', rolledBack.headers.location as string, { key: c.maker.key })).body;
      assert.deepEqual([job2.success, job2.accepted, job2.rejected], [false, 0, 1]);
      assert.equal(job2.errors[0].index, 1);
      assert.equal(job2.errors[0].problem.state, 'manufactured');
      assert.deepEqual(await history(b), []);

      const proceeded = await capture(outOfOrder, { mode: 'proceed' });
      const job3 = (await h.call('GET', proceeded.headers.location as string, { key: c.maker.key })).body;
      assert.deepEqual([job3.success, job3.accepted, job3.rejected], [false, 1, 1]);
      assert.deepEqual(await history(b), ['manufactured']);
    });

    test('a document read in chunks is one capture: a refusal in a later chunk records nothing of the earlier ones', async () => {
      const [a, b] = [robot(), robot()];
      const job = async (res: { headers: Record<string, unknown> }) =>
        (await h.call('GET', res.headers.location as string, { key: c.maker.key })).body;
      const made = [objectEvent(epc(a), 'commissioning'), objectEvent(epc(b), 'commissioning')];
      const receivedTooSoon = objectEvent(epc(a), 'receiving');
      // The last event means nothing here: the capture is abandoned, the first chunks were written and are undone.
      const meaningless = await job(
        await capture(documentOf([...made, receivedTooSoon, objectEvent(epc(b), 'packing')])),
      );
      assert.deepEqual([meaningless.success, meaningless.accepted, meaningless.rejected], [false, 0, 1]);
      assert.deepEqual(
        meaningless.errors.map((e: { index: number; problem: { code: string } }) => [
          e.index,
          e.problem.code,
        ]),
        [[3, 'epcis-no-lifecycle-meaning']],
        'as a document read whole: the reading refuses it before the state machine sees it',
      );
      assert.deepEqual([await history(a), await history(b)], [[], []]);
      // The state machine refuses the third event, a chunk after the first two were written: none is kept.
      const refused = await job(await capture(documentOf([...made, receivedTooSoon])));
      assert.deepEqual([refused.success, refused.accepted, refused.rejected], [false, 0, 1]);
      assert.equal(refused.errors[0].index, 2);
      assert.equal(refused.errors[0].problem.state, 'manufactured');
      assert.equal(refused.errors[0].problem.fields[0].field, '/epcisBody/eventList/2');
      assert.deepEqual([await history(a), await history(b)], [[], []]);
      // Proceed keeps what the state machine allows, chunk after chunk, each robot as the chunks before left it.
      const inspected = objectEvent(epc(a), 'inspecting');
      const kept = await job(
        await capture(documentOf([...made, receivedTooSoon, inspected]), { mode: 'proceed' }),
      );
      assert.deepEqual([kept.accepted, kept.rejected], [3, 1], JSON.stringify(kept.errors));
      assert.deepEqual(
        [await history(a), await history(b)],
        [['manufactured', 'serviced'], ['manufactured']],
      );
    });

    test('a larger document runs in the background; its job says running, then done; jobs are the caller’s', async () => {
      const robots = Array.from({ length: INLINE + 1 }, robot);
      const res = await capture(documentOf(robots.map((id) => objectEvent(epc(id), 'commissioning'))));
      assert.equal(res.status, 202);
      assert.equal(res.body.running, true);
      await settleCaptureJobs(h.ctx);
      const job = (await h.call('GET', `/epcis/capture/${res.body.captureID}`, { key: c.maker.key })).body;
      assert.deepEqual([job.running, job.success, job.accepted], [false, true, INLINE + 1]);
      assert.ok(job.finishedAt >= job.createdAt);
      for (const id of robots) assert.deepEqual(await history(id), ['manufactured']);

      const mine = await h.call('GET', '/epcis/capture', { key: c.maker.key });
      assert.equal(mine.body[0].captureID, res.body.captureID, 'newest first');
      assert.ok(mine.body.length >= 2);
      const theirs = await h.call('GET', '/epcis/capture', { key: c.operator.key });
      assert.equal(
        theirs.body.some((j: { captureID: string }) => j.captureID === res.body.captureID),
        false,
      );
      const other = await h.call('GET', `/epcis/capture/${res.body.captureID}`, { key: c.operator.key });
      assert.equal(other.status, 404);
      assert.equal((await h.call('GET', '/epcis/capture')).status, 401);
    });

    test('an invalid document is 400 naming each fault by a JSON pointer, and no job is made', async () => {
      const file = join(
        TESTDATA,
        'epcis',
        'capture',
        'Invalid',
        'Combination_of_events_with_missing_mandatory_fields.json',
      );
      const before = (await h.call('GET', '/epcis/capture', { key: c.maker.key })).body.length;
      const res = await capture(readFileSync(file, 'utf8'));
      assert.equal(res.status, 400);
      assert.equal(res.body.type, 'urn:robotid:problem:invalid-epcis-document');
      assert.deepEqual(
        res.body.errors.map((e: { field: string }) => e.field),
        [
          '/epcisBody/eventList/0/action',
          '/epcisBody/eventList/1/eventTimeZoneOffset',
          '/epcisBody/eventList/1/action',
        ],
      );
      assert.equal((await h.call('GET', '/epcis/capture', { key: c.maker.key })).body.length, before);
    });

    test('JSON and JSON-LD are taken; other media types are 415; over the limits is 413; the limits are advertised', async () => {
      const doc = documentOf([objectEvent(epc(robot()), 'commissioning')]);
      assert.equal((await capture(doc, { type: 'application/json' })).status, 202);
      assert.equal((await capture(doc, { type: 'application/xml' })).status, 415);
      assert.equal((await capture(doc, { type: 'text/plain' })).status, 415);

      const options = await h.call('OPTIONS', '/epcis/capture');
      assert.equal(options.status, 204);
      assert.equal(options.headers['gs1-epcis-capture-limit'], '10000');
      const fileLimit = Number(options.headers['gs1-epcis-capture-file-size-limit']);
      assert.equal(fileLimit, 32 * MiB);
      assert.match(String(options.headers['gs1-capture-error-behaviour']), /rollback.*proceed/);

      const tooMany = documentOf(Array.from({ length: 10_001 }, () => ({ type: 'ObjectEvent' })));
      const many = await capture(tooMany);
      assert.equal(many.status, 413);
      assert.equal(many.body.type, 'urn:robotid:problem:capture-limit-exceeded');
      const tooBig = JSON.stringify({ ...doc, padding: 'x'.repeat(fileLimit) });
      assert.equal((await capture(tooBig)).status, 413);
      const badMode = await capture(doc, { mode: 'sometimes' });
      assert.equal(badMode.status, 400);
    });

    test('every OpenEPCIS capture document is answered 202, never refused for its shape', async () => {
      const dir = join(TESTDATA, 'epcis', 'capture', 'Documents');
      const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
      assert.ok(files.length >= 38);
      for (const file of files) {
        const res = await capture(readFileSync(join(dir, file), 'utf8'), { mode: 'proceed' });
        assert.equal(res.status, 202, `${file}: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    });

    const sql = (statement: string) => rawSql(h, statement);
    /** From now on the database refuses every new event (a fault the registry cannot foresee); undone by the result. */
    async function breakEventInserts(): Promise<() => Promise<void>> {
      if (!h.schema) {
        await sql(
          "CREATE TRIGGER refuse_events BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        );
        return () => sql('DROP TRIGGER refuse_events');
      }
      await sql(
        "CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$; " +
          'CREATE TRIGGER refuse_events BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_events()',
      );
      return () => sql('DROP TRIGGER refuse_events ON events; DROP FUNCTION refuse_events()');
    }

    test('a run that fails unexpectedly loses nothing: the job is answered as accepted, tried again, and recorded', async () => {
      const id = robot();
      const mend = await breakEventInserts();
      let mended = false;
      try {
        const sent = JSON.stringify(documentOf([objectEvent(epc(id), 'commissioning')]), null, 2);
        const answer = await capture(sent);
        // Not an error that says "not taken": the document is stored and its job waits for another round.
        assert.equal(answer.status, 202);
        assert.equal(answer.body.running, true);
        await settleCaptureJobs(h.ctx); // the round the answer started fails too: a second attempt
        assert.deepEqual(await history(id), []);
        // kept as it was sent, byte for byte: not the parsed body written out again
        const kept = await h.ctx.store.read((r) => r.captureJobDocument(answer.body.captureID as string));
        assert.equal(kept, sent);
        await mend();
        mended = true;
        await runQueuedCaptureJobs(h.ctx);
        const job = (await h.call('GET', `/epcis/capture/${answer.body.captureID}`, { key: c.maker.key }))
          .body;
        assert.deepEqual([job.running, job.success, job.accepted], [false, true, 1]);
        assert.deepEqual(await history(id), ['manufactured']);
      } finally {
        if (!mended) await mend();
      }
    });

    test(`a run that keeps failing ends after ${CAPTURE_ATTEMPTS} attempts with the failure as its error, nothing recorded`, async () => {
      const id = robot();
      const mend = await breakEventInserts();
      try {
        const answer = await capture(documentOf([objectEvent(epc(id), 'commissioning')]));
        assert.equal(answer.body.running, true, JSON.stringify(answer.body));
        await settleCaptureJobs(h.ctx);
        // Attempts so far: the answer's own and the background round it started; the rest here.
        for (let attempt = 3; attempt <= CAPTURE_ATTEMPTS; attempt++) {
          await assert.rejects(runQueuedCaptureJobs(h.ctx), /refused by the test/);
        }
        const job = (await h.call('GET', `/epcis/capture/${answer.body.captureID}`, { key: c.maker.key }))
          .body;
        assert.deepEqual([job.running, job.success, job.accepted, job.rejected], [false, false, 0, 0]);
        assert.equal(job.errors.length, 1);
        assert.equal(job.errors[0].problem.code, 'capture-job-failed');
        assert.equal(job.errors[0].index, undefined);
        assert.deepEqual(await history(id), []);
      } finally {
        await mend();
      }
    });
  });

for (const store of testStores)
  describe(`EPCIS capture after a stop (${store.name})`, () => {
    test('a job left running when its process stopped is run again when a process starts, recording nothing twice', async () => {
      const first = await startHarness({ postgres: store.postgres });
      const c = await supplyChain(first, 2);
      const [done, pending] = c.robots as [string, string];
      const recorded = objectEvent(epc(done), 'commissioning');
      // The process had recorded the first event, then stopped before the second and before finishing the job.
      await first.call('POST', '/epcis/capture', {
        key: c.maker.key,
        body: JSON.stringify(documentOf([recorded])),
        headers: { 'content-type': 'application/ld+json' },
      });
      const org = c.maker.org.id as string;
      const keyId = c.maker.keyId;
      const document = JSON.stringify(documentOf([recorded, objectEvent(epc(pending), 'commissioning')]));
      await first.ctx.store.write(async (tx) => {
        await tx.insertCaptureJob({
          id: 'stoppedjob',
          orgId: org,
          keyId,
          mode: 'proceed',
          eventCount: 2,
          createdAt: new Date().toISOString(),
          document,
        });
        assert.equal(await tx.claimCaptureJob('stoppedjob', new Date().toISOString()), true);
      });
      await first.app.close();
      await first.ctx.close();

      const second = await startHarness({
        postgres: store.postgres,
        existing: { dataDir: first.dataDir, ...(first.schema ? { schema: first.schema } : {}) },
      });
      try {
        const before = await second.call('GET', '/epcis/capture/stoppedjob', { key: c.maker.key });
        assert.equal(before.body.running, true);
        await runQueuedCaptureJobs(second.ctx);
        const job = (await second.call('GET', '/epcis/capture/stoppedjob', { key: c.maker.key })).body;
        assert.deepEqual([job.running, job.success, job.accepted, job.duplicates], [false, true, 1, 1]);
        for (const id of [done, pending]) {
          const events = await second.ctx.store.read((r) => r.listEvents(id));
          assert.deepEqual(
            events.map((e) => e.type),
            ['manufactured'],
            id,
          );
        }
      } finally {
        await second.close();
      }
    });
  });
