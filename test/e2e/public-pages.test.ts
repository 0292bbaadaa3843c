/**
 * The registry's pages for people, in real Chromium on SQLite (browserStores): the landing page and its lookup box, the
 * scan page a phone opens from a nameplate's QR code (English and Chinese), and the API reference at /docs. Each page
 * loads without a script or console error, has no serious or critical accessibility violation, and is kept as a
 * screenshot (test-artifacts/screenshots/public-*.png).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible,
  cameraFrame,
  fakeCameraArgs,
  browserForFile,
  launchBrowser,
  openPage,
  screenshot,
} from '../support/browser.js';
import {
  fillWithDemo,
  robotIn,
  startBrowserRegistry,
  type BrowserRegistry,
} from '../support/browser-registry.js';
import { browserStores } from '../support/harness.js';
import { decodeQr } from '../support/qr.js';

const chromium = browserForFile();

for (const store of browserStores(import.meta.url)) {
  const tag = store.name.toLowerCase();
  describe(`the public pages in Chromium, on ${store.name}`, { timeout: 180_000 }, () => {
    let registry: BrowserRegistry;
    before(async () => {
      registry = await startBrowserRegistry({ postgres: store.postgres });
      await fillWithDemo(registry);
    });
    after(async () => {
      await registry?.close();
    });

    /** Opens `path`, checks it as every page is checked, keeps a screenshot; the caller goes on with the page. */
    async function visit(path: string, name: string, locale = 'en-GB') {
      const opened = await openPage(chromium().browser, `${registry.origin}${path}`, { context: { locale } });
      await assertAccessible(opened.page);
      await screenshot(opened.page, `public-${name}-${tag}`);
      return opened;
    }

    test('the landing page, in English and in Chinese; its lookup box finds a robot', async () => {
      const robot = await robotIn(registry, 'in_use');
      const en = await visit('/', 'landing-en');
      assert.equal(await en.page.getAttribute('html', 'lang'), 'en');
      // A person types the ID as the nameplate prints it, with a stray space or two.
      await en.page.getByRole('textbox').fill(` ${robot.display.replace('-', ' - ')} `);
      await Promise.all([en.page.waitForURL(/\/r\/[^?]+/), en.page.getByRole('button').click()]);
      assert.ok((await en.page.innerText('body')).includes(robot.display));
      await assertAccessible(en.page);
      en.assertNoErrors();
      await en.close();

      const zh = await visit('/', 'landing-zh', 'zh-CN');
      assert.equal(await zh.page.getAttribute('html', 'lang'), 'zh-CN');
      zh.assertNoErrors();
      await zh.close();
    });

    test('the scan page of a robot in use, in English and in Chinese (the language switch)', async () => {
      const robot = await robotIn(registry, 'in_use');
      const en = await visit(`/r/${robot.printed}`, 'scan-in-use-en');
      assert.ok((await en.page.innerText('body')).includes(robot.display));
      assert.ok((await en.page.innerText('body')).includes(robot.model.name));
      // The switch to the other language is a link with that language's name.
      await Promise.all([en.page.waitForURL(/lang=zh/), en.page.locator('nav.lang a').click()]);
      assert.equal(await en.page.getAttribute('html', 'lang'), 'zh-CN');
      await assertAccessible(en.page);
      await screenshot(en.page, `public-scan-in-use-zh-${tag}`);
      en.assertNoErrors();
      await en.close();
    });

    test('the scan page of a stolen robot shows the alert first, in both languages', async () => {
      const robot = await robotIn(registry, 'stolen');
      for (const [lang, locale] of [
        ['en', 'en-GB'],
        ['zh', 'zh-CN'],
      ] as const) {
        const opened = await visit(`/r/${robot.printed}`, `scan-stolen-${lang}`, locale);
        const alert = opened.page.getByRole('alert');
        assert.equal(await alert.count(), 1);
        assert.ok(await alert.isVisible());
        opened.assertNoErrors();
        await opened.close();
      }
    });

    test('a phone camera reads the nameplate label the registry renders, and opens its scan page', async () => {
      const robot = await robotIn(registry, 'in_use');
      const label = await fetch(`${registry.origin}/v1/robots/${robot.printed}/label.png`);
      assert.equal(label.status, 200);
      const phone = await launchBrowser({ args: fakeCameraArgs(Buffer.from(await label.arrayBuffer())) });
      try {
        const opened = await openPage(phone.browser, `${registry.origin}/`, {
          context: { locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true },
        });
        const url = decodeQr(await cameraFrame(opened.page));
        assert.equal(url, robot.url);
        await opened.page.goto(url!);
        assert.ok((await opened.page.innerText('body')).includes(robot.display));
        await assertAccessible(opened.page);
        await screenshot(opened.page, `public-scan-phone-zh-${tag}`);
        opened.assertNoErrors();
        await opened.close();
      } finally {
        await phone.close();
      }
    });

    // Axe judges what a person reads and uses, and what docs-ui.ts restyles: the API's description, the server
    // picker and Authorize, one operation of each method as listed (its coloured badge), and the operation opened to
    // be tried. The whole page took axe 19 s on a loaded machine (2,600 elements, 100 operations alike): this, 7 s.
    test('the API reference (/docs) lists the operations, and one opens to be tried', async () => {
      const opened = await openPage(chromium().browser, `${registry.origin}/docs`);
      await opened.page.locator('.opblock').first().waitFor();
      assert.ok((await opened.page.locator('.opblock').count()) > 20);
      await screenshot(opened.page, `public-docs-${tag}`);
      // Robot search: its parameters' form, ready to send.
      const robotSearch = '#operations-robots-findRobots';
      await opened.page.locator(`${robotSearch} .opblock-summary-control`).click();
      await opened.page.getByRole('button', { name: 'Try it out' }).click();
      await opened.page.getByRole('button', { name: 'Execute' }).waitFor();
      const oneOfEachMethod = await Promise.all(
        ['get', 'post', 'put', 'patch', 'delete'].map(
          async (method) =>
            `[id="${await opened.page.locator(`.opblock-${method}`).first().getAttribute('id')}"]`,
        ),
      );
      await assertAccessible(opened.page, [
        '.information-container',
        '.scheme-container',
        ...oneOfEachMethod,
        robotSearch,
      ]);
      await screenshot(opened.page, `public-docs-try-${tag}`);
      opened.assertNoErrors();
      await opened.close();
    });
  });
}
