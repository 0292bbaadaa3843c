import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epcKey, lifecycleTypesFor, matchesQuery } from '../../src/domain/epcis/query.js';

const BASE = 'https://registry.example.cn';
const ID = 'CN0001H00001R0000000000000001';

test('the lifecycle types whose exports can match: the store reads only those', () => {
  assert.equal(lifecycleTypesFor({}), undefined);
  assert.deepEqual(lifecycleTypesFor({ bizSteps: ['urn:epcglobal:cbv:bizstep:repairing'] }), [
    'serviced',
    'corrected',
  ]);
  assert.deepEqual(lifecycleTypesFor({ dispositions: ['non_conformant'] }), ['certified', 'corrected']);
  assert.deepEqual(lifecycleTypesFor({ eventTypes: ['AssociationEvent'] }), [
    'manufactured',
    'serviced',
    'recycled',
    'corrected',
  ]);
  assert.deepEqual(lifecycleTypesFor({ bizSteps: ['shipping'], errorDeclared: true }), ['corrected']);
  assert.deepEqual(lifecycleTypesFor({ bizSteps: ['stocking'] }), [], 'no lifecycle event is written so');
  assert.deepEqual(lifecycleTypesFor({ eventTypes: ['TransformationEvent'] }), []);
});

test('a robot matches by any of its names; times compare as instants, whatever their offsets', () => {
  const printed = `${BASE}/r/${ID}`;
  assert.equal(epcKey(`urn:robotid:robot:${ID}`, BASE), epcKey(printed, BASE));
  const e = {
    type: 'ObjectEvent',
    eventTime: '2026-03-01T08:00:00+08:00',
    epcList: [printed],
    action: 'OBSERVE',
  };
  assert.ok(matchesQuery(e, { epcs: [`urn:robotid:robot:${ID}`] }, BASE));
  assert.ok(!matchesQuery(e, { epcs: [`urn:robotid:robot:${ID.slice(0, -1)}2`] }, BASE));
  assert.ok(matchesQuery(e, { eventTimeFrom: Date.parse('2026-03-01T00:00:00Z') }, BASE));
  assert.ok(!matchesQuery(e, { eventTimeBefore: Date.parse('2026-03-01T00:00:00Z') }, BASE));
  assert.ok(!matchesQuery(e, { parentIds: [printed] }, BASE), 'an ObjectEvent has no parentID');
  assert.ok(!matchesQuery(e, { errorDeclared: true }, BASE));
});
