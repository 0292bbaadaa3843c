/**
 * Passkeys (WebAuthn) as the console uses them, answered by a software authenticator (ES256, attestation 'none'):
 * a person adds one while signed in and then signs in with it alone; challenges are good once for five minutes;
 * a foreign origin, a replay, a cloned authenticator and a removed passkey are refused. On both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { admit } from '../../support/fixtures.js';
import { SoftwareAuthenticator } from '../../support/authenticator.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import {
  asPerson,
  ORIGIN,
  person,
  sessionCookieOf,
  signIn,
  testClock,
  type Person,
} from '../../support/users.js';

const STEP = 30_000;

for (const store of testStores) {
  describe(`passkeys (${store.name})`, () => {
    let h: Harness;
    let clock: ReturnType<typeof testClock>;
    let org: Awaited<ReturnType<typeof admit>>;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      clock = testClock(h);
      org = await admit(h, ['operator']);
    });
    after(() => h.close());

    /** A person with a passkey added through the API, as the console does it. */
    async function withPasskey(role = 'viewer') {
      const p = await person(h, org.org.id, org.key, role);
      const authenticator = new SoftwareAuthenticator(ORIGIN);
      const options = await h.call('POST', '/v1/me/passkeys/options', asPerson(p));
      assert.equal(options.status, 200, JSON.stringify(options.body));
      assert.equal(options.body.rp.id, 'registry.test');
      const added = await h.call('POST', '/v1/me/passkeys', {
        body: { name: 'laptop', response: authenticator.create(options.body) },
        ...asPerson(p),
      });
      assert.equal(added.status, 201, JSON.stringify(added.body));
      return { p, authenticator, passkey: added.body.passkey as { id: string; name: string } };
    }

    const signInOptions = async () => {
      const res = await h.call('POST', '/v1/session/passkey/options', { body: {} });
      assert.equal(res.status, 200);
      return res.body as { challengeId: string; options: { challenge: string; rpId: string } };
    };
    const passkeySignIn = (challengeId: string, response: unknown) =>
      h.call('POST', '/v1/session/passkey', { body: { challengeId, response } });

    test('a person adds a passkey and signs in with it alone', async () => {
      const { p, authenticator, passkey } = await withPasskey();
      assert.equal(passkey.name, 'laptop');
      const listed = await h.call('GET', '/v1/me/passkeys', { headers: { cookie: p.cookie } });
      assert.deepEqual(
        listed.body.items.map((k: { id: string }) => k.id),
        [passkey.id],
      );
      const { challengeId, options } = await signInOptions();
      assert.equal(options.rpId, 'registry.test');
      const res = await passkeySignIn(challengeId, authenticator.get(options));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.user.id, p.id);
      const cookie = sessionCookieOf(res.headers);
      assert.notEqual(cookie, p.cookie);
      const me = await h.call('GET', '/v1/me', { headers: { cookie } });
      assert.equal(me.body.user.id, p.id);
      const used = await h.call('GET', '/v1/me/passkeys', { headers: { cookie } });
      assert.ok(used.body.items[0].lastUsedAt);
    });

    test('a challenge is answered once and for five minutes only', async () => {
      const { authenticator } = await withPasskey();
      const first = await signInOptions();
      const answer = authenticator.get(first.options);
      assert.equal((await passkeySignIn(first.challengeId, answer)).status, 200);
      const replay = await passkeySignIn(first.challengeId, answer);
      assert.equal(replay.status, 401, 'the same answer again');
      assert.equal(replay.body.type, 'urn:robotid:problem:invalid-credentials');

      const late = await signInOptions();
      clock.advance(5 * 60_000 + 1000);
      assert.equal((await passkeySignIn(late.challengeId, authenticator.get(late.options))).status, 401);
    });

    test('another origin, a cloned authenticator and a removed passkey are refused', async () => {
      const { p, authenticator, passkey } = await withPasskey();
      const foreign = await signInOptions();
      const phished = authenticator.get(foreign.options, { origin: 'https://registry.test.evil.example' });
      assert.equal((await passkeySignIn(foreign.challengeId, phished)).status, 401);

      const ok = await signInOptions();
      assert.equal(
        (await passkeySignIn(ok.challengeId, authenticator.get(ok.options, { counter: 10 }))).status,
        200,
      );
      const clone = await signInOptions();
      const cloned = authenticator.get(clone.options, { counter: 5 });
      assert.equal((await passkeySignIn(clone.challengeId, cloned)).status, 401, 'the counter went back');

      const removed = await h.call(
        'DELETE',
        `/v1/me/passkeys/${encodeURIComponent(passkey.id)}`,
        asPerson(p),
      );
      assert.equal(removed.status, 200);
      const after = await signInOptions();
      assert.equal((await passkeySignIn(after.challengeId, authenticator.get(after.options))).status, 401);
    });

    test('a removed user’s passkeys go with it', async () => {
      const { p, authenticator } = await withPasskey('reporter');
      const removed = await h.call('DELETE', `/v1/organisations/${org.org.id}/users/${p.id}`, {
        key: org.key,
      });
      assert.equal(removed.status, 200);
      const { challengeId, options } = await signInOptions();
      assert.equal((await passkeySignIn(challengeId, authenticator.get(options))).status, 401);
    });

    test('a passkey made for another origin is not added; options are needed first', async () => {
      const p = await person(h, org.org.id, org.key, 'reporter');
      const authenticator = new SoftwareAuthenticator(ORIGIN);
      const options = await h.call('POST', '/v1/me/passkeys/options', asPerson(p));
      const wrong = await h.call('POST', '/v1/me/passkeys', {
        body: {
          name: 'phone',
          response: authenticator.create(options.body, { origin: 'https://evil.example' }),
        },
        ...asPerson(p),
      });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.type, 'urn:robotid:problem:passkey-not-verified');
      const again = await h.call('POST', '/v1/me/passkeys', {
        body: { name: 'phone', response: authenticator.create(options.body) },
        ...asPerson(p),
      });
      assert.equal(again.status, 400, 'the options were spent by the refused answer');
    });

    test('adding a passkey ends the person’s other sessions, not this one; an API key has no passkeys', async () => {
      const p: Person = await person(h, org.org.id, org.key, 'viewer');
      clock.advance(STEP);
      const other = await signIn(h, p);
      const authenticator = new SoftwareAuthenticator(ORIGIN);
      const options = await h.call('POST', '/v1/me/passkeys/options', asPerson(p));
      const added = await h.call('POST', '/v1/me/passkeys', {
        body: { name: 'key', response: authenticator.create(options.body) },
        ...asPerson(p),
      });
      assert.equal(added.status, 201);
      assert.equal((await h.call('GET', '/v1/me', { headers: { cookie: p.cookie } })).status, 200);
      assert.equal((await h.call('GET', '/v1/me', { headers: { cookie: other } })).status, 401);

      const byKey = await h.call('GET', '/v1/me/passkeys', { key: org.key });
      assert.equal(byKey.status, 403);
      assert.equal(byKey.body.type, 'urn:robotid:problem:user-required');
    });
  });
}
