import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { buildServer } from '../../../src/edges/http/server.js';
import { manufacturerWithModel } from '../../support/fixtures.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { decodeQr } from '../../support/qr.js';

describe('HTTP conventions', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('health and readiness; every answer says how long the registry took (Server-Timing)', async () => {
    const health = await h.call('GET', '/healthz');
    assert.deepEqual(health.body, { status: 'ok' });
    const timing = /^app;dur=(\d+\.\d{2})$/.exec(String(health.headers['server-timing']));
    assert.ok(timing && Number(timing[1]) > 0, `Server-Timing: ${health.headers['server-timing']}`);
    assert.deepEqual((await h.call('GET', '/readyz')).body, { status: 'ready' });
  });

  test('malformed JSON, wrong media type, oversized bodies and unknown routes are problem documents', async () => {
    const malformed = await h.call('POST', '/v1/ids', {
      key: h.adminKey,
      body: '{"model": "H1X9B4", "count": ',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.type, 'urn:robotid:problem:malformed-json');
    const media = await h.call('POST', '/v1/ids', {
      key: h.adminKey,
      body: 'model=x',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(media.status, 415);
    assert.equal(media.body.type, 'urn:robotid:problem:unsupported-media-type');
    const huge = JSON.stringify({
      model: 'H1X9B4',
      serials: Array.from({ length: 60_000 }, () => 'A'.repeat(17)),
    });
    const big = await h.call('POST', '/v1/ids', {
      key: h.adminKey,
      body: huge,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(big.status, 413);
    assert.equal(big.body.type, 'urn:robotid:problem:body-too-large');
    const route = await h.call('GET', '/v1/nothing-here');
    assert.equal(route.status, 404);
    assert.equal(route.body.type, 'urn:robotid:problem:route-not-found');
    assert.equal(route.body.instance, '/v1/nothing-here');
  });

  test('prototype poisoning is refused', async () => {
    const res = await h.call('POST', '/v1/organisations', {
      key: h.adminKey,
      body: '{"name":"x","roles":["seller"],"jurisdiction":"CN","registrationNumber":"x","__proto__":{"admin":true}}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 400);
  });

  test('the label endpoint returns a QR code that reads back the robot URL', async () => {
    const m = await manufacturerWithModel(h);
    const issued = await h.call('POST', '/v1/ids', { key: m.key, body: { model: m.model.code, count: 1 } });
    const printed = issued.body.ids[0] as string;
    const res = await h.app.inject({ method: 'GET', url: `/v1/robots/${printed}/label.png?scale=4` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    const png = PNG.sync.read(res.rawPayload);
    assert.equal(decodeQr(png), `https://registry.test/r/${printed}`);
    const svg = await h.call('GET', `/v1/robots/${printed}/label.svg`);
    assert.equal(svg.status, 200);
    assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
    assert.ok(svg.body.includes(`CN-${printed.slice(2, 6)}-`), 'the display form is printed');
    assert.equal((await h.call('GET', `/v1/robots/${printed.slice(0, 29)}ZZ/label.png`)).status, 400);
  });

  test('/r/<ID> answers browsers with HTML and API clients with JSON', async () => {
    const m = await manufacturerWithModel(h, {
      code: 'R2D2C3',
      name: 'Helper <b>',
      category: 'household',
      capabilityLevel: 'L2',
    });
    const issued = await h.call('POST', '/v1/ids', { key: m.key, body: { model: 'R2D2C3', count: 1 } });
    const id = issued.body.ids[0];
    const html = await h.call('GET', `/r/${id}`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(html.status, 200);
    assert.match(String(html.headers['content-type']), /text\/html/);
    assert.ok(html.body.includes('Helper &lt;b&gt;'), 'names are escaped');
    const json = await h.call('GET', `/r/${id}`, { headers: { accept: 'application/json' } });
    assert.equal(json.body.id, id.slice(0, 29));
    const missing = await h.call('GET', `/r/${id.slice(0, 12)}R0000000099999999`, {
      headers: { accept: 'text/html' },
    });
    assert.equal(missing.status, 404);
    assert.match(String(missing.headers['content-type']), /text\/html/);
  });

  test('the committed openapi.json is the document the server generates', async () => {
    const served = await h.call('GET', '/openapi.json');
    assert.equal(served.body.openapi, '3.1.0');
    const committed = JSON.parse(readFileSync('openapi.json', 'utf8'));
    // The same whatever the registry's public URL (the harness's is not the one openapi.json is written with).
    assert.deepEqual(committed, served.body, 'run `npm run openapi` after changing the API');
    assert.deepEqual(
      served.body.servers.map((s: { url: string }) => s.url),
      ['/'],
    );
  });

  test('interactive API docs are served', async () => {
    const app = await buildServer(h.ctx, { docsUi: true });
    try {
      const res = await app.inject({ method: 'GET', url: '/docs/' });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /swagger/i);
    } finally {
      await app.close();
    }
  });
});
