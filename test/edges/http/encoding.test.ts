import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptsGzip } from '../../../src/edges/http/encoding.js';

test('Accept-Encoding: gzip is sent only where the client accepts it (RFC 9110 §12.5.3)', () => {
  for (const header of ['gzip', 'deflate, gzip;q=0.5', 'GZIP', 'x-gzip', '*', 'br, *;q=0.1', ['br', 'gzip']])
    assert.equal(acceptsGzip(header), true, String(header));
  for (const header of [
    undefined,
    '',
    'identity',
    'br, deflate',
    'gzip;q=0',
    'gzip;q=0.0, *',
    '*;q=0',
    'gzip;q=x',
  ])
    assert.equal(acceptsGzip(header), false, String(header));
});
