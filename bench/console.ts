/**
 * The console (served at /console/) in Chromium, over a demo registry on SQLite or PostgreSQL (the tests' database:
 * ROBOTID_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test, in a schema of its own): the sign-in
 * route's JavaScript (issue 19: at most 300 kB gzip, the rest loaded lazily) and how soon a robot's page is
 * interactive for a signed-in manufacturer (under 1 s). Skipped, said so, while this build serves no console.
 */
import { launchBrowser } from '../test/support/browser.js';
import { fillWithDemo, robotIn, startBrowserRegistry } from '../test/support/browser-registry.js';
import { person, sessionCookie, signIn } from '../test/support/people.js';
import { describePage, measurePage, type PageFigures } from './browser.js';

export const SIGN_IN_JS_BUDGET_GZIP_BYTES = 300 * 1024;
export const ROBOT_PAGE_INTERACTIVE_BUDGET_MS = 1_000;

export type ConsoleFigures =
  | { skipped: string }
  | {
      store: 'SQLite' | 'PostgreSQL';
      robots: number;
      signIn: PageFigures;
      robotPage: PageFigures;
      withinBudgets: boolean;
    };

export async function benchConsole(options: {
  robots: number;
  runs?: number;
  postgres?: boolean;
}): Promise<ConsoleFigures> {
  const registry = await startBrowserRegistry({ postgres: options.postgres ?? false });
  try {
    const probe = await fetch(`${registry.origin}/console/`);
    if (probe.status !== 200 || !String(probe.headers.get('content-type')).includes('text/html')) {
      return { skipped: `this build serves no console (GET /console/ answered ${probe.status})` };
    }
    await fillWithDemo(registry, options.robots);
    // A manufacturer's administrator, signed in, opens one of its robots.
    const robot = await robotIn(registry, 'in_use');
    const orgId = robot.manufacturer.id;
    const key = await registry.h.call('POST', `/v1/organisations/${orgId}/keys`, {
      key: registry.h.adminKey,
      body: { name: 'bench' },
    });
    if (key.status !== 201) throw new Error(`bench key: ${JSON.stringify(key.body)}`);
    const administrator = await person(registry.origin, key.body.token, orgId, 'administrator');
    const session = await signIn(registry.origin, administrator);

    const chromium = await launchBrowser();
    try {
      const runs = options.runs ?? 5;
      const signInPage = await measurePage(chromium.browser, `${registry.origin}/console/sign-in`, {
        ready: { selector: 'input[type="password"]' },
        runs,
      });
      const robotPage = await measurePage(chromium.browser, `${registry.origin}/console/robots/${robot.id}`, {
        ready: { text: robot.display },
        runs,
        prepare: (context) => context.addCookies([sessionCookie(registry.origin, session)]),
      });
      return {
        store: options.postgres ? 'PostgreSQL' : 'SQLite',
        robots: options.robots,
        signIn: signInPage,
        robotPage,
        withinBudgets:
          signInPage.jsGzipBytes <= SIGN_IN_JS_BUDGET_GZIP_BYTES &&
          robotPage.interactiveMs.median < ROBOT_PAGE_INTERACTIVE_BUDGET_MS,
      };
    } finally {
      await chromium.close();
    }
  } finally {
    await registry.close();
  }
}

/** The section's lines for the bench's output. */
export function describeConsole(figures: ConsoleFigures): string[] {
  if ('skipped' in figures) return [`console in Chromium: skipped: ${figures.skipped}`];
  return [
    `console in Chromium (demo of ${figures.robots} robots, ${figures.store}):`,
    `  ${describePage('sign-in route', figures.signIn)} [budget ${SIGN_IN_JS_BUDGET_GZIP_BYTES / 1024} kB gzip]`,
    `  ${describePage('robot page, signed in', figures.robotPage)} [budget ${ROBOT_PAGE_INTERACTIVE_BUDGET_MS} ms]`,
    `  within budgets: ${figures.withinBudgets ? 'yes' : 'NO'}`,
  ];
}
