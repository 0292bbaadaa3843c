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

  test('the label endpoints return a QR code that reads back the robot URL, at physical sizes', async () => {
    const m = await manufacturerWithModel(h);
    const issued = await h.call('POST', '/v1/ids', { key: m.key, body: { model: m.model.code, count: 1 } });
    const printed = issued.body.ids[0] as string;
    const res = await h.app.inject({
      method: 'GET',
      url: `/v1/robots/${printed}/label.png?size=20mm&dpi=203`,
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.headers['content-disposition'], `inline; filename="${printed}.png"`);
    const png = PNG.sync.read(res.rawPayload);
    assert.equal(png.width, Math.round((20 * 203) / 25.4));
    assert.equal(decodeQr(png), `https://registry.test/r/${printed}`);
    const svg = await h.call('GET', `/v1/robots/${printed}/label.svg?size=40`);
    assert.equal(svg.status, 200);
    assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
    assert.match(svg.body, /<svg [^>]*width="39\.\d+mm"/);
    assert.ok(svg.body.includes(`CN-${printed.slice(2, 6)}-`), 'the display form is in the description');
    const zpl = await h.call('GET', `/v1/robots/${printed}/label.zpl?dpi=203`);
    assert.equal(zpl.status, 200);
    assert.equal(zpl.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(
      zpl.body,
      /^\^XA\n[\s\S]*\^BQN,2,5\^FH\^FDMM,B\d{4}https:\/\/registry\.test\/r\/[\s\S]*\^XZ\n$/,
    );
    assert.equal((await h.call('GET', `/v1/robots/${printed.slice(0, 29)}ZZ/label.png`)).status, 400);
    for (const [query, field, message] of [
      ['size=12mm', 'query:/size', /from 20mm to 100mm/],
      ['size=20mm&dpi=100', 'query:/size', /too small for 100 dpi/],
      ['size=big', 'query:/size', /must be a width in millimetres, such as 30mm/],
      ['dpi=50', 'query:/dpi', />= 100/],
      ['scale=4', 'query:/scale', /unknown field/],
    ] as const) {
      const refused = await h.call('GET', `/v1/robots/${printed}/label.png?${query}`);
      assert.equal(refused.status, 400, query);
      assert.equal(refused.body.errors[0].field, field, query);
      assert.match(refused.body.errors[0].message, message, query);
    }
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
