import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROBOT_URN_PREFIX, robotEpc, robotIdTextOf } from '../../src/domain/epcis/identifiers.js';

const BASE = 'https://registry.example.cn';
const ID = 'CNAB12XY34560000000000000123456';

describe('how EPCIS names a robot', () => {
  test('its EPC is the address its QR label encodes, and reads back to its ID', () => {
    const epc = robotEpc(`${BASE}/`, ID);
    assert.equal(epc, `${BASE}/r/${ID}`);
    assert.equal(robotIdTextOf(epc, BASE), ID);
  });

  test('the registry URN names it too, whatever the case of the prefix', () => {
    assert.equal(robotIdTextOf(`${ROBOT_URN_PREFIX}${ID}`, BASE), ID);
    assert.equal(robotIdTextOf(`URN:ROBOTID:ROBOT:${ID}`, BASE), ID);
  });

  test('another registry’s address, a sub-path, or a GS1 key is not one of the registry’s own forms', () => {
    assert.equal(robotIdTextOf(`https://elsewhere.example/r/${ID}`, BASE), undefined);
    assert.equal(robotIdTextOf(`${BASE}/r/${ID}/passport`, BASE), undefined);
    assert.equal(robotIdTextOf(`${BASE}/r/`, BASE), undefined);
    assert.equal(robotIdTextOf('urn:epc:id:sgtin:0614141.107346.2017', BASE), undefined);
  });
});
