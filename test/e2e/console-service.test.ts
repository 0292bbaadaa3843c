/**
 * A service shop's main task in the console, on a 375 px wide phone in real Chromium, on SQLite (browserStores): its
 * reporter signs in, opens the robot by pointing the phone's camera at its QR label (Chromium's fake camera showing the
 * label the registry renders), reports a service in which a knee actuator was replaced, and finds the new part among
 * the robot's components and the old one among those before. The robot is in use at its operator, which has authorised
 * the shop. No page is wider than the phone; each is axe-checked and screenshot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { fakeCameraArgs, launchBrowser, openPage, type LaunchedBrowser } from '../support/browser.js';
import { startBrowserRegistry, type BrowserRegistry } from '../support/browser-registry.js';
import { checkPage, choose, scrollWidth, signInByForm, timelineTypes } from '../support/console.js';
import { browserStores } from '../support/harness.js';
import { actuatorSerial, intoUse, supplyChain } from '../support/lifecycle.js';
import { person } from '../support/people.js';

const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };
const HOUR_MS = 3_600_000;

/** Fails when the page is wider than the phone: a person would scroll sideways to read it. */
async function assertFitsPhone(page: Page, what: string) {
  const width = await scrollWidth(page);
  assert.ok(width <= PHONE.viewport.width, `${what} is ${width} px wide on a 375 px phone`);
}

for (const store of browserStores(import.meta.url)) {
  const tag = store.name.toLowerCase();
  describe(`a service shop in the console on a phone, on ${store.name}`, { timeout: 120_000 }, () => {
    let registry: BrowserRegistry;
    let phone: LaunchedBrowser | undefined;
    before(async () => {
      registry = await startBrowserRegistry({ postgres: store.postgres });
    });
    after(async () => {
      await phone?.close();
      await registry?.close();
    });

    test('a reporter scans a robot’s label, reports a part replaced, and sees the new part now and the old before', async () => {
      const chain = await supplyChain(registry.h, 1);
      const robot = chain.robots[0]!;
      await intoUse(registry.h, chain, robot);
      // The operator lets the shop service its robot (from an hour ago: the form's time is whole minutes).
      const now = Date.now();
      const grant = await registry.h.call('POST', `/v1/robots/${robot}/service-authorisations`, {
        key: chain.operator.key,
        body: {
          serviceProviderId: chain.serviceCo.org.id,
          validFrom: new Date(now - HOUR_MS).toISOString(),
          validUntil: new Date(now + 24 * HOUR_MS).toISOString(),
        },
      });
      assert.equal(grant.status, 201, JSON.stringify(grant.body));
      const label = await fetch(`${registry.origin}/v1/robots/${robot}/label.png`);
      assert.equal(label.status, 200);
      phone = await launchBrowser({ args: fakeCameraArgs(Buffer.from(await label.arrayBuffer())) });
      const technician = await person(
        registry.origin,
        chain.serviceCo.key,
        chain.serviceCo.org.id,
        'reporter',
      );

      const opened = await openPage(phone.browser, `${registry.origin}/console/sign-in`, {
        context: PHONE,
        prepare: (context) => context.grantPermissions(['camera'], { origin: registry.origin }),
      });
      const { page } = opened;
      await assertFitsPhone(page, 'sign-in');
      await signInByForm(page, technician);
      await assertFitsPhone(page, 'the to-do page');

      // Report, then the camera: the scanner reads the label and opens the robot's report page.
      await page.getByRole('link', { name: 'Report', exact: true }).click();
      await page.getByRole('button', { name: 'Scan a label' }).waitFor();
      await assertFitsPhone(page, 'the report page');
      await checkPage(opened, `service-report-start-${tag}`);
      await page.getByRole('button', { name: 'Scan a label' }).click();
      await page.waitForURL(/\/console\/report\/[^/]+$/);
      assert.equal(decodeURIComponent(page.url().split('/').pop()!).slice(0, 29), robot);

      // The service: a repair in which the knee actuator fitted at manufacture was replaced.
      const newSerial = `HJ40-NEW-${robot.slice(-6)}`;
      await page.getByRole('radio', { name: 'Serviced' }).check();
      await choose(page, page.getByRole('combobox', { name: 'Kind' }).first(), 'Repair');
      await page.getByRole('button', { name: 'Add to Parts replaced' }).click();
      const old = page.getByRole('group', { name: 'Old part' });
      await old.getByLabel('Manufacturer').fill('Harmonic Joints Co');
      await old.getByLabel('Part number').fill('HJ-40');
      await old.getByLabel('Serial').fill(actuatorSerial(robot));
      const fitted = page.getByRole('group', { name: 'New part' });
      await choose(page, fitted.getByRole('combobox', { name: 'Kind' }), 'Actuator');
      await fitted.getByLabel('Manufacturer').fill('Harmonic Joints Co');
      await fitted.getByLabel('Part number').fill('HJ-40');
      await fitted.getByLabel('Serial').fill(newSerial);
      await fitted.getByLabel('Lot').fill('LOT-2026-07');
      await assertFitsPhone(page, 'the service form');
      await checkPage(opened, `service-form-${tag}`);
      await page.getByRole('button', { name: 'Send the report' }).click();
      await page.getByText('Serviced: reported.').waitFor();

      // The robot's page: the service in its timeline, the new part now, the old one before.
      await page.getByRole('button', { name: 'See the robot’s timeline' }).click();
      assert.equal((await timelineTypes(page)).at(-1), 'serviced');
      // The shop may correct its own report only, not the manufacturer's or the certifier's.
      const corrections = page.getByTestId('timeline-event').getByRole('link', { name: 'Correct' });
      assert.equal(await corrections.count(), 1);
      assert.match((await corrections.getAttribute('href'))!, /[?&]type=corrected&/);
      assert.equal(
        await page.locator('[data-type="serviced"]').getByRole('link', { name: 'Correct' }).count(),
        1,
      );
      const fittedNow = page.getByRole('region', { name: 'Components now' });
      await fittedNow.getByRole('cell', { name: newSerial }).waitFor();
      assert.equal(await fittedNow.getByRole('cell', { name: actuatorSerial(robot) }).count(), 0);
      const removed = page.getByRole('region', { name: 'Components before (replaced in service)' });
      await removed.getByRole('cell', { name: actuatorSerial(robot) }).waitFor();
      await assertFitsPhone(page, 'the robot page');
      await checkPage(opened, `service-robot-${tag}`);

      // The same page in Chinese, as the shop's staff may read it: still fits the phone.
      await page.getByRole('button', { name: '中文' }).click();
      await page.getByRole('region', { name: '当前部件' }).waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      await assertFitsPhone(page, 'the robot page in Chinese');
      await checkPage(opened, `service-robot-zh-${tag}`);
      await opened.close();
    });
  });
}
