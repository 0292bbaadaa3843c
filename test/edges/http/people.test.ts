/**
 * People at the registry, as the console uses them: invitation, acceptance, sign-in with password and TOTP, the
 * session cookie, its end, lock-out after failed sign-ins, CSRF, and roles held to the same access policy as API
 * keys. On both stores.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rotatePersonalDataKeys } from '../../../src/app/personal-data/rotation.js';
import { buildServer } from '../../../src/edges/http/server.js';
import { readKeyRing, writeKeyRing } from '../../../src/main/keys/personal-data-keys.js';
import { admit } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { manufactured, report, supplyChain, type SupplyChain } from '../../support/lifecycle.js';
import {
  asPerson,
  ORIGIN,
  PASSWORD,
  person,
  rowsOf,
  sessionCookieOf,
  signIn,
  testClock,
  totpCode,
  type Person,
} from '../../support/users.js';

const MINUTE = 60_000;
const STEP = 30_000; // a TOTP code is good once: the next sign-in waits for the next step

for (const store of testStores) {
  describe(`people (${store.name})`, () => {
    let h: Harness;
    let clock: ReturnType<typeof testClock>;
    let c: SupplyChain;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      clock = testClock(h);
      c = await supplyChain(h, 2);
    });
    after(() => h.close());

    const me = (p: Person) => h.call('GET', '/v1/me', { headers: { cookie: p.cookie } });

    test('an invitation is accepted once, and its user signs in with password and TOTP code', async () => {
      const invited = await h.call('POST', `/v1/organisations/${c.seller.org.id}/invitations`, {
        key: c.seller.key,
        body: { email: '  Li.Na@Example.CN ', role: 'reporter' },
      });
      assert.equal(invited.status, 201);
      assert.equal(invited.body.invitation.email, 'li.na@example.cn');
      assert.match(invited.body.link, /^https:\/\/registry\.test\/console\/invitations\/[A-Za-z0-9_-]{43}$/);
      const token = invited.body.link.split('/').pop();

      const shown = await h.call('GET', `/v1/invitations/${token}`);
      assert.equal(shown.status, 200);
      assert.deepEqual(shown.body.organisation, { id: c.seller.org.id, name: c.seller.org.name });
      assert.equal(shown.body.role, 'reporter');

      const short = await h.call('POST', `/v1/invitations/${token}/accept`, {
        body: { name: 'Li Na', password: 'too short' },
      });
      assert.equal(short.status, 400);
      const accepted = await h.call('POST', `/v1/invitations/${token}/accept`, {
        body: { name: 'Li Na', password: PASSWORD },
      });
      assert.equal(accepted.status, 201);
      assert.match(accepted.body.totp.uri, /^otpauth:\/\/totp\/robotid:li\.na%40example\.cn\?/);
      const again = await h.call('POST', `/v1/invitations/${token}/accept`, {
        body: { name: 'Li Na', password: PASSWORD },
      });
      assert.equal(again.status, 404, 'a link works once');
      assert.equal((await h.call('GET', `/v1/invitations/${token}`)).status, 404);

      const signedIn = await h.call('POST', '/v1/session', {
        body: { email: 'LI.NA@example.cn', password: PASSWORD, totp: totpCode(h, accepted.body.totp.secret) },
      });
      assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
      assert.equal(signedIn.body.user.id, accepted.body.user.id);
      assert.equal(signedIn.body.organisation.id, c.seller.org.id);
      const who = await h.call('GET', '/v1/me', { headers: { cookie: sessionCookieOf(signedIn.headers) } });
      assert.equal(who.status, 200);
      assert.equal(who.body.keyId, null);
      assert.deepEqual(who.body.user, {
        id: accepted.body.user.id,
        email: 'li.na@example.cn',
        name: 'Li Na',
        role: 'reporter',
        organisationId: c.seller.org.id,
        createdAt: accepted.body.user.createdAt,
      });
      assert.equal(who.body.organisation.id, c.seller.org.id);
      const byKey = await h.call('GET', '/v1/me', { key: c.seller.key });
      assert.equal(byKey.body.user, null, 'an API key is no person');
    });

    test('the session cookie is HttpOnly, SameSite=Strict, Path=/ and Secure (https public URL)', async () => {
      const p = await person(h, c.seller.org.id, c.seller.key, 'viewer');
      clock.advance(STEP);
      const res = await h.call('POST', '/v1/session', {
        body: { email: p.email, password: PASSWORD, totp: totpCode(h, p.secret) },
      });
      const cookie = [res.headers['set-cookie']]
        .flat()
        .map(String)
        .find((s) => s.startsWith('robotid_session='))!;
      const attributes = cookie.split(';').map((a) => a.trim().toLowerCase());
      for (const a of ['httponly', 'samesite=strict', 'path=/', 'secure'])
        assert.ok(attributes.includes(a), cookie);
      assert.notEqual(sessionCookieOf(res.headers), p.cookie, 'every sign-in makes a new session');
    });

    test('a planted session id is not adopted at sign-in (no fixation)', async () => {
      const p = await person(h, c.seller.org.id, c.seller.key, 'viewer');
      clock.advance(STEP);
      const planted = 'robotid_session=planted-by-an-attacker';
      const res = await h.call('POST', '/v1/session', {
        body: { email: p.email, password: PASSWORD, totp: totpCode(h, p.secret) },
        headers: { cookie: planted },
      });
      assert.equal(res.status, 200);
      assert.notEqual(sessionCookieOf(res.headers), planted);
      assert.equal((await h.call('GET', '/v1/me', { headers: { cookie: planted } })).status, 401);
    });

    test('a live session the browser carried at sign-in ends: the new one replaces it', async () => {
      const earlier = await person(h, c.seller.org.id, c.seller.key, 'viewer');
      const p = await person(h, c.seller.org.id, c.seller.key, 'viewer');
      clock.advance(STEP);
      const res = await h.call('POST', '/v1/session', {
        body: { email: p.email, password: PASSWORD, totp: totpCode(h, p.secret) },
        headers: { cookie: earlier.cookie, origin: ORIGIN },
      });
      assert.equal(res.status, 200);
      assert.equal((await h.call('GET', '/v1/me', { headers: { cookie: earlier.cookie } })).status, 401);
      const replaced = await h.call('GET', '/v1/me', { headers: { cookie: sessionCookieOf(res.headers) } });
      assert.equal(replaced.body.user.id, p.id);
    });

    test('a wrong password, a wrong code, a used code and an unknown email all get the same 401', async () => {
      const p = await person(h, c.operator.org.id, c.operator.key, 'viewer');
      clock.advance(STEP);
      const good = totpCode(h, p.secret);
      const wrongCode = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
      const answers = [
        { email: p.email, password: 'not the password at all', totp: good },
        { email: p.email, password: PASSWORD, totp: wrongCode },
        { email: 'nobody@example.cn', password: PASSWORD, totp: good },
      ];
      const used = await signIn(h, p); // `good` is used now
      assert.ok(used);
      answers.push({ email: p.email, password: PASSWORD, totp: good });
      for (const body of answers) {
        const res = await h.call('POST', '/v1/session', { body });
        assert.equal(res.status, 401, JSON.stringify(body));
        assert.equal(res.body.type, 'urn:robotid:problem:invalid-credentials');
        assert.equal(res.body.detail, 'the email, password or code is not right');
        assert.equal(res.headers['set-cookie'], undefined);
      }
      // The failures above count: let them not lock this person's later tests.
      const unlocked = await h.call('POST', `/v1/organisations/${c.operator.org.id}/users/${p.id}/unlock`, {
        key: c.operator.key,
      });
      assert.equal(unlocked.status, 200);
    });

    test('five failures lock the account; an administrator or time releases it, and a second lock lasts twice as long', async () => {
      const p = await person(h, c.operator2.org.id, c.operator2.key, 'reporter');
      const fail = () =>
        h.call('POST', '/v1/session', {
          body: { email: p.email, password: 'wrong wrong wrong', totp: '000000' },
        });
      const attempt = () => {
        clock.advance(STEP);
        return h.call('POST', '/v1/session', {
          body: { email: p.email, password: PASSWORD, totp: totpCode(h, p.secret) },
        });
      };
      for (let i = 0; i < 5; i++) assert.equal((await fail()).status, 401);
      const locked = await attempt();
      assert.equal(locked.status, 429);
      assert.equal(locked.body.type, 'urn:robotid:problem:sign-in-locked');
      assert.equal(locked.headers['retry-after'], String(15 * 60 - 30));

      const unlock = await h.call('POST', `/v1/organisations/${c.operator2.org.id}/users/${p.id}/unlock`, {
        key: c.operator2.key,
      });
      assert.equal(unlock.status, 200);
      assert.equal((await attempt()).status, 200, 'released by the administrator');

      for (let i = 0; i < 5; i++) assert.equal((await fail()).status, 401);
      assert.equal((await attempt()).status, 429);
      clock.advance(15 * MINUTE);
      assert.equal((await attempt()).status, 200, 'released by time');

      // The success forgot the earlier locks: the next one is 15 minutes again; one more without a success between
      // lasts twice as long.
      for (let i = 0; i < 5; i++) assert.equal((await fail()).status, 401);
      const again = await attempt();
      assert.equal(again.status, 429);
      assert.equal(again.headers['retry-after'], String(15 * 60 - 30));
      clock.advance(15 * MINUTE);
      for (let i = 0; i < 5; i++) assert.equal((await fail()).status, 401);
      const longer = await attempt();
      assert.equal(longer.status, 429);
      assert.equal(
        longer.headers['retry-after'],
        String(30 * 60 - 30),
        'the second lock in a row is twice as long',
      );
      await h.call('POST', `/v1/organisations/${c.operator2.org.id}/users/${p.id}/unlock`, {
        key: c.operator2.key,
      });
    });

    test('twenty failures from one address lock sign-in from there, for every account, and only there', async () => {
      const p = await person(h, c.recycler.org.id, c.recycler.key, 'viewer');
      const from = (remoteAddress: string, body: unknown) =>
        h.app.inject({ method: 'POST', url: '/v1/session', payload: body as object, remoteAddress });
      for (let i = 0; i < 20; i++) {
        const guess = { email: `guess-${i}@example.cn`, password: 'password guess', totp: '123456' };
        assert.equal((await from('192.0.2.9', guess)).statusCode, 401);
      }
      clock.advance(STEP);
      const right = () => ({ email: p.email, password: PASSWORD, totp: totpCode(h, p.secret) });
      const there = await from('192.0.2.9', right());
      assert.equal(there.statusCode, 429);
      assert.equal(there.json().type, 'urn:robotid:problem:sign-in-locked');
      assert.equal((await from('198.51.100.4', right())).statusCode, 200, 'another address is not locked');
    });

    test('behind a trusted proxy, the address counted is the client’s from X-Forwarded-For', async () => {
      const proxied = await buildServer(h.ctx, { trustProxy: '127.0.0.1' });
      try {
        const from = (client: string, body: object) =>
          proxied.inject({
            method: 'POST',
            url: '/v1/session',
            payload: body,
            remoteAddress: '127.0.0.1',
            headers: { 'x-forwarded-for': client },
          });
        for (let i = 0; i < 20; i++) {
          const guess = { email: `proxied-${i}@example.cn`, password: 'password guess', totp: '123456' };
          assert.equal((await from('203.0.113.5', guess)).statusCode, 401);
        }
        const guess = { email: 'proxied@example.cn', password: 'password guess', totp: '123456' };
        assert.equal((await from('203.0.113.5', guess)).statusCode, 429, 'that client is locked');
        assert.equal(
          (await from('203.0.113.6', guess)).statusCode,
          401,
          'the others behind the proxy are not',
        );
      } finally {
        await proxied.close();
      }
    });

    test('sign-out and idleness end a session; so do removal and a change of role', async () => {
      const p = await person(h, c.seller.org.id, c.seller.key, 'viewer');
      assert.equal((await me(p)).status, 200);
      const out = await h.call('DELETE', '/v1/session', asPerson(p));
      assert.equal(out.status, 204);
      assert.match(
        String([out.headers['set-cookie']].flat()[0]),
        /^robotid_session=;.*Expires=Thu, 01 Jan 1970/,
      );
      assert.equal((await me(p)).status, 401);

      clock.advance(STEP);
      p.cookie = await signIn(h, p);
      clock.advance(29 * MINUTE);
      assert.equal((await me(p)).status, 200, 'used within the idle time');
      clock.advance(29 * MINUTE);
      assert.equal((await me(p)).status, 200, 'the idle time counts from the last use');
      clock.advance(31 * MINUTE);
      assert.equal((await me(p)).status, 401, 'idle for over 30 minutes');

      clock.advance(STEP);
      p.cookie = await signIn(h, p);
      const promoted = await h.call('PATCH', `/v1/organisations/${c.seller.org.id}/users/${p.id}`, {
        key: c.seller.key,
        body: { role: 'reporter' },
      });
      assert.equal(promoted.status, 200);
      assert.equal(promoted.body.user.role, 'reporter');
      assert.equal((await me(p)).status, 401, 'a new role starts with a new sign-in');

      clock.advance(STEP);
      p.cookie = await signIn(h, p);
      assert.equal((await me(p)).body.user.role, 'reporter');
      const removed = await h.call('DELETE', `/v1/organisations/${c.seller.org.id}/users/${p.id}`, {
        key: c.seller.key,
      });
      assert.equal(removed.status, 200);
      assert.equal((await me(p)).status, 401, 'a removed user is signed out at once');
      clock.advance(STEP);
      const res = await h.call('POST', '/v1/session', {
        body: { email: p.email, password: PASSWORD, totp: totpCode(h, p.secret) },
      });
      assert.equal(res.status, 401);
    });

    test('a change made with the cookie must carry the registry’s own Origin', async () => {
      const admin = await person(h, c.seller.org.id, c.seller.key, 'administrator');
      const url = `/v1/organisations/${c.seller.org.id}/invitations`;
      const body = { email: `csrf-${Date.now()}@example.cn`, role: 'viewer' };
      const without = await h.call('POST', url, { body, headers: { cookie: admin.cookie } });
      assert.equal(without.status, 403);
      assert.equal(without.body.type, 'urn:robotid:problem:cross-site-request');
      const foreign = await h.call('POST', url, { body, ...asPerson(admin, 'https://evil.example') });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.body.type, 'urn:robotid:problem:cross-site-request');
      assert.equal(
        (await h.call('GET', url, { headers: { cookie: admin.cookie } })).status,
        200,
        'reads need none',
      );
      const own = await h.call('POST', url, { body, ...asPerson(admin, ORIGIN) });
      assert.equal(own.status, 201);
    });

    test('roles: a viewer reads only, a reporter reports, an administrator manages people', async () => {
      const viewer = await person(h, c.maker.org.id, c.maker.key, 'viewer');
      const reporter = await person(h, c.maker.org.id, c.maker.key, 'reporter');
      const robot = c.robots[0]!;
      const refused = await h.call('POST', '/v1/events', {
        body: { events: [manufactured(robot)] },
        ...asPerson(viewer),
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.type, 'urn:robotid:problem:role-forbids');
      assert.equal(
        (await h.call('GET', `/v1/robots/${robot}`, { headers: { cookie: viewer.cookie } })).status,
        200,
      );

      const reported = await h.call('POST', '/v1/events', {
        body: { events: [manufactured(robot)] },
        ...asPerson(reporter),
      });
      assert.equal(reported.status, 201, JSON.stringify(reported.body));
      const invite = await h.call('POST', `/v1/organisations/${c.maker.org.id}/invitations`, {
        body: { email: 'x@example.cn', role: 'viewer' },
        ...asPerson(reporter),
      });
      assert.equal(invite.status, 403);
      assert.equal(invite.body.type, 'urn:robotid:problem:role-forbids');
      const keys = await h.call('POST', `/v1/organisations/${c.maker.org.id}/keys`, {
        body: { name: 'mine' },
        ...asPerson(reporter),
      });
      assert.equal(keys.status, 403);
      for (const list of ['users', 'keys']) {
        const read = await h.call('GET', `/v1/organisations/${c.maker.org.id}/${list}`, {
          headers: { cookie: reporter.cookie },
        });
        assert.equal(read.status, 403, `a reporter lists ${list}`);
      }

      // What a person records names the person, and the audit and the read audit name it as well as its
      // organisation.
      const credential = `user:${reporter.id}`;
      const events = await rowsOf(h, 'events');
      assert.ok(
        events.some((e) => e.robot_id === robot && e.key_id === credential && e.org_id === c.maker.org.id),
      );
      const audit = await rowsOf(h, 'audit_log');
      assert.ok(
        audit.some(
          (a) =>
            a.action === 'events.capture' &&
            a.outcome === 'success' &&
            a.key_id === credential &&
            a.org_id === c.maker.org.id,
        ),
      );
      assert.ok(
        audit.some(
          (a) => a.action === 'events.capture' && a.outcome === 'failure' && a.key_id === `user:${viewer.id}`,
        ),
        'the refusal is audited too',
      );
      await h.call('GET', `/v1/robots/${robot}/events`, { headers: { cookie: reporter.cookie } });
      await h.ctx.readAudit.flush();
      const reads = await rowsOf(h, 'read_audit');
      assert.ok(
        reads.some((r) => r.key_id === credential && r.org_id === c.maker.org.id && r.robot_id === robot),
      );
    });

    test('the TOTP secret is sealed: not stored in clear, rewrapped by key rotation, and still signs in', async () => {
      const p = await person(h, c.seller.org.id, c.seller.key, 'viewer');
      const stored = async () => (await rowsOf(h, 'users')).find((u) => u.id === p.id)!;
      const before = await stored();
      assert.equal(JSON.stringify(before).includes(p.secret), false);
      assert.equal(
        String(before.password_hash).startsWith('scrypt$10$8$1$'),
        true,
        'parameters kept with the hash',
      );
      const file = join(h.dataDir, 'personal-data-keys.json');
      const ring = {
        read: () => readKeyRing(file),
        write: (r: ReturnType<typeof readKeyRing>) => writeKeyRing(file, r),
      };
      const report = await rotatePersonalDataKeys(h.ctx.store, ring, { retireOld: true, now: new Date() });
      assert.deepEqual(report.retired, [report.newVersion - 1]);
      const after = await stored();
      assert.equal(after.totp_kek_version, report.newVersion);
      assert.deepEqual(after.totp_ciphertext, before.totp_ciphertext, 'only the data key is rewrapped');
      clock.advance(STEP);
      assert.ok(await signIn(h, p), 'signs in with the retired key gone');
    });

    test("a person of another organisation gets the API's answer to that organisation's key: 404", async () => {
      const robot = c.robots[1]!;
      assert.equal((await report(h, c.maker.key, [manufactured(robot)])).status, 201);
      const other = await admit(h, ['seller']);
      const stranger = await person(h, other.org.id, other.key, 'administrator');
      for (const url of [`/v1/robots/${robot}/events`, `/v1/organisations/${c.maker.org.id}/keys`]) {
        const byKey = await h.call('GET', url, { key: other.key });
        const byPerson = await h.call('GET', url, { headers: { cookie: stranger.cookie } });
        assert.equal(byPerson.status, byKey.status, url);
        assert.equal(byPerson.body.type, byKey.body.type, url);
      }
      const invite = await h.call('POST', `/v1/organisations/${c.maker.org.id}/invitations`, {
        body: { email: 'intruder@example.cn', role: 'administrator' },
        ...asPerson(stranger),
      });
      assert.equal(invite.status, 404);
    });
  });
}
