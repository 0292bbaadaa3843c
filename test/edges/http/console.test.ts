// The console as the registry serves it (src/edges/http/routes/console.ts): a page for every /console/ path with a
// fresh CSP nonce, hashed assets cached for ever (compressed at build, for browsers that accept it), and 503 before
// the console is built.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompressAssets } from '../../../scripts/precompress-console.js';
import { buildServer } from '../../../src/edges/http/server.js';
import { DEFAULT_CONSOLE_DIR } from '../../../src/edges/http/routes/console.js';
import { startHarness, type Harness } from '../../support/harness.js';

const INDEX =
  '<!doctype html><html><head><meta name="csp-nonce" content="__CSP_NONCE__">' +
  '<script type="module" crossorigin src="/console/assets/index-AbC123.js"></script></head>' +
  '<body><div id="root"></div></body></html>';

/** The nonce the Content-Security-Policy allows styles with. */
const nonceOf = (csp: string) => /style-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];

describe('the console at /console/', () => {
  let h: Harness;
  let built: string;
  let empty: string;
  before(async () => {
    built = mkdtempSync(join(tmpdir(), 'robotid-console-'));
    mkdirSync(join(built, 'assets'));
    writeFileSync(join(built, 'index.html'), INDEX);
    writeFileSync(join(built, 'assets', 'index-AbC123.js'), 'console.log("console")\n');
    empty = mkdtempSync(join(tmpdir(), 'robotid-console-none-'));
    h = await startHarness({ server: { consoleDir: built } });
  });
  after(async () => {
    await h.close();
    rmSync(built, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  test('its page: not cached, a strict Content-Security-Policy, and the nonce put into the page', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/console/' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    const csp = String(res.headers['content-security-policy']);
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'self'",
    ])
      assert.ok(csp.split('; ').includes(directive), `${directive} in ${csp}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const nonce = nonceOf(csp);
    assert.ok(nonce && nonce.length >= 22, `a nonce of 128 bits in ${csp}`);
    assert.ok(res.body.includes(`<meta name="csp-nonce" content="${nonce}">`));
    assert.ok(!res.body.includes('__CSP_NONCE__'));
    const again = await h.app.inject({ method: 'GET', url: '/console/' });
    assert.notEqual(
      nonceOf(String(again.headers['content-security-policy'])),
      nonce,
      'a new nonce each time',
    );
  });

  test('every page of the console is its index.html, so that its address can be reloaded', async () => {
    for (const url of [
      '/console/sign-in',
      '/console/robots/CN0001H00001R0000000000000001AB',
      '/console/a/b/c?x=1',
    ]) {
      const res = await h.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<div id="root"><\/div>/, url);
      assert.ok(res.headers['content-security-policy'], url);
    }
    const bare = await h.app.inject({ method: 'GET', url: '/console' });
    assert.equal(bare.statusCode, 301);
    assert.equal(bare.headers.location, '/console/');
  });

  test('hashed assets are cached for ever; a missing one is 404, not the page', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/console/assets/index-AbC123.js' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(res.body, 'console.log("console")\n');
    const missing = await h.app.inject({ method: 'GET', url: '/console/assets/index-Gone99.js' });
    assert.equal(missing.statusCode, 404);
    assert.doesNotMatch(missing.body, /id="root"/);
  });

  test('an asset goes Brotli- or gzip-compressed to a browser that accepts it, as written at build, else as it is', async () => {
    // A module of some size, as the build writes them, and its copies as npm run build:console compresses them.
    const name = 'chunk-Zz9Yy8Xx.js';
    const file = Buffer.from(
      Array.from(
        { length: 400 },
        (_, i) => `export const value${i} = ${JSON.stringify(`text ${i * 7}`)};\n`,
      ).join(''),
    );
    writeFileSync(join(built, 'assets', name), file);
    await precompressAssets(join(built, 'assets'));
    const get = (acceptEncoding?: string) =>
      h.app.inject({
        method: 'GET',
        url: `/console/assets/${name}`,
        headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
      });
    const expectations = [
      { accept: 'gzip, deflate, br, zstd', encoding: 'br', decode: brotliDecompressSync },
      { accept: 'gzip', encoding: 'gzip', decode: gunzipSync },
      { accept: undefined, encoding: undefined, decode: (bytes: Buffer) => bytes },
      { accept: 'identity', encoding: undefined, decode: (bytes: Buffer) => bytes },
    ];
    for (const { accept, encoding, decode } of expectations) {
      const res = await get(accept);
      assert.equal(res.statusCode, 200, accept);
      assert.equal(res.headers['content-encoding'], encoding, accept);
      assert.match(String(res.headers['content-type']), /javascript/, accept);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', accept);
      assert.match(String(res.headers.vary), /accept-encoding/i, accept);
      if (encoding)
        assert.ok(res.rawPayload.length < file.length / 2, `${encoding}: ${res.rawPayload.length} bytes`);
      assert.deepEqual(decode(res.rawPayload), file, accept);
    }
  });

  test('503 console-not-built while there is no build', async () => {
    const app = await buildServer(h.ctx, { consoleDir: empty });
    try {
      for (const url of ['/console/', '/console/robots', '/console/assets/index-AbC123.js']) {
        const res = await app.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 503, url);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        assert.equal(res.json().type, 'urn:robotid:problem:console-not-built');
      }
    } finally {
      await app.close();
    }
  });

  test('the landing page links to the console', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/' });
    assert.match(res.body, /<a href="\/console\/">/);
  });

  // The real build (npm run build:console; npm install runs it): no inline script for the policy to refuse.
  test(
    'the built console has no inline script',
    { skip: !existsSync(join(DEFAULT_CONSOLE_DIR, 'index.html')) && 'not built' },
    () => {
      const html = readFileSync(join(DEFAULT_CONSOLE_DIR, 'index.html'), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      assert.ok(scripts.length > 0);
      for (const [, attributes, body] of scripts) {
        assert.match(attributes!, /\bsrc="\/console\/assets\/[^"]+-[A-Za-z0-9_-]{8}\.js"/);
        assert.equal(body!.trim(), '');
      }
      assert.ok(html.includes('__CSP_NONCE__'), 'the placeholder the server fills');
    },
  );
});
