/**
 * The browser harness itself (test/support/browser.ts): each of its checks can fail, and its fakes work in the real
 * Chromium, over pages a small local server serves.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import QRCode from 'qrcode';
import { measurePage } from '../../bench/browser.js';
import {
  addVirtualAuthenticator,
  assertAccessible,
  cameraFrame,
  fakeCameraArgs,
  launchBrowser,
  openPage,
  screenshot,
  seriousViolations,
  type LaunchedBrowser,
} from '../support/browser.js';
import { browserStores, POSTGRES_BROWSER_JOURNEY } from '../support/harness.js';
import { decodeQr } from '../support/qr.js';

const page = (body: string, head = '') =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harness</title><link rel="icon" href="data:,">${head}</head><body><main>${body}</main></body></html>`;

const PAGES: Record<string, string> = {
  '/fine': page('<h1>Fine</h1><p>Nothing wrong here.</p>'),
  '/throws': page('<h1>Throws</h1><script>throw new Error("broken on purpose")</script>'),
  '/logs-error': page('<h1>Logs</h1><script>console.error("logged on purpose")</script>'),
  // An image without a text alternative (critical) and a button with no name (critical).
  '/inaccessible': page(
    '<h1>Inaccessible</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button>',
  ),
  '/blank': page('<h1>Blank</h1>'),
  // Usable 300 ms after its script runs: a mark, then an element.
  '/slow': page('<h1>Slow</h1><script src="/app.js"></script>'),
};

/** A script of a known size whose page is ready 300 ms after it runs. */
const APP_JS = `${'// filler that compresses\n'.repeat(2000)}setTimeout(() => {
  performance.mark('app-ready');
  document.body.insertAdjacentHTML('beforeend', '<p id="ready">ready</p>');
}, 300);
`;

function serve(): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/app.js') {
      response.writeHead(200, {
        'content-type': 'text/javascript',
        'content-length': Buffer.byteLength(APP_JS),
      });
      return response.end(APP_JS);
    }
    const html = PAGES[request.url ?? ''];
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html ?? 'not found');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      // localhost, not 127.0.0.1: WebAuthn needs a valid domain as its relying party ID.
      resolve({ server, origin: `http://localhost:${(server.address() as AddressInfo).port}` });
    }),
  );
}

describe('the browser harness', { timeout: 120_000 }, () => {
  let chromium: LaunchedBrowser;
  let server: Server;
  let origin: string;
  before(async () => {
    ({ server, origin } = await serve());
    chromium = await launchBrowser();
  });
  after(async () => {
    await chromium?.close();
    server?.close();
  });

  test('a page that loads cleanly opens, passes axe and can be screenshot', async () => {
    const opened = await openPage(chromium.browser, `${origin}/fine`);
    await assertAccessible(opened.page);
    const path = await screenshot(opened.page, 'harness-fine');
    assert.match(path, /test-artifacts\/screenshots\/harness-fine\.png$/);
    await opened.close();
  });

  test('a page error fails openPage', async () => {
    await assert.rejects(openPage(chromium.browser, `${origin}/throws`), /page error: broken on purpose/);
  });

  test('a console error fails openPage unless it is expected', async () => {
    await assert.rejects(
      openPage(chromium.browser, `${origin}/logs-error`),
      /console error: logged on purpose/,
    );
    const opened = await openPage(chromium.browser, `${origin}/logs-error`, { allowConsole: [/on purpose/] });
    await opened.close();
  });

  test('an error thrown after the page opened fails assertNoErrors', async () => {
    const opened = await openPage(chromium.browser, `${origin}/fine`);
    await opened.page.evaluate(() => setTimeout(() => Promise.reject(new Error('later on purpose')), 0));
    await opened.page.waitForTimeout(100);
    assert.throws(() => opened.assertNoErrors(), /later on purpose/);
    await opened.close();
  });

  test('serious and critical accessibility violations are reported, each by rule and element', async () => {
    const opened = await openPage(chromium.browser, `${origin}/inaccessible`);
    const found = await seriousViolations(opened.page);
    assert.ok(
      found.some((line) => /^\[critical\] image-alt: .*\n\s+at img:/.test(line)),
      found.join('\n'),
    );
    assert.ok(
      found.some((line) => /^\[critical\] button-name: /.test(line)),
      found.join('\n'),
    );
    await assert.rejects(assertAccessible(opened.page), /2 serious or critical accessibility violation\(s\)/);
    await opened.close();
  });

  test('axe scoped to parts of a page judges those parts only', async () => {
    const opened = await openPage(chromium.browser, `${origin}/inaccessible`);
    assert.deepEqual(await seriousViolations(opened.page, ['h1']), []);
    const inButton = await seriousViolations(opened.page, ['h1', 'button']);
    assert.equal(inButton.length, 1, inButton.join('\n'));
    assert.match(inButton[0]!, /^\[critical\] button-name: /);
    await opened.close();
  });

  test('the virtual authenticator creates a passkey and signs with it, without a person', async () => {
    const opened = await openPage(chromium.browser, `${origin}/blank`);
    const authenticator = await addVirtualAuthenticator(opened.page);
    const created: { id: string; type: string } = await opened.page.evaluate(`(async () => {
      const credential = await navigator.credentials.create({
        publicKey: {
          challenge: crypto.getRandomValues(new Uint8Array(32)),
          rp: { id: 'localhost', name: 'harness' },
          user: { id: new Uint8Array([1, 2, 3]), name: 'ada@example.test', displayName: 'Ada' },
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        },
      });
      return { id: credential.id, type: credential.type };
    })()`);
    assert.equal(created.type, 'public-key');
    const held = await authenticator.credentials();
    assert.equal(held.length, 1);
    assert.equal(held[0]!.isResidentCredential, true);
    // A discoverable sign-in (no credential named) finds it.
    const used: string = await opened.page.evaluate(`(async () => {
      const assertion = await navigator.credentials.get({
        publicKey: { challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: 'localhost', userVerification: 'required' },
      });
      return assertion.id;
    })()`);
    assert.equal(used, created.id);
    opened.assertNoErrors();
    await opened.close();
  });

  test('the bench measures time to interactive and the JavaScript a page loads', async () => {
    for (const ready of [{ mark: 'app-ready' }, { selector: '#ready' }, { text: 'ready' }]) {
      const figures = await measurePage(chromium.browser, `${origin}/slow`, { ready, runs: 2 });
      assert.equal(figures.runs, 2);
      assert.ok(figures.interactiveMs.median >= 300, JSON.stringify(figures));
      assert.ok(figures.interactiveMs.max < 5_000, JSON.stringify(figures));
      assert.equal(figures.scripts, 1);
      assert.equal(figures.jsBytes, Buffer.byteLength(APP_JS));
      // This server does not compress: the wire carries the script whole; gzip is what it would carry.
      assert.equal(figures.jsTransferredBytes, Buffer.byteLength(APP_JS));
      assert.equal(figures.jsGzipBytes, gzipSync(APP_JS, { level: 6 }).length);
    }
  });

  test('the fake camera delivers the image it was given: a QR code read back from a video frame', async () => {
    const text = 'https://registry.test/r/RB-HARNESS-CAMERA';
    const png = await QRCode.toBuffer(text, { scale: 6, margin: 4 });
    const camera = await launchBrowser({ args: fakeCameraArgs(png) });
    try {
      const opened = await openPage(camera.browser, `${origin}/blank`);
      assert.equal(decodeQr(await cameraFrame(opened.page)), text);
      opened.assertNoErrors();
      await opened.close();
    } finally {
      await camera.close();
    }
  });
});

// A rename of the journey kept on PostgreSQL would otherwise drop the console's only run on that store unseen.
test('one browser journey runs on PostgreSQL too, and its file exists; the others run on SQLite', () => {
  const root = new URL('../../', import.meta.url);
  const journey = new URL(POSTGRES_BROWSER_JOURNEY, root);
  assert.ok(existsSync(fileURLToPath(journey)), `${POSTGRES_BROWSER_JOURNEY} is missing`);
  assert.deepEqual(
    browserStores(journey.href).map((store) => store.name),
    ['SQLite', 'PostgreSQL'],
  );
  assert.deepEqual(
    browserStores(new URL('test/e2e/public-pages.test.ts', root).href).map((store) => store.name),
    ['SQLite'],
  );
});
