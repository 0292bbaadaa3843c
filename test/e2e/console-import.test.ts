/**
 * Bulk import in the console, in real Chromium on SQLite (browserStores): a manufacturer's reporter uploads a CSV of
 * manufacture reports with good and bad rows (a robot the registry does not know, a second manufacture the state
 * machine forbids, a date that does not exist, a mistyped robot ID), maps the columns, imports; the progress reaches
 * 100 %, the good rows are in the robots' histories (read through the API), and the rejected-rows file downloaded holds
 * exactly the bad rows with their reasons. Then an XLSX file, imported twice: the second time every good row is
 * answered as already recorded. The page is axe-checked and screenshot, also 375 px wide.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { Download, Page } from 'playwright-core';
import { enUS } from '../../console/src/i18n/en-US.js';
import { formatRobotId } from '../../src/domain/id/index.js';
import { browserForFile, openPage, type OpenedPage } from '../support/browser.js';
import { startBrowserRegistry, type BrowserRegistry } from '../support/browser-registry.js';
import { checkPage, choose, scrollWidth, signInByForm } from '../support/console.js';
import { manufacturerWithModel } from '../support/fixtures.js';
import { browserStores } from '../support/harness.js';
import { person } from '../support/people.js';

const chromium = browserForFile();

async function textOf(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** An instant `minutes` ago, as RFC 3339 in UTC: within every reporting deadline, never in the future. */
const ago = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
/** Yesterday's date: a production date before every event time of the files. */
const productionDay = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/** The file chosen in the page's file picker, and the page's reading of it. */
async function upload(page: Page, name: string, mimeType: string, buffer: Buffer) {
  await page.locator('input[type=file]').setInputFiles({ name, mimeType, buffer });
  await page.getByText(new RegExp(`^${name.replace('.', '\\.')}: \\d+ rows$`)).waitFor();
}

/** Chooses in a searchable select (a long list: antd draws only the options in view) by typing what is wanted. */
async function chooseBySearch(page: Page, name: string, option: string) {
  const select = page.getByRole('combobox', { name, exact: true });
  await select.click();
  await select.fill(option);
  const open = page.locator('.ant-select-dropdown').filter({ visible: true });
  await open.locator('.ant-select-item-option', { hasText: option }).first().click();
  await open.first().waitFor({ state: 'hidden' });
}

/** Imports the file mapped on the page and waits for the end; the counts the page shows. */
async function importAndWait(page: Page, rows: number) {
  await page.getByRole('button', { name: `Import ${rows} rows` }).click();
  await page.getByText(enUS.import.done).waitFor({ timeout: 30_000 });
  const progress = page.getByRole('progressbar', { name: enUS.import.progress });
  assert.equal(await progress.getAttribute('aria-valuenow'), '100');
  const count = async (id: string) =>
    Number(
      (await page.getByTestId(id).locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''),
    );
  return {
    recorded: await count('import-recorded'),
    duplicates: await count('import-duplicates'),
    rejected: await count('import-rejected'),
  };
}

/** The rejected-rows file the page offers, read as CSV (its BOM dropped). */
async function rejectedRows(page: Page): Promise<{ name: string; rows: string[][] }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: enUS.import.downloadRejected }).click(),
  ]);
  const text = await textOf(download);
  assert.ok(text.startsWith('\uFEFF'));
  return {
    name: download.suggestedFilename(),
    rows: Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data,
  };
}

for (const store of browserStores(import.meta.url)) {
  const tag = store.name.toLowerCase();
  describe(`bulk import in the console, on ${store.name}`, { timeout: 120_000 }, () => {
    let registry: BrowserRegistry;
    let key: string;
    let ids: string[];
    let opened: OpenedPage;
    before(async () => {
      registry = await startBrowserRegistry({ postgres: store.postgres });
      const maker = await manufacturerWithModel(registry.h);
      key = maker.key;
      const issued = await registry.h.call('POST', '/v1/ids', {
        key,
        body: { model: maker.model.code, count: 5 },
      });
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      ids = issued.body.ids;
      const reporter = await person(registry.origin, key, maker.org.id, 'reporter');
      opened = await openPage(chromium().browser, `${registry.origin}/console/sign-in`);
      await signInByForm(opened.page, reporter);
    });
    after(async () => {
      await opened?.close();
      await registry?.close();
    });

    const history = async (id: string) => {
      const answer = await registry.h.call('GET', `/v1/robots/${id}/events`, { key });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.events as { type: string; eventId: string; payload: Record<string, unknown> }[];
    };

    test('a CSV with good and bad rows: the good ones recorded, the bad ones in the rejected-rows file', async () => {
      const { page } = opened;
      await page.getByRole('link', { name: 'Import', exact: true }).click();
      await page.waitForURL(/\/console\/import$/);
      await checkPage(opened, `import-${tag}`);

      const unknown = formatRobotId({
        country: 'CN',
        enterprise: 'ZZZZ',
        model: 'ZZZZZZ',
        serial: '9'.repeat(17),
      });
      const mistyped = `${ids[2]!.slice(0, -1)}${ids[2]!.endsWith('0') ? '1' : '0'}`;
      const header = [
        'Robot ID',
        'When',
        'Production date',
        'Factory',
        'colour',
        'software.0.target',
        'Version',
      ];
      const line = (id: string, when: string) => [
        id,
        when,
        productionDay(),
        'Plant 7',
        'blue',
        'motion_os',
        '3.2.1',
      ];
      const rows = [
        line(ids[0]!, ago(50)), // row 2: recorded
        line(unknown.printed, ago(49)), // row 3: no such robot
        line(ids[1]!, ago(48)), // row 4: recorded
        line(ids[0]!, ago(47)), // row 5: manufactured already: the state machine refuses
        line(ids[2]!, '2026-02-30 10:00'), // row 6: no such day
        line(mistyped, ago(46)), // row 7: the check characters catch it
      ];
      const csv = Papa.unparse([header, ...rows]);
      await upload(page, 'factory.csv', 'text/csv', Buffer.from(csv));

      // The proposal: the ID, time, date, software by path and by label; Factory unknown, mapped by the person.
      await choose(page, 'Event type', 'Manufactured');
      const mapped = (name: string) =>
        page
          .getByRole('combobox', { name, exact: true })
          .locator('xpath=ancestor::*[contains(@class,"ant-select")][1]');
      assert.match(await mapped('Robot ID').innerText(), /Robot ID/);
      assert.match(await mapped('When').innerText(), /When it happened/);
      assert.match(await mapped('Version').innerText(), /Software 1 · Version/);
      assert.match(await mapped('Factory').innerText(), /Ignore/);
      await chooseBySearch(page, 'Factory', 'Plant');
      await checkPage(opened, `import-mapping-${tag}`);
      await page.setViewportSize({ width: 375, height: 800 });
      await checkPage(opened, `import-mapping-375-${tag}`);
      assert.ok((await scrollWidth(page)) <= 375, 'no sideways scrolling on a phone');
      await page.setViewportSize({ width: 1280, height: 800 });

      assert.deepEqual(await importAndWait(page, rows.length), { recorded: 2, duplicates: 0, rejected: 4 });
      await checkPage(opened, `import-result-${tag}`);

      // The good rows are in the robots' histories, with every mapped field.
      for (const id of [ids[0]!, ids[1]!]) {
        const events = await history(id);
        assert.deepEqual(
          events.map((e) => [e.type, e.payload]),
          [
            [
              'manufactured',
              {
                productionDate: productionDay(),
                plant: 'Plant 7',
                software: [{ target: 'motion_os', version: '3.2.1' }],
              },
            ],
          ],
        );
        assert.match(events[0]!.eventId, /^import-[0-9a-f]{32}$/);
      }
      assert.deepEqual(await history(ids[2]!), []);

      const file = await rejectedRows(page);
      assert.equal(file.name, 'factory-rejected.csv');
      assert.deepEqual(file.rows[0], [...header, 'row', 'field', 'reason']);
      const rejected = file.rows.slice(1);
      assert.deepEqual(
        rejected.map((r) => r.slice(0, header.length)),
        [rows[1], rows[3], rows[4], rows[5]],
        'exactly the bad rows, as the file had them',
      );
      assert.deepEqual(
        rejected.map((r) => r.slice(header.length, header.length + 2)),
        [
          ['3', 'Robot ID'],
          ['5', ''],
          ['6', 'When'],
          ['7', 'Robot ID'],
        ],
      );
      const reasons = rejected.map((r) => r.at(-1)!);
      assert.equal(reasons[0], 'not issued');
      assert.match(reasons[1]!, /manufactured/i);
      assert.equal(reasons[2], enUS.import.reasons.notATime);
      assert.equal(reasons[3], enUS.robotId.wrongCheck);
      opened.assertNoErrors();
    });

    test('an XLSX file imported twice: recorded the first time, answered as already recorded the second', async () => {
      const { page } = opened;
      await page.getByRole('button', { name: enUS.import.another }).click();
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Robots');
      sheet.addRow([
        'robotId',
        'eventTime',
        'productionDate',
        'components.0.kind',
        'components.0.manufacturer',
        'components.0.partNumber',
        'components.0.serial',
      ]);
      const productionDate = new Date(`${productionDay()}T00:00:00Z`); // a date cell: the day it shows
      sheet.addRow([
        ids[3],
        ago(30),
        productionDate,
        'actuator',
        'Harmonic Joints Co',
        'HJ-40',
        `HJ40-${ids[3]!.slice(-6)}`,
      ]);
      sheet.addRow([
        ids[4],
        ago(29),
        productionDate,
        'actuator',
        'Harmonic Joints Co',
        'HJ-40',
        `HJ40-${ids[4]!.slice(-6)}`,
      ]);
      sheet.addRow([ids[4], 'soon', productionDate, 'actuator', 'Harmonic Joints Co', 'HJ-40', 'HJ40-X']);
      const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
      const mime = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

      for (const [round, expected] of [
        [1, { recorded: 2, duplicates: 0, rejected: 1 }],
        [2, { recorded: 0, duplicates: 2, rejected: 1 }],
      ] as const) {
        await upload(page, 'robots.xlsx', mime, xlsx);
        await choose(page, 'Event type', 'Manufactured');
        assert.deepEqual(await importAndWait(page, 3), expected, `round ${round}`);
        const file = await rejectedRows(page);
        assert.equal(file.name, 'robots-rejected.csv', 'CSV for an XLSX file');
        assert.deepEqual(
          file.rows.slice(1).map((r) => r.slice(-3)),
          [['4', 'eventTime', enUS.import.reasons.notATime]],
        );
        await page.getByRole('button', { name: enUS.import.another }).click();
      }
      const events = await history(ids[3]!);
      assert.equal(events.length, 1);
      assert.deepEqual(events[0]!.payload.components, [
        {
          kind: 'actuator',
          manufacturer: 'Harmonic Joints Co',
          partNumber: 'HJ-40',
          serial: `HJ40-${ids[3]!.slice(-6)}`,
        },
      ]);
      opened.assertNoErrors();
    });
  });
}
