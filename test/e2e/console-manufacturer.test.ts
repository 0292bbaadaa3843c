/**
 * A manufacturer's main task in the console, in real Chromium on SQLite (browserStores): its reporter signs in, issues
 * IDs for a model, downloads their label sheet (a PDF whose pages hold the labels that fit and whose QR codes read back
 * as the issued robots' URLs), then reports one robot manufactured by the generated form and finds the event in the
 * robot's timeline and its part among the robot's components. Each page is axe-checked and screenshot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Download } from 'playwright-core';
import { browserForFile, openPage } from '../support/browser.js';
import { startBrowserRegistry, type BrowserRegistry } from '../support/browser-registry.js';
import { checkPage, choose, signInByForm, timelineTypes } from '../support/console.js';
import { manufacturerWithModel } from '../support/fixtures.js';
import { browserStores } from '../support/harness.js';
import { openPdf, qrInSquare } from '../support/pdf.js';
import { person } from '../support/people.js';

/** 40 mm labels go 4 across (190 mm of A4 between margins, 3 mm apart) and 5 down: 21 IDs take two pages. */
const COUNT = 21;
const SIZE_MM = 40;
const PER_PAGE = 20;
/** The top-left corner of the n-th label of the first row, in millimetres from the page's top-left corner. */
const firstRow = (n: number) => ({ x: 10 + n * (SIZE_MM + 3), y: 10, size: SIZE_MM });

const chromium = browserForFile();

async function bytesOf(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

for (const store of browserStores(import.meta.url)) {
  const tag = store.name.toLowerCase();
  describe(`a manufacturer in the console, on ${store.name}`, { timeout: 120_000 }, () => {
    let registry: BrowserRegistry;
    before(async () => {
      registry = await startBrowserRegistry({ postgres: store.postgres });
    });
    after(async () => {
      await registry?.close();
    });

    test('a reporter issues IDs, prints their label sheet, reports one manufactured and sees it in its timeline', async () => {
      const maker = await manufacturerWithModel(registry.h);
      const reporter = await person(registry.origin, maker.key, maker.org.id, 'reporter');
      const opened = await openPage(chromium().browser, `${registry.origin}/console/sign-in`);
      const { page } = opened;
      await signInByForm(page, reporter);

      // Issue: the model chosen from the organisation's own, and how many.
      await page.getByRole('link', { name: 'Issue IDs' }).click();
      await page.waitForURL(/\/console\/issue$/);
      await choose(page, 'Model', maker.model.code);
      await page.getByLabel('How many').fill(String(COUNT));
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/v1/ids') && r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Issue the IDs' }).click(),
      ]);
      const ids = ((await answer.json()) as { ids: string[] }).ids;
      assert.equal(ids.length, COUNT);
      await page.getByText(`${COUNT} IDs issued`).waitFor();
      const listed = await page.getByTestId('issued-id').allInnerTexts();
      assert.deepEqual(listed, ids.slice(0, listed.length), 'the page lists the IDs issued, in order');
      await checkPage(opened, `manufacturer-issue-${tag}`);

      // The label sheet: a PDF download, two A4 pages, each label's QR code the robot's URL.
      await page.getByLabel('Label width').fill(String(SIZE_MM));
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download the label sheet' }).click(),
      ]);
      assert.match(download.suggestedFilename(), /^robot-labels-.+\.pdf$/);
      const pdf = await openPdf(await bytesOf(download));
      assert.equal(pdf.numPages, Math.ceil(COUNT / PER_PAGE));
      const urlOf = (printed: string) => `${registry.origin}/r/${printed}`;
      const firstRowRead = [];
      for (let n = 0; n < 4; n++) firstRowRead.push(await qrInSquare(pdf, 1, firstRow(n), 200));
      assert.deepEqual(firstRowRead, ids.slice(0, 4).map(urlOf));
      assert.equal(await qrInSquare(pdf, 2, firstRow(0), 200), urlOf(ids[PER_PAGE]!), 'the 21st, overleaf');

      // One of them reported manufactured, by the form the registry's payload schema makes.
      const robot = ids[0]!;
      await page.getByTestId('issued-id').first().click();
      await page.waitForURL(/\/console\/robots\/[^/]+$/);
      await page.getByRole('main').getByRole('link', { name: 'Report' }).click();
      await page.waitForURL(/\/console\/report\/[^/]+$/);
      await page.getByRole('radio', { name: 'Manufactured' }).check();
      await page.getByLabel('Production date').fill(new Date().toISOString().slice(0, 10));
      await page.getByRole('button', { name: 'Add to Components' }).click();
      const part = page.getByRole('group', { name: 'Components' });
      await choose(page, 'Kind', 'Actuator');
      await part.getByLabel('Manufacturer').fill('Harmonic Joints Co');
      await part.getByLabel('Part number').fill('HJ-40');
      await part.getByLabel('Serial').fill(`HJ40-${robot.slice(-8)}`);
      await checkPage(opened, `manufacturer-report-${tag}`);
      await page.getByRole('button', { name: 'Send the report' }).click();
      await page.getByText('Manufactured: reported.').waitFor();

      // The robot's page: the event in its timeline, the part among its components.
      await page.getByRole('button', { name: 'See the robot’s timeline' }).click();
      assert.deepEqual(await timelineTypes(page), ['manufactured']);
      await page.getByRole('cell', { name: `HJ40-${robot.slice(-8)}` }).waitFor();
      await checkPage(opened, `manufacturer-robot-${tag}`);
      await opened.close();
    });
  });
}
