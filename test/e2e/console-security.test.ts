/**
 * The console's session under attack, in real Chromium on SQLite (browserStores) (issue 19, "Security"): another page
 * that a signed-in administrator visits cannot make a change with the session cookie (SameSite=Strict keeps it from
 * other sites; the Origin check refuses a sibling origin on the same host, which SameSite lets through); a viewer
 * cannot report; a person of one organisation gets the API's answer for another's robot.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { browserForFile, openPage } from '../support/browser.js';
import {
  fillWithDemo,
  robotIn,
  startBrowserRegistry,
  type BrowserRegistry,
} from '../support/browser-registry.js';
import { browserStores } from '../support/harness.js';
import { manufactured } from '../support/lifecycle.js';
import { getPublicRobot } from '../../src/app/robots.js';
import { person, sessionCookie, signIn, type Person } from '../support/people.js';

const chromium = browserForFile();

/** A page that, once opened, posts a form to `target` (a plain HTML form: what any page can make a browser send). */
const attackPage = (target: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>You won</title></head><body><main><h1>You won a robot</h1>
<form method="post" action="${target}" enctype="text/plain">
<input type="hidden" name='{"email":"mallory@example.test","role":"administrator","x":"' value='"}'>
<button>Claim it</button></form></main></body></html>`;

/** Serves `html` at / on a loopback port of its own: another origin than the registry's. */
function servePage(html: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })),
  );
}

for (const store of browserStores(import.meta.url)) {
  describe(`the console's session under attack, in Chromium, on ${store.name}`, { timeout: 180_000 }, () => {
    let registry: BrowserRegistry;
    let orgId: string;
    let orgKey: string;
    let modelCode: string;
    let ownRobot: string;
    let administrator: Person;
    let viewer: Person;
    /** The administrator's session, signed in once (a TOTP code signs in once: sessions are reused). */
    let adminSession: string;
    let attacker: { server: Server; port: number };
    before(async () => {
      registry = await startBrowserRegistry({ postgres: store.postgres });
      await fillWithDemo(registry);
      const robot = await robotIn(registry, 'in_use');
      orgId = robot.manufacturer.id;
      modelCode = robot.model.code;
      ownRobot = robot.printed;
      const key = await registry.h.call('POST', `/v1/organisations/${orgId}/keys`, {
        key: registry.h.adminKey,
        body: { name: 'e2e' },
      });
      orgKey = key.body.token;
      administrator = await person(registry.origin, orgKey, orgId, 'administrator');
      viewer = await person(registry.origin, orgKey, orgId, 'viewer');
      adminSession = await signIn(registry.origin, administrator);
      attacker = await servePage(attackPage(`${registry.origin}/v1/organisations/${orgId}/invitations`));
    });
    after(async () => {
      attacker?.server.close();
      await registry?.close();
    });

    const pendingInvitations = async () => {
      const list = await registry.h.call('GET', `/v1/organisations/${orgId}/invitations`, { key: orgKey });
      assert.equal(list.status, 200);
      return JSON.stringify(list.body);
    };

    /** Opens the attacker's page at `attackerOrigin` with the administrator's session in the browser, submits. */
    async function attackFrom(attackerOrigin: string) {
      const opened = await openPage(chromium().browser, `${attackerOrigin}/`);
      await opened.context.addCookies([sessionCookie(registry.origin, adminSession)]);
      const [response] = await Promise.all([
        opened.page.waitForResponse(
          (r) => r.url().endsWith('/invitations') && r.request().method() === 'POST',
        ),
        opened.page.getByRole('button', { name: 'Claim it' }).click(),
      ]);
      const result = {
        status: response.status(),
        body: await response.json(),
        cookieSent: (await response.request().allHeaders()).cookie?.includes('robotid_session=') ?? false,
        origin: (await response.request().allHeaders()).origin,
      };
      await opened.close();
      return result;
    }

    test('a sibling origin on the same host (same site: the cookie goes along) is refused by the Origin check', async () => {
      const before = await pendingInvitations();
      const sibling = `http://localhost:${attacker.port}`;
      const attack = await attackFrom(sibling);
      assert.equal(attack.cookieSent, true, 'same site: SameSite=Strict lets the cookie through');
      assert.equal(attack.origin, sibling);
      assert.equal(attack.status, 403);
      assert.match(attack.body.type, /cross-site-request$/);
      assert.equal(await pendingInvitations(), before);
      // The same session from the registry's own origin may invite: the refusal was the Origin's, not the cookie's.
      const own = await fetch(`${registry.origin}/v1/organisations/${orgId}/invitations`, {
        method: 'POST',
        headers: {
          cookie: `robotid_session=${adminSession}`,
          origin: registry.origin,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ email: 'colleague@example.test', role: 'viewer' }),
      });
      assert.equal(own.status, 201);
    });

    test('another site never gets the cookie sent (SameSite=Strict): the change is anonymous and refused', async () => {
      const before = await pendingInvitations();
      const attack = await attackFrom(`http://127.0.0.1:${attacker.port}`);
      assert.equal(attack.cookieSent, false);
      // Anonymous: 401, or 415 first for the form's text/plain body.
      assert.ok([401, 415].includes(attack.status), `status ${attack.status}`);
      assert.equal(await pendingInvitations(), before);
    });

    test('a viewer cannot report (403 role-forbids), where an administrator of the same organisation can', async () => {
      const issued = await registry.h.call('POST', '/v1/ids', {
        key: orgKey,
        body: { model: modelCode, count: 1 },
      });
      assert.equal(issued.status, 201);
      const robotId = (issued.body.ids as string[])[0]!.slice(0, 29);
      const reportAs = async (session: string) =>
        fetch(`${registry.origin}/v1/events`, {
          method: 'POST',
          headers: {
            cookie: `robotid_session=${session}`,
            origin: registry.origin,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ events: [manufactured(robotId)] }),
        });
      const refused = await reportAs(await signIn(registry.origin, viewer));
      assert.equal(refused.status, 403);
      assert.match(((await refused.json()) as { type: string }).type, /role-forbids$/);
      const accepted = await reportAs(adminSession);
      assert.ok(accepted.status < 300, `the administrator's report: ${accepted.status}`);
    });

    /** In each page before its scripts: every CSP violation the page reports, kept for the test to read. */
    const RECORD_CSP_VIOLATIONS = `window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`;

    test('the console comes with a Content-Security-Policy, and its pages violate none of it', async () => {
      const answer = await fetch(`${registry.origin}/console/robots/${ownRobot}`);
      const csp = answer.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      const opened = await openPage(chromium().browser, `${registry.origin}/console/robots/${ownRobot}`, {
        prepare: async (context) => {
          await context.addInitScript(RECORD_CSP_VIOLATIONS);
          await context.addCookies([sessionCookie(registry.origin, adminSession)]);
        },
      });
      await opened.page.getByTestId('timeline-event').first().waitFor();
      await opened.page.waitForLoadState('networkidle');
      assert.deepEqual(await opened.page.evaluate('window.cspViolations'), []);
      opened.assertNoErrors();
      await opened.close();
    });

    test('a viewer is offered no report (an administrator is), and the API refuses it as shown above', async () => {
      const viewerSession = await signIn(registry.origin, viewer);
      const reportButton = async (session: string) => {
        const opened = await openPage(chromium().browser, `${registry.origin}/console/robots/${ownRobot}`, {
          prepare: (context) => context.addCookies([sessionCookie(registry.origin, session)]),
        });
        await opened.page.getByTestId('timeline-event').first().waitFor();
        await opened.page.waitForLoadState('networkidle');
        const count = await opened.page.getByRole('button', { name: 'Report' }).count();
        opened.assertNoErrors();
        await opened.close();
        return count;
      };
      assert.equal(await reportButton(adminSession), 1);
      assert.equal(await reportButton(viewerSession), 0);
    });

    test("a person of one organisation opening another's robot sees what the API answers it: the public view", async () => {
      // A robot of another manufacturer, that this organisation never held.
      const page = await registry.h.ctx.store.read((r) => r.findRobots({}, { after: '', limit: 200 }));
      let foreign: string | undefined;
      for (const item of page.items) {
        const view = await getPublicRobot(registry.h.ctx, item.id);
        if (view.manufacturer.id !== orgId) {
          foreign = view.printed;
          break;
        }
      }
      assert.ok(foreign, 'the demo has robots of another manufacturer');
      const api = await fetch(`${registry.origin}/v1/robots/${foreign}`, {
        headers: { cookie: `robotid_session=${adminSession}` },
      });
      // The API: the public part of any robot, nothing private (docs/access.md).
      assert.equal(api.status, 200);
      const body = (await api.json()) as { display: string; access: { relation: string } };
      assert.equal(body.access.relation, 'public');
      const history = await fetch(`${registry.origin}/v1/robots/${foreign}/events`, {
        headers: { cookie: `robotid_session=${adminSession}` },
      });
      assert.equal(history.status, 404);
      const opened = await openPage(chromium().browser, `${registry.origin}/console/robots/${foreign}`, {
        prepare: (context) => context.addCookies([sessionCookie(registry.origin, adminSession)]),
        // Its history and proofs are another's: the API answers 404 to the page's asking, as to anyone's.
        allowConsole: [/status of 404 .*\/v1\/robots\/[A-Z0-9]+\/(events|proof-bundle)\)$/],
      });
      await opened.page.getByRole('heading', { level: 1, name: body.display }).waitFor();
      await opened.page.waitForLoadState('networkidle');
      const facts = await opened.page.innerText('main');
      assert.match(facts, /You see it as\s*:?\s*Public/);
      // Its history is the holders' business: no event of it is shown.
      assert.equal(await opened.page.getByTestId('timeline-event').count(), 0);
      opened.assertNoErrors();
      await opened.close();
    });
  });
}
