/**
 * The console's main task for an administrator, in real Chromium on both stores (the one browser journey on PostgreSQL
 * too: browserStores), over a registry with the demo's data: the invitation an organisation's API key made is accepted
 * in the browser, the person signs in with the password and the authenticator's code (computed here, as the app would),
 * lands at home, searches robots and opens one. Every page loads without a script, console or CSP error, has no serious
 * or critical accessibility violation, and is kept as a screenshot (test-artifacts/screenshots/console-*.png).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { browserForFile, openPage, type OpenedPage } from '../support/browser.js';
import {
  fillWithDemo,
  robotIn,
  startBrowserRegistry,
  type BrowserRegistry,
} from '../support/browser-registry.js';
import { checkPage, choose } from '../support/console.js';
import { browserStores } from '../support/harness.js';
import { freshTotpCode, invite } from '../support/people.js';

const chromium = browserForFile();

for (const store of browserStores(import.meta.url)) {
  const tag = store.name.toLowerCase();
  describe(`the console in Chromium, on ${store.name}`, { timeout: 240_000 }, () => {
    let registry: BrowserRegistry;
    before(async () => {
      registry = await startBrowserRegistry({ postgres: store.postgres });
      await fillWithDemo(registry);
    });
    after(async () => {
      await registry?.close();
    });

    const check = (opened: OpenedPage, name: string) => checkPage(opened, `${name}-${tag}`);

    test('an invited administrator joins, signs in with password and TOTP, searches robots and opens one', async () => {
      const robot = await robotIn(registry, 'in_use');
      const orgId = robot.manufacturer.id;
      const key = await registry.h.call('POST', `/v1/organisations/${orgId}/keys`, {
        key: registry.h.adminKey,
        body: { name: 'e2e' },
      });
      const email = `ada.${tag}@example.test`;
      const password = 'a long enough passphrase';
      const { link } = await invite(registry.origin, key.body.token, orgId, email, 'administrator');
      assert.ok(link.startsWith(`${registry.origin}/console/invitations/`), link);

      // The invitation: who invites, as what; then name and password.
      const opened = await openPage(chromium().browser, link);
      const { page } = opened;
      await page.getByText(robot.manufacturer.name).waitFor();
      await check(opened, 'invitation');
      await page.getByLabel('Your name').fill('Ada Lovelace');
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByLabel('Password again').fill(password);
      await page.getByRole('button', { name: 'Create my account' }).click();

      // The authenticator's secret, as a QR code and as text a person types into the app.
      const secret = (await page.getByTestId('totp-secret').innerText()).trim();
      assert.match(secret, /^[A-Z2-7]+=*$/);
      await page.getByRole('img', { name: 'QR code of your authenticator secret' }).waitFor();
      await check(opened, 'invitation-totp');

      await page.getByRole('link', { name: 'Go to sign-in' }).click();
      await page.waitForURL(/\/console\/sign-in/);
      await check(opened, 'sign-in');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByLabel('Authenticator code').fill(await freshTotpCode(secret));
      await page.getByRole('button', { name: 'Sign in' }).click();

      // Home: the organisation's to-do, signed in as the new person.
      await page.getByTestId('signed-in-as').waitFor();
      assert.match(await page.getByTestId('signed-in-as').innerText(), /Ada Lovelace/);
      await page.getByTestId('todo-lateReports').waitFor();
      await check(opened, 'home');
      await page.getByRole('link', { name: 'Robots', exact: true }).click();
      await page.waitForURL(/\/console\/robots/);

      // Search: a read states its purpose first, then filters by the robot's model, chosen with its maker (a model
      // code alone names no one model; the API takes it with the enterprise code).
      await choose(page, 'Purpose', 'Inspection');
      await page.getByRole('button', { name: 'Continue' }).click();
      const { enterpriseCode } = robot.manufacturer;
      await choose(page, 'Model', `${robot.model.name} (${enterpriseCode}-${robot.model.code})`);
      assert.equal(await page.getByLabel('Enterprise code').inputValue(), enterpriseCode);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(new RegExp(`enterpriseCode=${enterpriseCode}&modelCode=${robot.model.code}`));
      const results = page.getByRole('table').getByRole('link');
      await results.first().waitFor();
      assert.ok((await results.count()) > 0);
      await check(opened, 'robots');

      // A robot's page: its ID as the heading, its timeline.
      const first = (await results.first().innerText()).trim();
      await results.first().click();
      await page.waitForURL(/\/console\/robots\/[^/?]+$/);
      await page.getByTestId('timeline-event').first().waitFor();
      const heading = await page.getByRole('heading', { level: 1 }).innerText();
      // The heading shows the ID as printed (grouped, with its check characters); the list, its canonical form.
      assert.ok(heading.replaceAll('-', '').startsWith(first), `${heading} is the robot ${first}`);
      // Its proof bundle checked in the browser, with the log's own code: every event in the log, none left out.
      await page.locator('[data-testid="log-verdict"][data-verified="true"]').waitFor();
      await check(opened, 'robot');

      // In Chinese: the same page, every label translated (the i18n test checks the keys; this, what shows).
      await page.getByRole('button', { name: '中文' }).click();
      await page.locator('[aria-label="时间线"]').waitFor();
      await check(opened, 'robot-zh');
      await page.getByRole('button', { name: 'English' }).click();
      await page.locator('[aria-label="Timeline"]').waitFor();

      // An address with a model code alone (typed or shared by hand): the page says why, the API is not asked.
      const asked: string[] = [];
      page.on('request', (r) => asked.push(r.url()));
      await page.goto(`${registry.origin}/console/robots?modelCode=${robot.model.code}`);
      await page.getByRole('alert').getByText('A model code alone names no one model').waitFor();
      assert.deepEqual(
        asked.filter((url) => url.includes('/v1/robots?')),
        [],
      );
      opened.assertNoErrors();
      await opened.close();
    });
  });
}
