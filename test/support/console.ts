/**
 * The console as a person works in it, for the browser tests: signing in by the form, antd's selects, the checks
 * every console page passes (no script, console or CSP error; no serious or critical axe violation; a screenshot).
 */
import type { Locator, Page } from 'playwright-core';
import { assertAccessible, screenshot, type OpenedPage } from './browser.js';
import { freshTotpCode, type Person } from './people.js';

/** Signs `who` in on the sign-in page the browser shows, with password and the authenticator's code. */
export async function signInByForm(page: Page, who: Pick<Person, 'email' | 'password' | 'totpSecret'>) {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByLabel('Authenticator code').fill(await freshTotpCode(who.totpSecret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

/**
 * Chooses `option` in an antd select: the combobox named `select`, or the one given (where names repeat), whose
 * options open in a list. With `typed`, types it first into a select that searches the registry, and waits for the
 * registry's answer: a list whose every option contains it, letter case ignored. Waits for the list to have closed,
 * so that the next step does not meet it fading out over the page.
 */
export async function choose(page: Page, select: string | Locator, option: string, typed?: string) {
  const box = typeof select === 'string' ? page.getByRole('combobox', { name: select }) : select;
  await box.click();
  const open = page.locator('.ant-select-dropdown').filter({ visible: true });
  if (typed !== undefined) {
    await box.fill(typed);
    const options = open.locator('.ant-select-item-option');
    const typedText = new RegExp(typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    await options.first().waitFor();
    await options.filter({ hasNotText: typedText }).first().waitFor({ state: 'detached' });
  }
  // A click event, not a pointer click: on a phone the list is repositioned while the page scrolls to it (and under
  // load keeps moving), so Playwright's wait for a stable element in the viewport can time out; antd selects on click.
  await open.locator('.ant-select-item-option', { hasText: option }).first().dispatchEvent('click');
  await open.first().waitFor({ state: 'hidden' });
}

/** Checks the page as every console page is checked and keeps its screenshot as console-<name>.png. */
export async function checkPage(opened: OpenedPage, name: string) {
  // antd animates in; axe judges contrast on what is shown once it has settled.
  await opened.page.waitForLoadState('networkidle');
  await assertAccessible(opened.page);
  await screenshot(opened.page, `console-${name}`);
  opened.assertNoErrors();
}

/** The page's width as laid out: more than the viewport means a person on a phone scrolls sideways. */
export const scrollWidth = (page: Page): Promise<number> =>
  page.evaluate('document.scrollingElement.scrollWidth');

/** The types of the events in a robot page's timeline, in the order it shows them (oldest first). */
export async function timelineTypes(page: Page): Promise<(string | null)[]> {
  const events = page.getByTestId('timeline-event');
  await events.first().waitFor();
  return Promise.all((await events.all()).map((e) => e.getAttribute('data-type')));
}

/** A signed-out browser opening a console page: the page asks who is signed in, is answered 401, goes to sign-in. */
export const SIGNED_OUT = /status of 401 .*\/v1\/me\)$/;
