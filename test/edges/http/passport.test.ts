import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { parseCheckpoint } from '../../../src/log/checkpoint.js';
import { openNote, parseVerifierKey, type KeyVerifier } from '../../../src/log/note.js';
import { verifyPassport } from '../../../src/passport/passport.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { event, intoUse, report, supplyChain, type SupplyChain } from '../../support/lifecycle.js';

describe('robot passports over HTTP', () => {
  let h: Harness;
  let c: SupplyChain;
  let key: KeyVerifier;
  before(async () => {
    h = await startHarness();
    c = await supplyChain(h, 2);
    key = parseVerifierKey(String((await h.call('GET', '/v1/log/key')).body).trim());
  });
  after(() => h.close());

  const passport = async (id: string) => {
    const res = await h.call('GET', `/v1/robots/${encodeURIComponent(id)}/passport`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers['content-type'], 'application/dc+sd-jwt');
    assert.equal(res.headers['cache-control'], 'no-store');
    const verified = await verifyPassport(res.body as string, key);
    assert.deepEqual(verified.problems, []);
    return { text: res.body as string, ...verified };
  };

  test('a robot through its life: issued, in use, then stopped by a regulator', async () => {
    const id = c.robots[0]!;
    const issued = await passport(id);
    assert.equal(issued.robotId, id);
    assert.equal(issued.issuer, 'https://registry.test');
    assert.equal(issued.jurisdiction, h.ctx.operatorCountry);
    assert.deepEqual(issued.withheld, []);
    assert.deepEqual(issued.disclosed, {
      manufacturer: { name: c.maker.org.name, enterpriseCode: id.slice(2, 6), country: 'CN' },
      model: { code: c.maker.model.code, name: c.maker.model.name },
      productionMonth: null,
      state: 'issued',
      certification: { status: 'none', standard: null, validUntil: null },
      stopUse: null,
      recalls: [],
    });

    await intoUse(h, c, id);
    const inUse = await passport(id);
    assert.equal(inUse.disclosed.state, 'in_use');
    assert.equal(inUse.disclosed.productionMonth, '2026-01');
    assert.deepEqual(inUse.disclosed.certification, {
      status: 'valid',
      standard: 'GB/T 12643',
      validUntil: '2030-01-01T00:00:00Z',
    });
    assert.equal(inUse.checkpoint!.size, 6, 'a checkpoint signed to cover the robot’s last event');

    const stop = event('suspended', id, { orderNumber: 'SUO-9', reason: 'actuator lot recall' });
    assert.equal((await report(h, c.regulator.key, [stop])).status, 201);
    const stopped = await passport(id);
    assert.deepEqual(stopped.disclosed.stopUse, { orderNumber: 'SUO-9', since: stop.eventTime });
    assert.equal(stopped.checkpoint!.size, 7);
    const decoded = decodeAll(stopped.text);
    for (const secret of ['actuator lot recall', c.operator.org.id, '310115', c.regulator.org.id])
      assert.ok(!decoded.includes(secret), `${secret} is not in a passport`);
  });

  test('any of the ID’s three forms gives the same robot’s passport; an unknown robot is 404', async () => {
    const id = c.robots[0]!;
    const { printed, display } = (await h.call('GET', `/v1/robots/${id}`)).body as Record<string, string>;
    for (const form of [printed!, display!]) assert.equal((await passport(form)).robotId, id);
    const unknown = `${id.slice(0, -1)}${id.endsWith('9') ? '8' : '9'}`;
    const missing = await h.call('GET', `/v1/robots/${unknown}/passport`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.type, 'urn:robotid:problem:robot-not-found');
  });

  test('the embedded checkpoint is the log’s own, and the JWK Set holds the same key', async () => {
    const { text, checkpoint } = await passport(c.robots[1]!);
    const payload = JSON.parse(Buffer.from(text.split('.')[1]!, 'base64url').toString()) as {
      checkpoint: string;
    };
    assert.equal(parseCheckpoint(openNote(payload.checkpoint, [key]).text).size, checkpoint!.size);

    const jwks = await h.call('GET', '/.well-known/jwks.json');
    assert.equal(jwks.status, 200);
    const [jwk] = jwks.body.keys;
    assert.deepEqual(jwk, {
      kty: 'OKP',
      crv: 'Ed25519',
      x: key.publicKey.toString('base64url'),
      kid: `${key.name}+${key.keyId.toString('hex')}`,
      use: 'sig',
      alg: 'Ed25519',
    });
    // Plain JOSE: the JWT's signature checks with the JWK alone, without robotid's key format.
    const [header, body, signature] = text.split('~')[0]!.split('.') as [string, string, string];
    const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
    const input = Buffer.from(`${header}.${body}`);
    assert.ok(verify(null, input, publicKey, Buffer.from(signature, 'base64url')));
  });

  test('the issuer metadata at the well-known path names the passports’ iss and holds the same key', async () => {
    const { text } = await passport(c.robots[0]!);
    const metadata = await h.call('GET', '/.well-known/jwt-vc-issuer');
    assert.equal(metadata.status, 200);
    assert.match(String(metadata.headers['content-type']), /^application\/json/);
    assert.match(String(metadata.headers['cache-control']), /max-age=\d+/);
    const payload = JSON.parse(Buffer.from(text.split('.')[1]!, 'base64url').toString()) as { iss: string };
    assert.equal(metadata.body.issuer, payload.iss);
    assert.deepEqual(metadata.body.jwks, (await h.call('GET', '/.well-known/jwks.json')).body);
  });

  test('the vct resolves to the type metadata, whose bytes are the passport’s vct#integrity', async () => {
    const { text } = await passport(c.robots[0]!);
    const payload = JSON.parse(Buffer.from(text.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      string
    >;
    const vct = new URL(payload.vct!);
    assert.equal(vct.origin, 'https://registry.test');
    const res = await h.call('GET', vct.pathname);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.equal(res.body.vct, payload.vct);
    const raw = (await h.app.inject({ method: 'GET', url: vct.pathname })).rawPayload;
    assert.equal(payload['vct#integrity'], `sha256-${createHash('sha256').update(raw).digest('base64')}`);
  });
});

describe('passport metadata when the public URL has a path', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ database: { publicBaseUrl: 'https://gov.test/robotid' } });
  });
  after(() => h.close());

  test('the issuer metadata is also at /.well-known/jwt-vc-issuer/<path>, naming the whole URL', async () => {
    for (const path of ['/.well-known/jwt-vc-issuer/robotid', '/.well-known/jwt-vc-issuer']) {
      const res = await h.call('GET', path);
      assert.equal(res.status, 200, path);
      assert.equal(res.body.issuer, 'https://gov.test/robotid');
    }
    const metadata = await h.call('GET', '/vct/robot-passport/v1');
    assert.equal(metadata.body.vct, 'https://gov.test/robotid/vct/robot-passport/v1');
  });
});

/** Every part of an SD-JWT decoded from base64url, joined: what anyone holding it could read. */
function decodeAll(sdJwt: string): string {
  return sdJwt
    .split(/[~.]/)
    .map((part) => Buffer.from(part, 'base64url').toString('utf8'))
    .join('\n');
}
