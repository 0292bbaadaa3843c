/**
 * A signed-in person changes its own password and TOTP secret, as the console's account page does: the current
 * password is required (and a wrong one counts towards lock-out), the new secret is shown once and confirmed with a
 * code from it, the person's other sessions end, and the audit names the person. On both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Secret } from 'otpauth';
import { admit } from '../../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
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

const STEP = 30_000; // a TOTP code is good once: the next sign-in waits for the next step
const NEW_PASSWORD = 'a longer and newer passphrase';

for (const store of testStores) {
  describe(`changing credentials (${store.name})`, () => {
    let h: Harness;
    let clock: ReturnType<typeof testClock>;
    let org: Awaited<ReturnType<typeof admit>>;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      clock = testClock(h);
      org = await admit(h, ['operator']);
    });
    after(() => h.close());

    const me = (cookie: string) => h.call('GET', '/v1/me', { headers: { cookie } });
    const signInWith = (p: Person, password: string, secret: string) =>
      h.call('POST', '/v1/session', { body: { email: p.email, password, totp: totpCode(h, secret) } });
    /** The person signed in a second time, elsewhere: that session's cookie. */
    const elsewhere = async (p: Person) => {
      clock.advance(STEP);
      return signIn(h, p);
    };
    const audited = async (action: string, p: Person) =>
      (await rowsOf(h, 'audit_log')).filter((r) => r.action === action && r.key_id === `user:${p.id}`);

    test('a person changes its password: the current one is needed, the other sessions end, the audit says so', async () => {
      const p = await person(h, org.org.id, org.key, 'viewer');
      const other = await elsewhere(p);
      const change = (body: object) => h.call('PUT', '/v1/me/password', { body, ...asPerson(p) });

      const wrong = await change({ currentPassword: 'not the password at all', newPassword: NEW_PASSWORD });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.type, 'urn:robotid:problem:wrong-password');
      assert.deepEqual(
        wrong.body.errors.map((e: { field: string }) => e.field),
        ['/currentPassword'],
      );
      const short = await change({ currentPassword: PASSWORD, newPassword: 'too short' });
      assert.equal(short.status, 400);
      assert.equal(short.body.type, 'urn:robotid:problem:weak-password');
      assert.equal(short.body.errors[0].field, '/newPassword');
      const byKey = await h.call('PUT', '/v1/me/password', {
        key: org.key,
        body: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      });
      assert.equal(byKey.status, 403);
      assert.equal(byKey.body.type, 'urn:robotid:problem:user-required');
      assert.equal((await me(other)).status, 200, 'refusals end nothing');

      const changed = await change({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(changed.body.user.id, p.id);
      assert.equal((await me(p.cookie)).status, 200, 'the session that changed it stays');
      assert.equal((await me(other)).status, 401, 'the other session has ended');

      clock.advance(STEP);
      assert.equal((await signInWith(p, PASSWORD, p.secret)).status, 401, 'the old password is refused');
      const again = await signInWith(p, NEW_PASSWORD, p.secret);
      assert.equal(again.status, 200);
      assert.equal((await me(sessionCookieOf(again.headers))).body.user.id, p.id);

      const records = await audited('password.change', p);
      assert.deepEqual(
        records.map((r) => [r.outcome, r.detail]),
        [
          ['failure', 'wrong-password'],
          ['success', null],
        ],
      );
    });

    test('wrong current passwords count towards the account’s lock-out', async () => {
      const p = await person(h, org.org.id, org.key, 'reporter');
      const body = { currentPassword: 'a guess at the password', newPassword: NEW_PASSWORD };
      for (let i = 0; i < 5; i++) {
        const res = await h.call('PUT', '/v1/me/password', { body, ...asPerson(p) });
        assert.equal(res.status, 400, `guess ${i + 1}`);
      }
      const locked = await h.call('PUT', '/v1/me/password', {
        body: { ...body, currentPassword: PASSWORD },
        ...asPerson(p),
      });
      assert.equal(locked.status, 429, 'even the right password waits for the lock');
      assert.equal(locked.body.type, 'urn:robotid:problem:sign-in-locked');
      assert.ok(Number(locked.headers['retry-after']) > 0);
      clock.advance(STEP);
      assert.equal((await signInWith(p, PASSWORD, p.secret)).status, 429, 'sign-in is locked as well');
    });

    test('a person changes its TOTP secret: shown once, confirmed by a code of it, then the only one', async () => {
      const p = await person(h, org.org.id, org.key, 'reporter');
      const other = await elsewhere(p);
      const confirm = (body: object, who = p.cookie) =>
        h.call('POST', '/v1/me/totp', { body, headers: { cookie: who, origin: ORIGIN } });

      const none = await confirm({ password: PASSWORD, code: totpCode(h, p.secret) });
      assert.equal(none.status, 400);
      assert.equal(none.body.type, 'urn:robotid:problem:no-totp-change');

      const started = await h.call('POST', '/v1/me/totp/options', { body: {}, ...asPerson(p) });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const secret = started.body.secret as string;
      assert.notEqual(secret, p.secret);
      assert.equal(Secret.fromBase32(secret).bytes.length, 20);
      assert.match(started.body.uri, /^otpauth:\/\/totp\/robotid:.*secret=/);
      const stored = await rowsOf(h, 'totp_enrolments');
      assert.equal(stored.length, 1);
      assert.ok(!Buffer.from(stored[0]!.ciphertext as Buffer).includes(secret), 'kept sealed');

      const oldCode = await confirm({ password: PASSWORD, code: totpCode(h, p.secret) });
      assert.equal(oldCode.status, 400, 'a code of the old secret confirms nothing');
      assert.equal(oldCode.body.type, 'urn:robotid:problem:wrong-totp-code');
      assert.equal(oldCode.body.errors[0].field, '/code');
      const wrongPassword = await confirm({ password: 'not the password', code: totpCode(h, secret) });
      assert.equal(wrongPassword.status, 400);
      assert.equal(wrongPassword.body.errors[0].field, '/password');
      const fromOther = await confirm({ password: PASSWORD, code: totpCode(h, secret) }, other);
      assert.equal(fromOther.body.type, 'urn:robotid:problem:no-totp-change', 'another session has none');

      const code = totpCode(h, secret);
      const changed = await confirm({ password: PASSWORD, code });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal((await me(p.cookie)).status, 200, 'the session that changed it stays');
      assert.equal((await me(other)).status, 401, 'the other session has ended');
      assert.equal((await rowsOf(h, 'totp_enrolments')).length, 0);
      const twice = await confirm({ password: PASSWORD, code });
      assert.equal(twice.body.type, 'urn:robotid:problem:no-totp-change', 'confirmed once');

      const sameCode = await h.call('POST', '/v1/session', {
        body: { email: p.email, password: PASSWORD, totp: code },
      });
      assert.equal(sameCode.status, 401, 'the code that confirmed cannot also sign in');
      clock.advance(STEP);
      assert.equal((await signInWith(p, PASSWORD, p.secret)).status, 401, 'the old secret is refused');
      assert.equal((await signInWith(p, PASSWORD, secret)).status, 200, 'the new one signs in');
      assert.deepEqual(
        (await audited('totp.change', p)).map((r) => [r.outcome, r.detail]),
        [
          ['failure', 'no-totp-change'],
          ['failure', 'wrong-totp-code'],
          ['failure', 'wrong-password'],
          ['failure', 'no-totp-change'],
          ['success', null],
          ['failure', 'no-totp-change'],
        ],
      );
    });

    test('a new secret not confirmed within ten minutes lapses, and the old one still signs in', async () => {
      const p = await person(h, org.org.id, org.key, 'viewer');
      const started = await h.call('POST', '/v1/me/totp/options', { body: {}, ...asPerson(p) });
      assert.equal(started.status, 200);
      clock.advance(10 * 60_000);
      const late = await h.call('POST', '/v1/me/totp', {
        body: { password: PASSWORD, code: totpCode(h, started.body.secret) },
        ...asPerson(p),
      });
      assert.equal(late.status, 400);
      assert.equal(late.body.type, 'urn:robotid:problem:no-totp-change');
      clock.advance(STEP);
      assert.equal((await signInWith(p, PASSWORD, p.secret)).status, 200);
    });
  });
}
