/**
 * Signing in to the console, in real Chromium on SQLite (browserStores) (issue 19, "Security"): a person adds a passkey
 * on the account page with the browser's WebAuthn (a virtual authenticator through the DevTools protocol), signs out
 * and back in with the passkey alone, and removes it; wrong passwords lock the account, the sign-in page says when to
 * try again, and an administrator's release in the console lets the person in; a session cookie planted before sign-in
 * is neither kept nor good afterwards, and signing out ends the session on the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { addVirtualAuthenticator, browserForFile, openPage, type OpenedPage } from '../support/browser.js';
import { startBrowserRegistry, type BrowserRegistry } from '../support/browser-registry.js';
import { checkPage, signInByForm } from '../support/console.js';
import { admit } from '../support/fixtures.js';
import { browserStores } from '../support/harness.js';
import { freshTotpCode, person, sessionCookie, signIn, type Person } from '../support/people.js';

const chromium = browserForFile();

/** Refused sign-ins are answered 401 or 429 on purpose; the browser logs each as a failed load. */
const REFUSED_SIGN_IN = /status of (401|429) .*\/v1\/session(\/passkey)?\)$/;

/** The session cookie's value the browser holds now (undefined: none). */
async function sessionIn(opened: OpenedPage, origin: string) {
  const cookies = await opened.context.cookies(origin);
  return cookies.find((c) => c.name === 'robotid_session')?.value;
}

/**
 * Fills the password form and sends it with Enter, as a person does after typing the code (a click on the button
 * straight after a refused attempt was now and then lost in Chromium); the answer to POST /v1/session.
 */
async function signInWithPassword(page: Page, who: Person, password = who.password, code?: string) {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Authenticator code').fill(code ?? (await freshTotpCode(who.totpSecret)));
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/session') && r.request().method() === 'POST'),
    page.getByLabel('Authenticator code').press('Enter'),
  ]);
  // The page has taken the answer in when its buttons are no longer busy.
  await page.locator('.ant-btn-loading').first().waitFor({ state: 'detached' });
  return answer;
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/console\/sign-in/);
}

for (const store of browserStores(import.meta.url)) {
  const tag = store.name.toLowerCase();
  describe(`signing in to the console in Chromium, on ${store.name}`, { timeout: 180_000 }, () => {
    let registry: BrowserRegistry;
    let orgId: string;
    let orgKey: string;
    let administrator: Person;
    before(async () => {
      registry = await startBrowserRegistry({ postgres: store.postgres });
      ({
        org: { id: orgId },
        key: orgKey,
      } = await admit(registry.h, ['manufacturer'], `Sign-in ${store.name}`));
      administrator = await person(registry.origin, orgKey, orgId, 'administrator');
    });
    after(async () => {
      await registry?.close();
    });

    /** GET /v1/me as the browser with this session cookie would send it: its status. */
    const meWith = async (session: string) =>
      (await fetch(`${registry.origin}/v1/me`, { headers: { cookie: `robotid_session=${session}` } })).status;

    /** A page of the console opened with `who`'s session, signed in over the API. */
    const openSignedIn = async (path: string, who: Person) => {
      const session = await signIn(registry.origin, who);
      return openPage(chromium().browser, `${registry.origin}/console${path}`, {
        prepare: (context) => context.addCookies([sessionCookie(registry.origin, session)]),
        allowConsole: [REFUSED_SIGN_IN],
      });
    };

    test('a passkey added on the account page signs in alone; once removed, it no longer does', async () => {
      const reporter = await person(registry.origin, orgKey, orgId, 'reporter');
      const opened = await openSignedIn('/account', reporter);
      const { page } = opened;
      const authenticator = await addVirtualAuthenticator(page);
      await page.getByText('No passkey yet').waitFor();
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByTestId('passkey').getByText('My device').waitFor();
      assert.equal((await authenticator.credentials()).length, 1);
      await checkPage(opened, `account-passkey-${tag}`);

      await signOut(page);
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.getByTestId('signed-in-as').waitFor();
      assert.match(await page.getByTestId('signed-in-as').innerText(), new RegExp(reporter.name));

      await page.getByRole('link', { name: 'Account', exact: true }).click();
      await page.getByRole('button', { name: 'Remove the passkey My device' }).click();
      await page.getByText('No passkey yet').waitFor();
      // The authenticator still holds it; the registry no longer knows it.
      await signOut(page);
      await page.getByRole('button', { name: 'Use a passkey' }).click();
      await page.getByRole('alert').getByText('This passkey is not known to the registry.').waitFor();
      opened.assertNoErrors();
      await opened.close();
    });

    test('wrong passwords lock sign-in, the page says when to retry, and an administrator’s release lets in', async () => {
      const viewer = await person(registry.origin, orgKey, orgId, 'viewer');
      const opened = await openPage(chromium().browser, `${registry.origin}/console/sign-in`, {
        allowConsole: [REFUSED_SIGN_IN],
      });
      const { page } = opened;
      for (let attempt = 1; attempt <= 5; attempt++) {
        const answer = await signInWithPassword(page, viewer, 'not the password at all', '000000');
        assert.equal(answer.status(), 401, `attempt ${attempt}`);
        await page.getByRole('alert').getByText('The email, password or code is wrong.').waitFor();
      }
      // Locked: even the right password and code are refused, and the page says for how long.
      const locked = await signInWithPassword(page, viewer);
      assert.equal(locked.status(), 429);
      const retryAfter = Number(locked.headers()['retry-after']);
      assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After: ${retryAfter}`);
      await page
        .getByRole('alert')
        .getByText(/sign-in is locked\. Try again in 15 min/)
        .waitFor();
      await checkPage(opened, `sign-in-locked-${tag}`);

      const admin = await openSignedIn('/admin', administrator);
      const [released] = await Promise.all([
        admin.page.waitForResponse((r) => r.url().endsWith(`/users/${viewer.user.id}/unlock`)),
        admin.page.getByRole('button', { name: `Release the sign-in lock of ${viewer.name}` }).click(),
      ]);
      assert.ok(released.ok(), `unlock: ${released.status()}`);
      admin.assertNoErrors();
      await admin.close();

      assert.equal((await signInWithPassword(page, viewer)).status(), 200);
      await page.getByTestId('signed-in-as').waitFor();
      opened.assertNoErrors();
      await opened.close();
    });

    test('a session cookie planted before sign-in is replaced and refused; sign-out ends the session on the server', async () => {
      // The planter's own live session: the strongest plant (a made-up value is refused anyway).
      const planter = await person(registry.origin, orgKey, orgId, 'viewer');
      const planted = await signIn(registry.origin, planter);
      const victim = await person(registry.origin, orgKey, orgId, 'reporter');
      const opened = await openPage(chromium().browser, `${registry.origin}/console/sign-in`, {
        prepare: (context) => context.addCookies([sessionCookie(registry.origin, planted)]),
      });
      const { page } = opened;
      await signInByForm(page, victim);
      assert.match(await page.getByTestId('signed-in-as').innerText(), new RegExp(victim.name));
      const session = await sessionIn(opened, registry.origin);
      assert.ok(session && session !== planted, 'the browser holds a new session');
      assert.equal(await meWith(planted), 401, 'the planted session ended at sign-in');
      assert.equal(await meWith(session), 200);

      await signOut(page);
      assert.equal(await sessionIn(opened, registry.origin), undefined, 'the cookie is cleared');
      assert.equal(await meWith(session), 401, 'the session replayed after sign-out is refused');
      opened.assertNoErrors();
      await opened.close();
    });
  });
}
