import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  eventIdsOf,
  eventUri,
  organisationIdOf,
  organisationUri,
  partOf,
  partUri,
  partsEventUri,
} from '../../src/domain/epcis/uris.js';

const ROBOT = 'CN0001H00001R0000000000000001';
const UUID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('the URIs the registry writes into EPCIS', () => {
  test('an event: urn:uuid for a UUID, a URI as it is, else the registry URN with the robot; each reads back', () => {
    assert.equal(eventUri(ROBOT, UUID), `urn:uuid:${UUID}`);
    assert.deepEqual(eventIdsOf(`urn:uuid:${UUID}`), [{ eventId: `urn:uuid:${UUID}` }, { eventId: UUID }]);
    const hash = 'ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0';
    assert.equal(eventUri(ROBOT, hash), hash);
    assert.deepEqual(eventIdsOf(hash), [{ eventId: hash }]);
    const odd = 'batch 7/row:12 é';
    const uri = eventUri(ROBOT, odd);
    assert.equal(uri, `urn:robotid:event:${ROBOT}:batch%207%2Frow%3A12%20%C3%A9`);
    assert.deepEqual(eventIdsOf(uri), [{ robotId: ROBOT, eventId: odd }]);
    // The parts an event fitted or removed are events of their own that name the stored event too.
    const fitted = partsEventUri(ROBOT, UUID, 'fitted');
    assert.equal(fitted, `urn:robotid:event:${ROBOT}:${UUID}:fitted`);
    assert.deepEqual(eventIdsOf(fitted), [{ robotId: ROBOT, eventId: UUID }]);
    assert.deepEqual(eventIdsOf(`urn:robotid:event:${ROBOT}:x:other`), [
      { eventId: `urn:robotid:event:${ROBOT}:x:other` },
    ]);
  });

  test('an organisation, and a part by serial, lot or part number alone', () => {
    assert.equal(organisationIdOf(organisationUri('org_7')), 'org_7');
    assert.equal(organisationIdOf('urn:robotid:robot:X'), undefined);
    const serial = partUri({ partNumber: 'KA-200', serial: 'S:1' });
    assert.deepEqual(serial, { epc: 'urn:robotid:part:KA-200:S%3A1' });
    assert.deepEqual(partOf('urn:robotid:part:KA-200:S%3A1'), { partNumber: 'KA-200', serial: 'S:1' });
    assert.deepEqual(partUri({ partNumber: 'BP 9', lot: 'L1' }), { epcClass: 'urn:robotid:lot:BP%209:L1' });
    assert.deepEqual(partOf('urn:robotid:lot:BP%209:L1'), { partNumber: 'BP 9', lot: 'L1' });
    assert.deepEqual(partOf('urn:robotid:part-class:BP%209'), { partNumber: 'BP 9' });
    assert.equal(partOf('urn:robotid:part:only-one'), undefined, 'a serial URN has two parts');
    assert.equal(partOf('urn:epc:id:sgtin:0614141.107346.2017'), undefined);
  });
});
