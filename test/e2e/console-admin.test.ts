/**
 * A manufacturer's administrator in the console, in real Chromium on SQLite (browserStores): subscribes a webhook (its
 * signing secret shown once), registers a robot model (a taken code refused on the field, in words) and finds it on the
 * Issue page, then changes the password (the session elsewhere ends) and the authenticator: signing in again takes the
 * new password with the new authenticator's code, and refuses the old authenticator's. Each new page is axe-checked and
 * screenshot; the administration's tabs also on a 375 px phone, which they fit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertAccessible, browserForFile, openPage, screenshot } from '../support/browser.js';
import { startBrowserRegistry, type BrowserRegistry } from '../support/browser-registry.js';
import { checkPage, choose, scrollWidth, signInByForm } from '../support/console.js';
import { manufacturerWithModel, MODEL } from '../support/fixtures.js';
import { browserStores } from '../support/harness.js';
import { freshTotpCode, person, signIn, totpCode } from '../support/people.js';

const NEW_PASSWORD = 'a brand new passphrase for the console';
const HOOK = 'http://localhost:9/robotid-notices';
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 800 };

const chromium = browserForFile();

for (const store of browserStores(import.meta.url)) {
  const tag = store.name.toLowerCase();
  describe(`an administrator in the console, on ${store.name}`, { timeout: 120_000 }, () => {
    let registry: BrowserRegistry;
    before(async () => {
      registry = await startBrowserRegistry({ postgres: store.postgres });
    });
    after(async () => {
      await registry?.close();
    });

    test('subscribes a webhook, registers a model, changes the password and the authenticator and signs in with them', async () => {
      const maker = await manufacturerWithModel(registry.h);
      const admin = await person(registry.origin, maker.key, maker.org.id, 'administrator');
      const opened = await openPage(chromium().browser, `${registry.origin}/console/sign-in`, {
        allowConsole: [
          /status of 409 \(Conflict\) \(http:\/\/localhost:\d+\/v1\/models\)$/, // the taken code, below
          /status of 401 .*\/v1\/session\)$/, // the old authenticator's code, below
        ],
      });
      const { page } = opened;
      await signInByForm(page, admin);

      // Webhooks: a URL and topics; the secret is shown once, and not again once the page is left.
      await page.getByRole('link', { name: 'Administration' }).click();
      await page.getByRole('tab', { name: 'Webhooks' }).click();
      await page.waitForURL(/\/console\/admin\?tab=webhooks$/);
      await page.getByLabel('Receiver URL').fill(HOOK);
      await page.getByRole('checkbox', { name: 'Robot suspended' }).check();
      await page.getByRole('checkbox', { name: 'Recall opened' }).check();
      await page.getByRole('button', { name: 'Subscribe' }).click();
      const secret = await page.getByTestId('webhook-secret').innerText();
      assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      const row = page.getByRole('row').filter({ hasText: HOOK });
      await row.getByText('Robot suspended').waitFor();
      await row.getByRole('button', { name: 'Deliveries' }).click();
      await page.getByText('Nothing sent yet').waitFor();
      await checkPage(opened, `admin-webhooks-${tag}`);
      await page.reload();
      await row.waitFor();
      assert.equal(await page.getByTestId('webhook-secret').count(), 0, 'the secret is shown once');

      // On a 375 px phone every tab fits: its tables scroll sideways in their own region, the page does not.
      await page.setViewportSize(PHONE);
      for (const tab of ['People', 'API keys', 'Webhooks']) {
        await page.getByRole('tab', { name: tab }).click();
        await page.getByRole('tabpanel', { name: tab }).getByRole('region').first().waitFor();
        const width = await scrollWidth(page);
        assert.ok(width <= PHONE.width, `the ${tab} tab is ${width} px wide on a 375 px phone`);
        await screenshot(page, `console-admin-${tab.replace(' ', '-').toLowerCase()}-phone-${tag}`);
      }
      await page.setViewportSize(DESKTOP);

      // Models: a code already taken is refused on its field, in words; a new one is registered.
      await page.getByRole('link', { name: 'Models' }).click();
      await page.waitForURL(/\/console\/models$/);
      const model = { code: 'W2K7M5', name: 'Walker W2' };
      await page.getByLabel('Model code').fill(MODEL.code.toLowerCase());
      await page.getByLabel('Name', { exact: true }).fill(model.name);
      // With its list open too, a select is named for screen readers: the list takes the field's label.
      await page.getByRole('combobox', { name: 'Category' }).click();
      // (The named listbox is the screen readers' copy of the list, 0 px in size; the options show beside it.)
      await page
        .getByRole('listbox', { name: 'Category', includeHidden: true })
        .waitFor({ state: 'attached' });
      await page.locator('.ant-select-dropdown').filter({ visible: true }).getByText('Logistics').waitFor();
      await assertAccessible(page);
      await page.keyboard.press('Escape');
      await page.locator('.ant-select-dropdown').filter({ visible: true }).waitFor({ state: 'hidden' });
      await choose(page, 'Category', 'Logistics');
      await choose(page, 'Capability level', 'L3 · autonomous in set tasks');
      await page.getByLabel('Height (mm)').fill('1650');
      await page.getByRole('button', { name: 'Register the model' }).click();
      await page.getByText('Model code was not accepted: already registered').waitFor();
      await page.getByLabel('Model code').fill(model.code);
      await page.getByRole('button', { name: 'Register the model' }).click();
      await page.getByText(`Model ${model.name} (${model.code}) registered.`).waitFor();
      await page.getByRole('cell', { name: model.code }).waitFor();
      await checkPage(opened, `models-${tag}`);
      const registered = await registry.h.call('GET', `/v1/models/${maker.org.enterpriseCode}/${model.code}`);
      assert.equal(registered.status, 200);
      assert.equal(registered.body.category, 'logistics');
      assert.equal(registered.body.specs.heightMm, 1650);
      await page.getByRole('link', { name: 'Issue IDs for it' }).click();
      await page.waitForURL(/\/console\/issue$/);
      await choose(page, 'Model', model.code);

      // The password: changed here, the session elsewhere ends, and the next sign-in takes the new one.
      const elsewhere = await signIn(registry.origin, admin);
      const meThere = () =>
        fetch(`${registry.origin}/v1/me`, { headers: { cookie: `robotid_session=${elsewhere}` } });
      assert.equal((await meThere()).status, 200);
      await page.getByRole('link', { name: 'Account' }).click();
      await page.getByLabel('Current password').fill(admin.password);
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      await page.getByLabel('Password again').fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Change the password' }).click();
      await page.getByText('Password changed.', { exact: false }).waitFor();
      await checkPage(opened, `account-${tag}`);
      assert.equal((await meThere()).status, 401, 'the other session has ended');

      // The authenticator: a new secret, read off the page as a person types it into an app, confirmed by its code.
      await page.getByRole('button', { name: 'Set up a new authenticator' }).click();
      const newSecret = (await page.getByTestId('new-totp-secret').innerText()).trim();
      assert.match(newSecret, /^[A-Z2-7]{32,}$/);
      assert.notEqual(newSecret, admin.totpSecret);
      const totpForm = page.locator('form#totp');
      await totpForm.getByLabel('Current password').fill(NEW_PASSWORD);
      await totpForm.getByLabel('Authenticator code').fill(await freshTotpCode(newSecret));
      await page.getByRole('button', { name: 'Confirm the new authenticator' }).click();
      await page
        .getByText('Authenticator changed: sign in with its codes from now on.', { exact: false })
        .waitFor();

      // Signing in again: the old authenticator's code is refused; the new one's, with the new password, lets in.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/console\/sign-in/);
      await page.getByLabel('Email').fill(admin.email);
      await page.getByLabel('Password').fill(NEW_PASSWORD);
      // The next step's code (not one used already, which would be refused anyway), without waiting for it.
      await page.getByLabel('Authenticator code').fill(totpCode(admin.totpSecret, Date.now() + 30_000));
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/v1/session') && r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      assert.equal(refused.status(), 401, 'the old secret no longer signs in');
      await page.getByRole('alert').getByText('The email, password or code is wrong.').waitFor();
      await signInByForm(page, { ...admin, password: NEW_PASSWORD, totpSecret: newSecret });
      assert.match(await page.getByTestId('signed-in-as').innerText(), new RegExp(admin.name));
      opened.assertNoErrors();
      await opened.close();
    });
  });
}
