import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { canonicalContent, prepareEvents } from '../../src/app/capture/prepare.js';
import { canonicalJson } from '../../src/lib/canonical-json.js';

const robotId = 'CN0001W1NK2AR0000000000000001';

test('the content hash is SHA-256 of the RFC 8785 form of the whole event without its id', () => {
  const payloads = [
    { kind: 'maintenance', description: 'lubrication' },
    { z: 1, a: [3, 2, { y: 'ü', b: null }], é: 1.5e-7, '\u20ac': true, A: 'quote " and \\ backslash' },
    {},
  ];
  for (const payload of payloads) {
    const eventTime = '2026-01-01T08:00:00.000Z';
    const fromParts = canonicalContent('serviced', robotId, eventTime, canonicalJson(payload));
    assert.equal(fromParts, canonicalJson({ type: 'serviced', robotId, eventTime, payload }));
  }
  const [prepared] = prepareEvents([
    {
      type: 'serviced',
      robotId: robotId.toLowerCase(),
      eventTime: '2026-01-01T16:00:00+08:00',
      payload: { description: 'lubrication', kind: 'maintenance' },
    },
  ]);
  assert.ok(prepared?.ok);
  const expected = createHash('sha256')
    .update(
      canonicalJson({
        eventTime: '2026-01-01T08:00:00.000Z',
        payload: { kind: 'maintenance', description: 'lubrication' },
        robotId,
        type: 'serviced',
      }),
    )
    .digest('hex');
  assert.equal(prepared.prepared.contentHash, expected, 'ID and time are hashed in their normalised forms');
  assert.equal(prepared.prepared.payloadJson, '{"description":"lubrication","kind":"maintenance"}');
  assert.match(prepared.prepared.eventId, /^urn:uuid:[0-9a-f-]{36}$/);
  assert.equal(prepared.prepared.clientEventId, false);
});

test('preparation rejects malformed events with the field and reason, and keeps their place', () => {
  const results = prepareEvents([
    { type: 'serviced', robotId, eventTime: '2026-01-01T08:00:00Z', payload: { kind: 'maintenance' } },
    {
      type: 'serviced',
      robotId: 'CN0001W1NK2AR000000000000000I',
      eventTime: '2026-01-01T08:00:00Z',
      payload: { kind: 'maintenance' },
      eventId: 'e-2',
    },
    { type: 'serviced', robotId, eventTime: 'yesterday', payload: { kind: 'maintenance' } },
  ]);
  assert.deepEqual(
    results.map((r) => r.ok),
    [true, false, false],
  );
  const [, badId, badTime] = results;
  assert.ok(badId && !badId.ok && badTime && !badTime.ok);
  assert.equal(badId.result.index, 1);
  assert.equal(badId.result.eventId, 'e-2');
  assert.equal(badId.result.problem?.fields[0]?.field, '/events/1/robotId');
  assert.equal(badTime.result.problem?.fields[0]?.field, '/events/2/eventTime');
});
