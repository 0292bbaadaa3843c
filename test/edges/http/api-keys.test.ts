import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { admit } from '../../support/fixtures.js';
import { startHarness, type Harness } from '../../support/harness.js';

describe('API keys', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('a key is shown once, stored only as a hash, and identifies its organisation', async () => {
    const { org, key, keyId } = await admit(h, ['seller']);
    assert.match(key, /^rid_[a-z2-7]{16}_[A-Za-z0-9_-]{43}$/);
    const me = await h.call('GET', '/v1/me', { key });
    assert.equal(me.status, 200);
    assert.equal(me.body.organisation.id, org.id);
    assert.equal(me.body.keyId, keyId);

    const listed = await h.call('GET', `/v1/organisations/${org.id}/keys`, { key });
    assert.equal(listed.status, 200);
    const entry = listed.body.items.find((k: { id: string }) => k.id === keyId);
    assert.ok(entry);
    assert.equal(entry.token, undefined);
    assert.equal(entry.secretHash, undefined);
    assert.ok(entry.lastUsedAt, 'last use is recorded');

    // `rid_<16-character id>_<secret>`; the base64url secret may itself hold '_', so it is cut by position.
    const secret = key.slice(`rid_${keyId}_`.length);
    assert.equal(secret.length, 43);
    const db = new Database(join(h.dataDir, 'robotid.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT * FROM api_keys WHERE id = ?').get(keyId) as Record<string, unknown>;
      assert.equal(JSON.stringify(row).includes(secret), false, 'the secret is not stored');
      assert.equal((row.secret_hash as Buffer).length, 32);
    } finally {
      db.close();
    }
  });

  test('an organisation creates further keys for itself but not for others', async () => {
    const a = await admit(h, ['seller']);
    const b = await admit(h, ['seller']);
    const own = await h.call('POST', `/v1/organisations/${a.org.id}/keys`, {
      key: a.key,
      body: { name: 'second' },
    });
    assert.equal(own.status, 201);
    assert.equal((await h.call('GET', '/v1/me', { key: own.body.token })).body.organisation.id, a.org.id);
    const other = await h.call('POST', `/v1/organisations/${b.org.id}/keys`, {
      key: a.key,
      body: { name: 'steal' },
    });
    assert.equal(other.status, 404, 'denied looks like not-found');
    assert.equal((await h.call('GET', `/v1/organisations/${b.org.id}/keys`, { key: a.key })).status, 404);
  });

  test('a revoked key stops working at once and stays listed', async () => {
    const a = await admit(h, ['seller']);
    const spare = await h.call('POST', `/v1/organisations/${a.org.id}/keys`, {
      key: a.key,
      body: { name: 'spare' },
    });
    const revoked = await h.call('DELETE', `/v1/organisations/${a.org.id}/keys/${spare.body.id}`, {
      key: a.key,
    });
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    const refused = await h.call('GET', '/v1/me', { key: spare.body.token });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.type, 'urn:robotid:problem:api-key-revoked');
    const listed = await h.call('GET', `/v1/organisations/${a.org.id}/keys`, { key: a.key });
    assert.ok(
      listed.body.items.some(
        (k: { id: string; revokedAt: string | null }) => k.id === spare.body.id && k.revokedAt,
      ),
    );
    const write = await h.call('POST', `/v1/organisations/${a.org.id}/keys`, {
      key: spare.body.token,
      body: { name: 'x' },
    });
    assert.equal(write.status, 401);
  });

  test('another organisation cannot revoke a key', async () => {
    const a = await admit(h, ['seller']);
    const b = await admit(h, ['seller']);
    const res = await h.call('DELETE', `/v1/organisations/${a.org.id}/keys/${a.keyId}`, { key: b.key });
    assert.equal(res.status, 404);
    assert.equal((await h.call('GET', '/v1/me', { key: a.key })).status, 200);
  });

  test('malformed, unknown and forged keys are refused, never treated as anonymous', async () => {
    const a = await admit(h, ['seller']);
    const forged = a.key.slice(0, -4) + (a.key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const [header, code] of [
      ['Bearer nonsense', 'invalid-api-key'],
      [`Bearer ${forged}`, 'invalid-api-key'],
      [`Bearer rid_aaaaaaaaaaaaaaaa_${'A'.repeat(43)}`, 'invalid-api-key'],
      ['Basic dXNlcjpwYXNz', 'invalid-authorization-header'],
    ]) {
      const res = await h.call('GET', '/v1/robots/CN0001H1X9B4R0000000000000001', {
        headers: { authorization: header! },
      });
      assert.equal(res.status, 401, header);
      assert.equal(res.body.type, `urn:robotid:problem:${code}`);
    }
  });
});
