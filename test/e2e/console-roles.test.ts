/**
 * The main tasks of a seller and a recycler in the console, in real Chromium on SQLite (browserStores), each from
 * sign-in to the result in a timeline: a seller's reporter opens a robot by typing its ID and reports it sold to an
 * operator picked by name, sees it sold, and the operator's viewer finds the sale in the robot's timeline; a recycler's
 * reporter, on a phone, reports a scrapped robot it received as recycled, its parts' outcomes and materials, and sees
 * it in the timeline. Each page is axe-checked and screenshot.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseRobotId } from '../../src/domain/id/index.js';
import { browserForFile, openPage } from '../support/browser.js';
import { startBrowserRegistry, type BrowserRegistry } from '../support/browser-registry.js';
import {
  checkPage,
  choose,
  scrollWidth,
  SIGNED_OUT,
  signInByForm,
  timelineTypes,
} from '../support/console.js';
import { browserStores } from '../support/harness.js';
import {
  actuatorSerial,
  certified,
  event,
  intoUse,
  manufactured,
  report,
  supplyChain,
  type SupplyChain,
} from '../support/lifecycle.js';
import { person } from '../support/people.js';

/** The API's 404 for a history or proof bundle the signed-in organisation may not see, as the browser logs it. */
const HIDDEN_HISTORY = /status of 404 .*\/v1\/robots\/[A-Z0-9]+\/(events|proof-bundle)\)$/;

const chromium = browserForFile();

/** Reports each event with its key, failing on the first the registry refuses. */
async function reportAll(registry: BrowserRegistry, steps: [key: string, event: { type: string }][]) {
  for (const [key, e] of steps) {
    const answer = await report(registry.h, key, [e]);
    assert.equal(answer.status, 201, `${e.type}: ${JSON.stringify(answer.body)}`);
  }
}

for (const store of browserStores(import.meta.url)) {
  const tag = store.name.toLowerCase();
  describe(`a seller and a recycler in the console, on ${store.name}`, { timeout: 120_000 }, () => {
    let registry: BrowserRegistry;
    let chain: SupplyChain;
    before(async () => {
      registry = await startBrowserRegistry({ postgres: store.postgres });
      chain = await supplyChain(registry.h, 2);
    });
    after(async () => {
      await registry?.close();
    });

    test('a seller reports a sale to an operator picked by name; the operator finds it in the timeline', async () => {
      const robot = chain.robots[0]!;
      await reportAll(registry, [
        [chain.maker.key, manufactured(robot)],
        [chain.certifier.key, certified(robot)],
        [chain.maker.key, event('shipped', robot, { toOrgId: chain.seller.org.id })],
        [chain.seller.key, event('received', robot)],
      ]);
      const seller = await person(registry.origin, chain.seller.key, chain.seller.org.id, 'reporter');
      const opened = await openPage(chromium().browser, `${registry.origin}/console/sign-in`, {
        // Once sold, the robot's history is its new owner's: the seller's page asks and is answered 404.
        allowConsole: [HIDDEN_HISTORY],
      });
      const { page } = opened;
      await signInByForm(page, seller);

      // The robot opened by its ID, typed as on its label (with its check characters).
      await page.getByRole('link', { name: 'Report', exact: true }).click();
      await page.getByLabel('Robot ID').fill(parseRobotId(robot, 'robot').display);
      await page.getByRole('button', { name: 'Report', exact: true }).click();
      await page.getByRole('radio', { name: 'Sold' }).check();
      // Searched at the registry (not among organisations loaded beforehand) by the name, typed in lower case.
      const typed = chain.operator.org.name.toLowerCase();
      const searched = page.waitForRequest(
        (request) => new URL(request.url()).searchParams.get('name') === typed,
      );
      await choose(page, 'To organisation', chain.operator.org.name, typed);
      assert.match(new URL((await searched).url()).pathname, /\/v1\/organisations$/);
      await checkPage(opened, `seller-report-${tag}`);
      await page.getByRole('button', { name: 'Send the report' }).click();
      await page.getByText('Sold: reported.').waitFor();

      // Sold: the seller sees the robot's public facts now, and why not its history.
      await page.getByRole('button', { name: 'See the robot’s timeline' }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      assert.equal(await page.getByText('Sold', { exact: true }).count(), 1, 'its state');
      await page.getByText('The robot’s history is for those who hold').waitFor();
      await checkPage(opened, `seller-robot-${tag}`);
      await opened.close();

      // The buyer's viewer, sent to sign in on the way to the robot's page, finds the sale by the seller.
      const buyer = await person(registry.origin, chain.operator.key, chain.operator.org.id, 'viewer');
      const visit = await openPage(chromium().browser, `${registry.origin}/console/robots/${robot}`, {
        allowConsole: [SIGNED_OUT],
      });
      await visit.page.waitForURL(/\/console\/sign-in\?next=/);
      await signInByForm(visit.page, buyer);
      assert.equal((await timelineTypes(visit.page)).at(-1), 'sold');
      // The seller's name replaces its id once the registry has answered for it (hooks/organisation-names.ts).
      const sale = visit.page.locator('[data-type="sold"]');
      await sale.filter({ hasText: `by ${chain.seller.org.name}` }).waitFor();
      await checkPage(visit, `operator-robot-${tag}`);
      await visit.close();
    });

    test('a recycler on a phone reports a scrapped robot recycled, and sees it in the timeline', async () => {
      const robot = chain.robots[1]!;
      await intoUse(registry.h, chain, robot);
      await reportAll(registry, [
        [chain.operator.key, event('decommissioned', robot, { note: 'end of life' })],
        [chain.operator.key, event('shipped', robot, { toOrgId: chain.recycler.org.id })],
        [chain.recycler.key, event('received', robot)],
      ]);
      const yard = await person(registry.origin, chain.recycler.key, chain.recycler.org.id, 'reporter');
      const opened = await openPage(chromium().browser, `${registry.origin}/console/robots/${robot}`, {
        context: { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true },
        allowConsole: [SIGNED_OUT],
      });
      const { page } = opened;
      await signInByForm(page, yard);
      await page.getByRole('main').getByRole('link', { name: 'Report an event' }).click();

      // The dismantling: the knee actuator reused, the rest as materials by weight.
      await page.getByRole('radio', { name: 'Recycled' }).check();
      await page.getByRole('button', { name: 'Add to Components' }).click();
      const part = page.getByRole('group', { name: 'Components' });
      await part.getByLabel('Part number').fill('HJ-40');
      await part.getByLabel('Serial').fill(actuatorSerial(robot));
      await choose(page, part.getByRole('combobox', { name: 'Outcome' }), 'Reused');
      await page.getByRole('button', { name: 'Add to Materials (kg)' }).click();
      const materials = page.getByRole('group', { name: 'Materials (kg)' });
      await materials.getByLabel('Name').fill('aluminium');
      await materials.getByRole('spinbutton', { name: 'Value' }).fill('12.5');
      assert.ok((await scrollWidth(page)) <= 375, 'the form fits the phone');
      await checkPage(opened, `recycler-report-${tag}`);
      await page.getByRole('button', { name: 'Send the report' }).click();
      await page.getByText('Recycled: reported.').waitFor();

      await page.getByRole('button', { name: 'See the robot’s timeline' }).click();
      assert.equal((await timelineTypes(page)).at(-1), 'recycled');
      await page.getByText('Recycled', { exact: true }).first().waitFor();
      assert.ok((await scrollWidth(page)) <= 375, 'the robot page fits the phone');
      await checkPage(opened, `recycler-robot-${tag}`);
      await opened.close();
    });
  });
}
