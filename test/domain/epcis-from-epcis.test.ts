import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportEvent, type VisibleEvent } from '../../src/domain/epcis/export.js';
import { fromEpcis, type EpcisEventFacts } from '../../src/domain/epcis/from-epcis.js';
import { fromEpcisEvents } from '../../src/domain/epcis/from-epcis-document.js';
import { documentPrefixes, eventHashId } from '../../src/domain/epcis/event-hash.js';
import { ROBOTID_CONTEXT } from '../../src/domain/epcis/mapping.js';

const BASE = 'https://registry.example.cn';
const PRINTED = 'CN0001H1X9B4R0000000000000017';
const context = { publicBaseUrl: BASE, prefixes: documentPrefixes(ROBOTID_CONTEXT) };
const stored = (type: VisibleEvent['type'], payload: Record<string, unknown>): VisibleEvent => ({
  eventId: 'e-1',
  type,
  eventTime: '2026-07-22T06:45:00+02:00',
  recordTime: '2026-07-22T05:00:00Z',
  reportedBy: 'org_maker',
  payload,
});
const read = (event: Record<string, unknown>) => fromEpcis(event as EpcisEventFacts, context);

describe('an EPCIS event read as a lifecycle event', () => {
  test('what export writes reads back as the same lifecycle event and payload', () => {
    const cases: [VisibleEvent['type'], Record<string, unknown>][] = [
      ['shipped', { toOrgId: 'org_seller' }],
      ['received', { note: 'dock 4' }],
      ['sold', { toOrgId: 'org_operator' }],
      ['activated', { siteType: 'hospital', region: '310115' }],
      [
        'certified',
        {
          standard: 'GB/T 12643',
          certificateNumber: 'C-1',
          result: 'fail',
          validUntil: '2030-01-01T00:00:00Z',
        },
      ],
      ['serviced', { kind: 'maintenance', description: 'joint lubrication' }],
      ['suspended', { orderNumber: 'SO-7', reason: 'brake fault' }],
      ['reinstated', { orderNumber: 'SO-7' }],
      ['exported', { country: 'DE', counterparty: 'Robo GmbH' }],
      ['imported', { country: 'DE' }],
      ['ownership_transferred', { toOrgId: 'org_new' }],
      ['decommissioned', {}],
      ['reported_stolen', { note: 'from the ward' }],
    ];
    for (const [type, payload] of cases) {
      const [event] = exportEvent(stored(type, payload), {
        publicBaseUrl: BASE,
        robotId: PRINTED,
        printed: PRINTED,
      });
      const back = read(event!);
      assert.ok(back.ok, `${type}: ${JSON.stringify(back)}`);
      assert.deepEqual(
        [back.event.type, back.event.robotId, back.event.payload],
        [type, PRINTED, payload],
        type,
      );
    }
  });

  test('a commissioning event from elsewhere is a manufacture on its own day, known by its event hash', () => {
    const event = {
      type: 'ObjectEvent',
      eventTime: '2026-07-22T00:30:00+08:00',
      eventTimeZoneOffset: '+08:00',
      action: 'ADD',
      bizStep: 'urn:epcglobal:cbv:bizstep:commissioning',
      epcList: [`urn:robotid:robot:${PRINTED}`],
    };
    const back = read(event);
    assert.ok(back.ok);
    assert.equal(back.event.type, 'manufactured');
    assert.deepEqual(back.event.payload, { productionDate: '2026-07-22', components: [], software: [] });
    assert.equal(back.event.eventId, eventHashId(event, { prefixes: context.prefixes }));
  });

  test('a commissioning event written in UTC is made on its local day, by its eventTimeZoneOffset', () => {
    // 18:30 UTC is 02:30 the next day in Shanghai: the robot was made on the 22nd there.
    const event = {
      type: 'ObjectEvent',
      eventTime: '2026-07-21T18:30:00.250Z',
      eventTimeZoneOffset: '+08:00',
      action: 'ADD',
      bizStep: 'commissioning',
      epcList: [`urn:robotid:robot:${PRINTED}`],
    };
    const back = read(event);
    assert.ok(back.ok);
    assert.equal(back.event.payload.productionDate, '2026-07-22');
    assert.equal(back.event.eventTime, event.eventTime); // the same instant; the registry keeps it in UTC
    assert.equal(back.event.eventId, eventHashId(event, { prefixes: context.prefixes }));
  });

  test('each reason names its place: no meaning, no robot here, a missing fact, not read yet', () => {
    const base = {
      type: 'ObjectEvent',
      eventTime: '2026-07-22T06:45:00+02:00',
      eventTimeZoneOffset: '+02:00',
      action: 'OBSERVE',
      epcList: [`${BASE}/r/${PRINTED}`],
    };
    const reason = (event: Record<string, unknown>) => {
      const r = read(event);
      assert.equal(r.ok, false);
      return r.ok ? undefined : r.reason;
    };
    assert.deepEqual(
      [reason({ ...base, bizStep: 'packing' })?.code, reason({ ...base, bizStep: 'packing' })?.field],
      ['epcis-no-lifecycle-meaning', '/bizStep'],
    );
    const elsewhere = reason({
      ...base,
      bizStep: 'receiving',
      epcList: [`https://other.example/r/${PRINTED}`],
    });
    assert.deepEqual([elsewhere?.code, elsewhere?.field], ['epcis-not-a-robot', '/epcList/0']);
    const noReceiver = reason({
      ...base,
      bizStep: 'shipping',
      destinationList: [{ type: 'possessing_party', destination: 'urn:epc:id:pgln:0614141.00777' }],
    });
    assert.deepEqual([noReceiver?.code, noReceiver?.field], ['epcis-missing-fact', '/destinationList']);
    assert.match(noReceiver!.message, /possessing_party naming urn:robotid:org:/);
    const correction = reason({
      ...base,
      bizStep: 'receiving',
      errorDeclaration: { declarationTime: base.eventTime },
    });
    assert.deepEqual(
      [correction?.code, correction?.field],
      ['epcis-read-with-document', '/errorDeclaration'],
    );
  });
});

describe('a document read together: parts and error declarations', () => {
  const robotEpc = `${BASE}/r/${PRINTED}`;
  const time = '2026-07-22T06:45:00+02:00';
  const parts = (action: string, extra: Record<string, unknown>) => ({
    type: 'AssociationEvent',
    eventTime: time,
    eventTimeZoneOffset: '+02:00',
    parentID: robotEpc,
    action,
    bizStep: 'replacing',
    ...extra,
  });
  const readAll = (events: Record<string, unknown>[]) =>
    fromEpcisEvents(events as EpcisEventFacts[], () => context);
  const reasons = (events: Record<string, unknown>[]) =>
    readAll(events).rejected.map(({ index, reason }) => [index, reason.code, reason.field]);

  test('parts named by GS1 keys are read by GTIN, serial and lot, then asked for what EPCIS cannot say', () => {
    const [sgtin] = readAll([parts('ADD', { childEPCs: ['urn:epc:id:sgtin:0614141.812345.400'] })]).rejected;
    assert.equal(sgtin?.reason.code, 'epcis-missing-fact');
    assert.equal(sgtin?.reason.field, '/robotid:components');
    assert.match(sgtin!.reason.message, /describe 80614141123458 400 in "robotid:components"/);
    const lgtin = readAll([
      parts('DELETE', {
        childQuantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.998877', quantity: 2 }],
      }),
    ]).rejected[0];
    assert.match(lgtin!.reason.message, /describe 04012345123456 998877, 04012345123456 998877 in/);
    assert.deepEqual(
      reasons([
        parts('ADD', { childEPCs: ['urn:robotid:lot:P-1:L1'] }),
        parts('ADD', {
          childQuantityList: [{ epcClass: 'urn:robotid:lot:P-1:L1', quantity: 1.5, uom: 'KGM' }],
        }),
        parts('ADD', { 'robotid:components': [{ kind: 'sensor', manufacturer: 'M' }] }),
        parts('OBSERVE', { childEPCs: ['urn:robotid:part:P-1:S1'] }),
        parts('ADD', { bizStep: 'packing', childEPCs: ['urn:robotid:part:P-1:S1'] }),
      ]),
      [
        [0, 'epcis-part-unidentified', '/childEPCs/0'],
        [1, 'epcis-part-unidentified', '/childQuantityList/0/quantity'],
        [2, 'epcis-part-unidentified', '/robotid:components/0/partNumber'],
        [3, 'epcis-no-lifecycle-meaning', '/action'],
        [4, 'epcis-no-lifecycle-meaning', '/bizStep'],
      ],
    );
  });

  test('parts changed on their own pair at one time into a repair, or each event says why they do not', () => {
    const fitted = { kind: 'sensor', manufacturer: 'M', partNumber: 'P-1', serial: 'S2' };
    const removed = { ...fitted, serial: 'S1' };
    const pair = readAll([
      parts('DELETE', { 'robotid:components': [removed] }),
      parts('ADD', { 'robotid:components': [fitted] }),
    ]);
    assert.deepEqual(pair.rejected, []);
    assert.deepEqual(
      pair.events.map(({ index, event }) => [index, event.type, event.payload]),
      [[0, 'serviced', { kind: 'repair', replaced: [{ old: removed, new: fitted }] }]],
    );
    assert.deepEqual(
      reasons([
        parts('DELETE', { 'robotid:components': [removed] }),
        parts('DELETE', { 'robotid:components': [{ ...removed, serial: 'S3' }] }),
        parts('ADD', { 'robotid:components': [fitted] }),
      ]),
      [
        [0, 'epcis-missing-fact', '/action'],
        [1, 'epcis-missing-fact', '/action'],
        [2, 'epcis-missing-fact', '/action'],
      ],
    );
  });

  test('an event whose parts cannot be read is not recorded without them', () => {
    const component = { kind: 'sensor', manufacturer: 'M', partNumber: 'P-1', lot: 'L1' };
    const made = stored('manufactured', {
      productionDate: '2026-07-21',
      components: [component],
      software: [],
    });
    const exported = exportEvent(made, { publicBaseUrl: BASE, robotId: PRINTED, printed: PRINTED });
    assert.equal(exported.length, 2);
    const back = readAll(exported);
    assert.deepEqual([back.rejected, back.events[0]?.event.payload], [[], made.payload]);
    const broken = [exported[0]!, { ...exported[1]!, 'robotid:components': [{ kind: 'sensor' }] }];
    assert.deepEqual(reasons(broken), [
      [0, 'epcis-parts-refused', ''],
      [1, 'epcis-part-unidentified', '/robotid:components/0/partNumber'],
    ]);
    assert.deepEqual(readAll(broken).events, []);
  });

  test('an error declaration from elsewhere corrects the event it repeats, known by its hash when it has no eventID', () => {
    const observed = {
      type: 'ObjectEvent',
      eventTime: time,
      eventTimeZoneOffset: '+02:00',
      action: 'OBSERVE',
      bizStep: 'receiving',
      epcList: [robotEpc],
    };
    const declared = {
      ...observed,
      errorDeclaration: {
        declarationTime: '2026-07-23T00:00:00Z',
        reason: 'urn:epcglobal:cbv:er:incorrect_data',
      },
    };
    const [first] = readAll([declared]).events;
    assert.deepEqual(first?.event.payload, {
      correctsEventId: eventHashId(observed, { prefixes: context.prefixes }),
      reason: 'incorrect_data',
    });
    assert.equal(first?.event.type, 'corrected');
    assert.equal(first?.event.eventTime, '2026-07-23T00:00:00Z');
    assert.match(first!.event.eventId, /^ni:\/\/\/sha-256;[0-9a-f]{64}$/);
    const again = readAll([
      { ...declared, errorDeclaration: { declarationTime: time, reason: 'urn:x:oops' } },
    ]);
    assert.equal(again.events[0]?.event.eventId, first?.event.eventId, 'an event is corrected once');
    assert.equal((again.events[0]?.event.payload as { reason: string }).reason, 'other');
    // Its parts alone correct nothing.
    assert.deepEqual(
      reasons([
        { ...parts('ADD', { 'robotid:partOf': 'urn:uuid:x' }), errorDeclaration: { declarationTime: time } },
      ]),
      [[0, 'epcis-parts-without-event', '/robotid:partOf']],
    );
  });
});
