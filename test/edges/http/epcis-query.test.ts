/**
 * The EPCIS 2.0 query interface (GET /epcis/events, /epcis/epcs/{epc}/events, /epcis/eventTypes) on both stores:
 * each caller sees exactly the events its native history shows it, the binding's parameters filter, pages follow
 * the Link header, and an unknown parameter is refused by name.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventUri } from '../../../src/domain/epcis/uris.js';
import { parseRobotId } from '../../../src/domain/id/index.js';
import { PURPOSE } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import {
  actuatorSerial,
  certified,
  event,
  intoUse,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../../support/lifecycle.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

for (const store of testStores)
  describe(`EPCIS query (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    /** Another manufacturer's chain: its robots and parts are not c.maker's. */
    let rival: SupplyChain;
    let robot: string;
    let epc: string;

    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 2);
      rival = await supplyChain(h, 1);
      robot = c.robots[0]!;
      epc = `https://registry.test/r/${parseRobotId(robot).printed}`;
      await intoUse(h, c, robot);
      await intoUse(h, rival, rival.robots[0]!);
      // A maintenance entry the operator declares did not occur.
      const svc = { ...event('serviced', robot, { kind: 'maintenance' }), eventId: 'svc-1' };
      const fix = event('corrected', robot, { correctsEventId: 'svc-1', reason: 'did_not_occur' });
      for (const e of [svc, fix]) assert.equal((await report(h, c.operator.key, [e])).status, 201);
    });
    after(() => h.close());

    const query = (key: string | undefined, path: string, headers: Record<string, string> = {}) =>
      h.call('GET', path, { ...(key ? { key } : {}), headers: { ...PURPOSE, ...headers } });
    const eventsOf = (body: Json): Json[] => body.epcisBody.queryResults.resultsBody.eventList;
    const ids = (body: Json) => eventsOf(body).map((e: Json) => e.eventID as string);
    const q = (params: Record<string, string>) => `/epcis/events?${new URLSearchParams(params)}`;

    test('an EPCISQueryDocument, as JSON or JSON-LD as asked', async () => {
      const json = await query(c.maker.key, '/epcis/events');
      assert.equal(json.status, 200, JSON.stringify(json.body));
      assert.match(String(json.headers['content-type']), /^application\/json/);
      assert.equal(json.body.type, 'EPCISQueryDocument');
      assert.equal(json.body.epcisBody.queryResults.queryName, 'SimpleEventQuery');
      const ld = await query(c.maker.key, '/epcis/events', { accept: 'application/ld+json' });
      assert.match(String(ld.headers['content-type']), /^application\/ld\+json/);
      assert.deepEqual(ids(ld.body), ids(json.body));
      assert.equal(ld.headers['gs1-epcis-version'], '2.0.0');
    });

    test('each caller sees exactly what its native history shows: same events of each robot', async () => {
      const callers = { maker: c.maker, operator: c.operator, seller: c.seller, regulator: c.regulator };
      for (const [name, who] of Object.entries(callers)) {
        const native = await query(who.key, `/v1/robots/${robot}/events`);
        const epcis = await query(who.key, `/epcis/epcs/${encodeURIComponent(epc)}/events?perPage=1000`);
        assert.equal(epcis.status, native.status, `${name}: ${JSON.stringify(epcis.body)}`);
        if (native.status !== 200) continue;
        // The robot's own events (a correction repeats the corrected one, with an errorDeclaration).
        const own = eventsOf(epcis.body).filter((e: Json) => e.type === 'ObjectEvent' && !e.errorDeclaration);
        const expected = native.body.events
          .filter((e: Json) => e.type !== 'corrected')
          .map((e: Json) => eventUri(robot, e.eventId));
        assert.deepEqual(
          own.map((e: Json) => e.eventID),
          expected,
          name,
        );
        assert.ok(expected.length >= 6, name);
      }
      // The seller held the robot and sold it: natively it sees nothing of it now, and through EPCIS neither.
      const seller = await query(c.seller.key, `/epcis/epcs/${encodeURIComponent(epc)}/events`);
      assert.equal(seller.status, 404);
      assert.deepEqual(eventsOf((await query(c.seller.key, q({ MATCH_epc: epc }))).body), []);
    });

    test('a rival manufacturer sees none of another’s robots or parts; the public needs a key', async () => {
      const rivalAll = await query(rival.maker.key, '/epcis/events?perPage=1000');
      const robotsSeen = new Set(
        eventsOf(rivalAll.body).flatMap((e: Json) => [...(e.epcList ?? []), e.parentID].filter(Boolean)),
      );
      assert.deepEqual(
        [...robotsSeen],
        [`https://registry.test/r/${parseRobotId(rival.robots[0]!).printed}`],
      );
      const byEpc = await query(rival.maker.key, `/epcis/epcs/${encodeURIComponent(epc)}/events`);
      assert.equal(byEpc.status, 404);
      assert.equal(byEpc.body.type, 'urn:robotid:problem:robot-not-found');
      const part = `urn:robotid:part:HJ-40:${encodeURIComponent(actuatorSerial(robot))}`;
      assert.deepEqual(eventsOf((await query(rival.maker.key, q({ MATCH_epc: part }))).body), []);
      const mine = eventsOf((await query(c.maker.key, q({ MATCH_epc: part }))).body);
      assert.deepEqual(
        mine.map((e: Json) => [e.type, e.action, e.bizStep, e.parentID]),
        [['AssociationEvent', 'ADD', 'assembling', epc]],
      );
      const anonymous = await h.call('GET', '/epcis/events');
      assert.equal(anonymous.status, 401);
    });

    test('the binding’s parameters filter; an unknown one is refused by name', async () => {
      const all = eventsOf((await query(c.maker.key, q({ MATCH_anyEPC: epc, perPage: '1000' }))).body);
      const by = async (params: Record<string, string>) =>
        eventsOf((await query(c.regulator.key, q({ ...params, MATCH_anyEPC: epc }))).body);
      assert.deepEqual(
        (await by({ EQ_bizStep: 'commissioning' })).map((e: Json) => e.action),
        ['ADD'],
      );
      assert.deepEqual(
        (await by({ EQ_bizStep: 'urn:epcglobal:cbv:bizstep:shipping|receiving' })).map(
          (e: Json) => e.bizStep,
        ),
        ['shipping', 'receiving'],
      );
      assert.deepEqual(
        (await by({ EQ_disposition: 'retail_sold' })).map((e: Json) => e.bizStep),
        ['retail_selling'],
      );
      assert.deepEqual(
        (await by({ eventType: 'AssociationEvent' })).map((e: Json) => e.parentID),
        [epc],
      );
      assert.equal((await by({ MATCH_parentID: epc })).length, 1);
      assert.deepEqual(
        (await by({ EQ_bizLocation: 'urn:robotid:region:310115' })).map((e: Json) => e.bizStep),
        ['installing'],
      );
      const declared = await by({ EXISTS_errorDeclaration: 'true' });
      assert.deepEqual(
        declared.map((e: Json) => [e.eventID, e.errorDeclaration.reason]),
        [[`urn:robotid:event:${robot}:svc-1`, 'did_not_occur']],
      );
      const sold = all.find((e: Json) => e.bizStep === 'retail_selling');
      assert.deepEqual(await by({ EQ_eventID: sold.eventID }), [sold]);
      // The same eventID found without naming the robot: the store is asked for that event id.
      const found = eventsOf((await query(c.regulator.key, q({ EQ_eventID: sold.eventID }))).body);
      assert.deepEqual(found, [sold]);
      assert.deepEqual(
        await by({
          GE_eventTime: sold.eventTime,
          LT_eventTime: new Date(Date.parse(sold.eventTime) + 1).toISOString(),
        }),
        [sold],
      );
      assert.equal((await by({ GE_recordTime: '2999-01-01T00:00:00+08:00' })).length, 0);
      assert.equal((await by({ GE_recordTime: '2000-01-01T00:00:00Z' })).length, all.length);
      // Without a robot named, the store is asked for the event types and record times that can match.
      const unscoped = async (params: Record<string, string>) =>
        eventsOf((await query(c.regulator.key, q({ ...params, perPage: '1000' }))).body);
      assert.deepEqual(await unscoped({ GE_recordTime: '2999-01-01T00:00:00+08:00' }), []);
      const associations = await unscoped({ eventType: 'AssociationEvent' });
      assert.equal(associations.length, 2, 'one per manufacture: two robots were made');
      assert.ok(associations.every((e: Json) => e.type === 'AssociationEvent'));
      assert.deepEqual(await unscoped({ EQ_bizStep: 'stocking' }), []);

      const unknown = await query(c.maker.key, '/epcis/events?EQ_bizstep=shipping');
      assert.equal(unknown.status, 400);
      assert.equal(unknown.body.errors[0].field, 'query:/EQ_bizstep');
      const badTime = await query(c.maker.key, '/epcis/events?GE_eventTime=yesterday');
      assert.equal(badTime.status, 400);
      assert.equal(badTime.body.errors[0].field, 'query:/GE_eventTime');
      const leapSecond = await query(c.maker.key, '/epcis/events?GE_recordTime=2026-06-30T23:59:60Z');
      assert.equal(leapSecond.status, 400, 'a time no stored time can be compared with');
      assert.equal(leapSecond.body.errors[0].field, 'query:/GE_recordTime');
      const badToken = await query(c.maker.key, '/epcis/events?nextPageToken=xyz');
      assert.equal(badToken.body.errors[0].field, 'query:/nextPageToken');
    });

    /** Every page from `first` on, following the Link header: the events' ids in order. */
    async function follow(first: string, perPage: number): Promise<string[]> {
      const paged: string[] = [];
      let next: string | undefined = first;
      while (next) {
        const res = await query(c.regulator.key, next);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.ok(eventsOf(res.body).length <= perPage);
        paged.push(...ids(res.body));
        const link = res.headers.link as string | undefined;
        const m = link ? /^<https:\/\/registry\.test(\/epcis\/[^>]+)>; rel="next"$/.exec(link) : null;
        if (link) assert.ok(m && m[1]!.includes(`perPage=${perPage}`), link);
        next = m?.[1];
      }
      return paged;
    }

    test('pages of perPage events follow the Link header to the end, each event once', async () => {
      const whole = ids((await query(c.regulator.key, '/epcis/events?perPage=1000')).body);
      assert.ok(whole.length > 10);
      assert.deepEqual(await follow('/epcis/events?perPage=4', 4), whole);
      const path = `/epcis/epcs/${encodeURIComponent(epc)}/events`;
      const robotWhole = ids((await query(c.regulator.key, path)).body);
      assert.deepEqual(await follow(`${path}?perPage=3`, 3), robotWhole);
      assert.deepEqual(
        await follow(`/epcis/events?${new URLSearchParams({ eventType: 'ObjectEvent', perPage: '2' })}`, 2),
        whole.filter((id) => !/:(fitted|removed)$/.test(id)),
      );
    });

    test('robots named by their registered GS1 keys, in any form or by an SGTIN pattern, to those who may see the keys; to others they name nothing', async () => {
      const second = c.robots[1]!;
      const steps: [string, unknown][] = [
        [c.maker.key, manufactured(second)],
        [c.certifier.key, certified(second)],
        [c.maker.key, event('shipped', second, { toOrgId: c.seller.org.id })],
        [c.seller.key, event('received', second)],
      ];
      for (const [key, e] of steps) assert.equal((await report(h, key, [e])).status, 201);
      const sgtin = 'urn:epc:id:sgtin:0614141.812345.777';
      const put = await h.call('PUT', `/v1/robots/${second}/gs1-key`, {
        key: c.maker.key,
        body: { gs1Key: sgtin },
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      const ownEpc = `https://registry.test/r/${parseRobotId(second).printed}`;
      const byOwnName = ids((await query(c.maker.key, q({ MATCH_epc: ownEpc }))).body);
      assert.equal(byOwnName.length, 4);
      // The manufacturer: the SGTIN, and its Digital Link on another host, name the robot.
      assert.deepEqual(ids((await query(c.maker.key, q({ MATCH_epc: sgtin }))).body), byOwnName);
      const link = 'https://brand.example/01/80614141123458/21/777';
      const path = (name: string) => `/epcis/epcs/${encodeURIComponent(name)}/events`;
      const byLink = ids((await query(c.maker.key, path(link))).body);
      assert.ok(byLink.length > byOwnName.length); // the path form also has the events naming it as parentID
      assert.deepEqual(byLink, ids((await query(c.maker.key, path(ownEpc))).body));
      // An EPC pattern of the GTIN: every robot serialised under it, here two.
      const first = await h.call('PUT', `/v1/robots/${robot}/gs1-key`, {
        key: c.maker.key,
        body: { gs1Key: 'urn:epc:id:sgtin:0614141.812345.778' },
      });
      assert.equal(first.status, 200);
      const pattern = 'urn:epc:idpat:sgtin:0614141.812345.*';
      const both = ids((await query(c.maker.key, q({ MATCH_epc: `${epc}|${ownEpc}` }))).body);
      assert.ok(both.length > byOwnName.length);
      assert.deepEqual(ids((await query(c.maker.key, q({ MATCH_epc: pattern }))).body), both);
      assert.deepEqual(
        ids((await query(c.maker.key, q({ MATCH_epc: 'urn:epc:idpat:sgtin:0614141.812346.*' }))).body),
        [],
      );
      // The seller holds the robot and sees its history, but not its key: by the key it finds nothing.
      assert.equal(ids((await query(c.seller.key, q({ MATCH_epc: ownEpc }))).body).length, 4);
      assert.deepEqual(ids((await query(c.seller.key, q({ MATCH_epc: sgtin }))).body), []);
      assert.deepEqual(ids((await query(c.seller.key, q({ MATCH_epc: pattern }))).body), []);
    });

    test('the event types, public', async () => {
      const res = await h.call('GET', '/epcis/eventTypes');
      assert.equal(res.status, 200);
      assert.equal(res.body.type, 'Collection');
      assert.deepEqual([...res.body.member].sort(), [
        'AggregationEvent',
        'AssociationEvent',
        'ObjectEvent',
        'TransactionEvent',
        'TransformationEvent',
      ]);
    });
  });
