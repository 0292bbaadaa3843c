import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { flatPreHashString } from '../../src/domain/epcis/event-hash-flat.js';
import { generalPreHashString, preHashString } from '../../src/domain/epcis/event-hash.js';

/** A small deterministic generator (mulberry32), so that a failure names an event that comes again. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Values chosen to meet every rule the general algorithm applies to text: bare words, CURIEs (declared or not),
// CBV URNs and IRIs, GS1 keys as EPC URNs and Digital Links, numbers, times with offsets and fractions, blanks, and
// words that collide with the event's own vocabulary (an EPC or an action spelled like its disposition).
const TEXTS = [
  'urn:robotid:robot:CN1234B1B2B3000000000000000012AB',
  'urn:epc:id:sgtin:4012345.011111.987',
  'https://id.gs1.org/01/04012345111118/21/987',
  'https://example.com/01/4012345111118/21/987',
  'urn:epc:id:sgln:4012345.00001.0',
  'https://id.gs1.org/414/4012345000016',
  'active',
  'commissioning',
  'BizStep-commissioning',
  'cbv:Disp-active',
  'ex:thing',
  'urn:uuid:6f6b1c1e-0000-4000-8000-000000000001',
  '  padded  ',
  '',
  ' ',
  '007',
  '+12.50',
  'ADD',
  'OBSERVE',
  'source',
];
const TIMES = [
  '2026-12-06T10:00:00.000Z',
  '2026-12-06T10:00:00Z',
  '2026-12-06T11:00:00.1234567+01:00',
  '2026-12-06 10:00',
  'not a time',
  '',
];
const VOCABULARY_TEXTS = [
  'commissioning',
  'shipping',
  'active',
  'in_progress',
  'cbv:BizStep-receiving',
  'urn:epcglobal:cbv:bizstep:inspecting',
  'urn:epcglobal:cbv:disp:recalled',
  'https://ref.gs1.org/cbv/Disp-destroyed',
  'https://ref.gs1.org/cbv/BizStep-repairing',
  'ex:ownStep',
  'shipping ',
  '',
];
const PREFIXES: Array<Record<string, string>> = [
  {},
  { ex: 'https://example.org/voc/' },
  { urn: 'https://urn.example/' },
];

function flatEvent(next: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
  const maybe = (p = 0.5) => next() < p;
  const event: Record<string, unknown> = {
    type: pick(['ObjectEvent', 'AggregationEvent', 'AssociationEvent', 'active']),
  };
  if (maybe(0.9)) event.eventTime = pick(TIMES);
  if (maybe(0.8)) event.eventTimeZoneOffset = pick(['+00:00', '+08:00', '-05:30', '']);
  if (maybe(0.3)) event.parentID = pick(TEXTS);
  if (maybe(0.8)) event.epcList = Array.from({ length: Math.floor(next() * 4) }, () => pick(TEXTS));
  if (maybe(0.3)) event.childEPCs = Array.from({ length: Math.floor(next() * 3) }, () => pick(TEXTS));
  if (maybe(0.9)) event.action = pick(['ADD', 'OBSERVE', 'DELETE', 'active', ' ADD ']);
  if (maybe(0.8)) event.bizStep = pick(VOCABULARY_TEXTS);
  if (maybe(0.7)) event.disposition = pick(VOCABULARY_TEXTS);
  if (maybe(0.4)) event.readPoint = { id: pick(TEXTS) };
  if (maybe(0.4)) event.bizLocation = { id: pick(TEXTS) };
  if (maybe(0.3)) event.eventID = pick(['urn:uuid:6f6b1c1e-0000-4000-8000-000000000002', 'ni:///sha-256;00']);
  if (maybe(0.2)) event.recordTime = pick(TIMES);
  return event;
}

describe('the flat event shortcut of the CBV 2.0 event hash', () => {
  test('writes what the general algorithm writes, for thousands of flat events of every kind of text', () => {
    const next = random(20261206);
    let taken = 0;
    for (let i = 0; i < 5_000; i++) {
      const event = flatEvent(next);
      const context = { prefixes: PREFIXES[i % PREFIXES.length]! };
      const flat = flatPreHashString(event, context);
      if (flat === undefined) continue;
      taken += 1;
      assert.equal(flat, generalPreHashString(event, context), JSON.stringify({ event, context }));
    }
    // most are taken: those left to the general algorithm name a vocabulary IRI outside bizStep and disposition
    assert.ok(taken > 3_000, `the shortcut read only ${taken} of 5000 flat events`);
  });

  test("is taken for a manufacturer's commissioning event, and preHashString answers through it", () => {
    const event = {
      type: 'ObjectEvent',
      eventTime: '2026-12-06T10:00:00+08:00',
      eventTimeZoneOffset: '+08:00',
      action: 'ADD',
      epcList: ['urn:robotid:robot:CN1234B1B2B3000000000000000012AB', 'urn:epc:id:sgtin:4012345.011111.987'],
      bizStep: 'commissioning',
      disposition: 'active',
      readPoint: { id: 'urn:epc:id:sgln:4012345.00001.0' },
    };
    const expected =
      'eventType=ObjectEventeventTime=2026-12-06T02:00:00.000ZeventTimeZoneOffset=+08:00' +
      'epcListepc=https://id.gs1.org/01/04012345111118/21/987epc=urn:robotid:robot:CN1234B1B2B3000000000000000012AB' +
      'action=ADDbizStep=https://ref.gs1.org/cbv/BizStep-commissioningdisposition=https://ref.gs1.org/cbv/Disp-active' +
      'readPointid=https://id.gs1.org/414/4012345000016';
    assert.equal(flatPreHashString(event, { prefixes: {} }), expected);
    assert.equal(preHashString(event, { prefixes: {} }), expected);
    assert.equal(generalPreHashString(event, { prefixes: {} }), expected);
  });

  test('reads one event after another with the same other values as each alone: only what differs changes', () => {
    // A document's events share their type, offset, action, steps and places (the shortcut works those out once
    // and keeps them); an event that differs from the one before in any of them, in its shape or in the prefixes
    // that give its CURIEs their meaning, is read anew. Each pre-hash string is the general algorithm's.
    const shared = {
      type: 'ObjectEvent',
      eventTimeZoneOffset: '+08:00',
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      readPoint: { id: 'ex:line-1' },
    };
    const sequence: Array<Record<string, unknown>> = [
      { ...shared, eventTime: '2026-12-06T10:00:00Z', epcList: ['urn:x:1'] },
      { ...shared, eventTime: '2026-12-06T10:00:01Z', epcList: ['urn:x:2'], eventID: 'urn:uuid:1' },
      { ...shared, eventTime: '2026-12-06T10:00:02Z', parentID: 'urn:x:p', childEPCs: ['active'] },
      { ...shared, action: 'DELETE', eventTime: '2026-12-06T10:00:03Z', epcList: ['urn:x:3'] },
      { ...shared, readPoint: { id: 'ex:line-2' }, eventTime: '2026-12-06T10:00:04Z', epcList: ['urn:x:4'] },
      { ...shared, readPoint: { id: 'ex:line-2', 'ex:floor': '2' }, epcList: ['urn:x:5'] },
      { ...shared, action: 1, epcList: ['urn:x:6'] },
      { ...shared, epcList: ['cbv:Disp-active'] },
      { ...shared, eventTime: 'https://ref.gs1.org/cbv/Disp-destroyed', epcList: ['urn:x:7'] },
      { ...shared, disposition: undefined, epcList: ['urn:x:8'] },
      { ...shared, epcList: ['urn:x:9'], bizLocation: { id: 'ex:site' } },
      { ...shared, epcList: ['urn:x:10'] },
    ].map((event) => JSON.parse(JSON.stringify(event)) as Record<string, unknown>);
    const prefixes = [{ ex: 'https://example.org/a/' }, { ex: 'https://example.org/b/' }];
    for (const round of [1, 2])
      for (const context of prefixes.map((p) => ({ prefixes: p })))
        for (const event of sequence)
          assert.equal(
            preHashString(event, context),
            generalPreHashString(event, context),
            JSON.stringify({ round, event, context }),
          );
  });

  test('never takes one set of values for another, whatever separators the values hold', () => {
    const context = { prefixes: {} };
    // written name after value with no separator, or with a colon alone, some of these would be the same text
    const apart = { type: 'ObjectEvent', action: 'ADD', bizStep: 'x', epcList: ['urn:x:1'] };
    const joined = { type: 'ObjectEvent', action: 'ADDbizStepx', epcList: ['urn:x:1'] };
    const counted = { type: 'ObjectEvent', action: 'ADD', bizStep: '1:x', epcList: ['urn:x:1'] };
    const miscounted = { type: 'ObjectEvent', action: 'ADD:1:bizStep', epcList: ['urn:x:1'] };
    const colon = { type: 'ObjectEvent', action: 'ADDbizStep:x', epcList: ['urn:x:1'] };
    const events = [apart, joined, counted, miscounted, colon];
    for (const event of [...events, apart, colon, miscounted, joined, counted])
      assert.equal(flatPreHashString(event, context), generalPreHashString(event, context));
  });

  test('leaves every other event to the general algorithm', () => {
    const base = {
      type: 'ObjectEvent',
      eventTime: '2026-12-06T10:00:00Z',
      action: 'ADD',
      epcList: ['urn:x:1'],
    };
    const others: Array<[string, Record<string, unknown>, string[]?]> = [
      ['an extension', { ...base, 'ex:temperature': '21' }],
      ['a quantity list', { ...base, quantityList: [{ epcClass: 'urn:x:c', quantity: 1 }] }],
      ['a source list', { ...base, sourceList: [{ type: 'owning_party', source: 'urn:x:p' }] }],
      ['a place with an extension', { ...base, readPoint: { id: 'urn:x:r', 'ex:floor': '2' } }],
      ['a place without id', { ...base, bizLocation: {} }],
      ['an action that is no text', { ...base, action: 1 }],
      ['an EPC list that is no list', { ...base, epcList: 'urn:x:1' }],
      ['an error declaration', { ...base, errorDeclaration: { declarationTime: '2026-12-06T10:00:00Z' } }],
      ['a vocabulary IRI outside bizStep and disposition', { ...base, epcList: ['cbv:Disp-active'] }],
      ['a comment', { ...base, comment: 'x' }],
      ['fields the repository leaves out', base, ['ex:captureID']],
    ];
    for (const [what, event, ignore] of others) {
      const context = { prefixes: {}, ...(ignore ? { ignore } : {}) };
      assert.equal(flatPreHashString(event, context), undefined, what);
      assert.equal(preHashString(event, context), generalPreHashString(event, context), what);
    }
  });
});
