/**
 * Browsers elsewhere (a foreign inspector's verifier page, /docs opened at another address) may call the API:
 * preflights are answered, answers carry Access-Control-Allow-Origin, never with credentials (docs/api.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../../support/harness.js';

const ORIGIN = 'https://verifier.inspectorate.example';

describe('CORS', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('a preflight for a keyed write with the registry’s own headers is answered 204', async () => {
    const started = performance.now();
    const res = await h.call('OPTIONS', '/v1/events', {
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, robotid-read-after',
      },
    });
    const elapsed = performance.now() - started;
    assert.equal(res.status, 204);
    // Timed from its arrival like any other answer (in-process: the same clock).
    const timing = /^app;dur=([\d.]+)$/.exec(String(res.headers['server-timing']));
    assert.ok(timing && Number(timing[1]) <= elapsed, `Server-Timing ${res.headers['server-timing']}`);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const allowed = String(res.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/);
    for (const header of ['authorization', 'content-type', 'robotid-purpose', 'robotid-read-after'])
      assert.ok(allowed.includes(header), `${header} in ${allowed.join(',')}`);
    assert.match(String(res.headers['access-control-allow-methods']), /\bDELETE\b/);
    assert.equal(res.headers['access-control-allow-credentials'], undefined);
  });

  test('OPTIONS without Origin, and for a path no route has, is answered, not a 404', async () => {
    assert.equal((await h.call('OPTIONS', '/v1/log/checkpoint')).status, 204);
    assert.equal((await h.call('OPTIONS', '/tlog/tile/0/000')).status, 204);
  });

  test('public reads, errors and a refused key are readable cross-origin, never with credentials', async () => {
    const checkpoint = await h.call('GET', '/tlog/checkpoint', { headers: { origin: ORIGIN } });
    assert.equal(checkpoint.status, 200);
    assert.equal(checkpoint.headers['access-control-allow-origin'], '*');
    assert.equal(checkpoint.headers['access-control-allow-credentials'], undefined);

    const refused = await h.call('GET', '/v1/me', { key: 'rid_nonsense', headers: { origin: ORIGIN } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['access-control-allow-origin'], '*');
    assert.match(String(refused.headers['access-control-expose-headers']), /www-authenticate/);

    const keyed = await h.call('POST', '/v1/log/checkpoints', {
      key: h.adminKey,
      headers: { origin: ORIGIN },
    });
    assert.equal(keyed.status, 201);
    assert.equal(keyed.headers['access-control-allow-origin'], '*');
    assert.match(String(keyed.headers['access-control-expose-headers']), /robotid-commit-position/);
  });
});
