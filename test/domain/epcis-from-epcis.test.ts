import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportEvent, type VisibleEvent } from '../../src/domain/epcis/export.js';
import { fromEpcis, type EpcisEventFacts } from '../../src/domain/epcis/from-epcis.js';
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
    assert.deepEqual([correction?.code, correction?.field], ['epcis-not-read-yet', '/errorDeclaration']);
  });
});
