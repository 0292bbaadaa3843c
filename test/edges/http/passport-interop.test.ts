/**
 * A passport checked by someone else's SD-JWT VC verifier (@sd-jwt/sd-jwt-vc, a dev dependency), the way a
 * wallet or foreign verifier would: the key from our running server's /.well-known/jwt-vc-issuer, the type
 * metadata from the URL in `vct`, checked against `vct#integrity`.
 */
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { digest } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance, type TypeMetadataFormat } from '@sd-jwt/sd-jwt-vc';
import { makeDisclosure } from '../../../src/passport/sd-jwt.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { intoUse, supplyChain, type SupplyChain } from '../../support/lifecycle.js';

const ISSUER = 'https://registry.test';

describe('a passport checked by a third-party SD-JWT VC verifier', () => {
  let h: Harness;
  let c: SupplyChain;
  let origin: string;
  let fetched: string[];
  before(async () => {
    h = await startHarness();
    c = await supplyChain(h, 1);
    await intoUse(h, c, c.robots[0]!);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  after(() => h.close());

  /** GET over the network from our server: the public URL (https://registry.test) stands for it. */
  const get = async (url: string) => {
    assert.ok(url.startsWith(`${ISSUER}/`), `only the issuer's own URLs are fetched, not ${url}`);
    fetched.push(url);
    const res = await fetch(`${origin}${url.slice(ISSUER.length)}`);
    assert.equal(res.status, 200, url);
    return Buffer.from(await res.arrayBuffer());
  };

  /** The draft's integrity check (§8): the SHA-256 of the bytes as served, base64, in W3C SRI syntax. */
  const vctFetcher = async (uri: string, integrity?: string): Promise<TypeMetadataFormat> => {
    const bytes = await get(uri);
    assert.equal(integrity, `sha256-${createHash('sha256').update(bytes).digest('base64')}`, 'vct#integrity');
    return JSON.parse(bytes.toString('utf8')) as TypeMetadataFormat;
  };

  /** The verifier a foreign party builds: the issuer's key from its JWT VC Issuer Metadata, nothing of ours. */
  const foreignVerifier = async () => {
    const metadata = JSON.parse((await get(`${ISSUER}/.well-known/jwt-vc-issuer`)).toString()) as {
      issuer: string;
      jwks: { keys: JsonWebKey[] };
    };
    assert.equal(metadata.issuer, ISSUER);
    const key = createPublicKey({ key: metadata.jwks.keys[0]!, format: 'jwk' });
    return new SDJwtVcInstance({
      hasher: digest,
      verifier: (data, signature) =>
        verify(null, Buffer.from(data), key, Buffer.from(signature, 'base64url')),
      vctFetcher,
      loadTypeMetadataFormat: true,
    });
  };

  const issuedPassport = async () =>
    String((await get(`${ISSUER}/v1/robots/${c.robots[0]}/passport`)).toString());

  test('it verifies, with every claim, the vct’s type metadata and the SD-JWT VC header', async () => {
    fetched = [];
    const verifier = await foreignVerifier();
    const result = await verifier.verify(await issuedPassport());
    assert.deepEqual(result.header, {
      alg: 'Ed25519',
      typ: 'dc+sd-jwt',
      kid: `${h.ctx.log.origin}+${h.ctx.log.signer.keyId.toString('hex')}`,
    });
    const vct = `${ISSUER}/vct/robot-passport/v1`;
    assert.equal(result.payload.vct, vct);
    assert.equal(result.payload.iss, ISSUER);
    assert.equal(result.payload.sub, c.robots[0]);
    assert.equal((result.payload as Record<string, unknown>).state, 'in_use');
    assert.equal(result.typeMetadata?.mergedTypeMetadata.vct, vct);
    assert.deepEqual(
      result.typeMetadata?.mergedTypeMetadata.display?.map((d) => d.locale),
      ['zh-CN', 'en'],
    );
    assert.ok(fetched.includes(vct), 'the type metadata came from the URL in vct');
  });

  test('a presentation with only some claims verifies too', async () => {
    const verifier = await foreignVerifier();
    const [jwt, ...disclosures] = (await issuedPassport()).split('~');
    const state = disclosures.find((d) => Buffer.from(d, 'base64url').toString().includes('"state"'))!;
    const result = await verifier.verify([jwt, state, ''].join('~'));
    const payload = result.payload as Record<string, unknown>;
    assert.equal(payload.state, 'in_use');
    assert.equal(payload.manufacturer, undefined);
  });

  test('a tampered passport is refused (a changed claim, another key); a forged disclosure is not taken', async () => {
    const verifier = await foreignVerifier();
    const issued = await issuedPassport();
    const [jwt, ...disclosures] = issued.split('~');
    const [header, payload, signature] = jwt!.split('.') as [string, string, string];

    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const otherRobot = Buffer.from(JSON.stringify({ ...claims, sub: 'CN0002H1X9B4R0000000000000002' }));
    const changedClaim = [`${header}.${otherRobot.toString('base64url')}.${signature}`, ...disclosures].join(
      '~',
    );
    await assert.rejects(verifier.verify(changedClaim), /Invalid JWT Signature/);

    // @sd-jwt 0.19 drops a disclosure no signed digest references instead of refusing the whole presentation
    // (RFC 9901 §7.1 step 5 says refuse; robotid verify does): the forged claim never reaches the payload.
    const forged = makeDisclosure('state', 'recycled');
    const withForged = await verifier.verify([jwt, forged, ''].join('~'));
    assert.equal((withForged.payload as Record<string, unknown>).state, undefined);

    const stranger = new SDJwtVcInstance({
      hasher: digest,
      verifier: (data, sig) =>
        verify(
          null,
          Buffer.from(data),
          createPublicKey({ key: STRANGER_JWK, format: 'jwk' }),
          Buffer.from(sig, 'base64url'),
        ),
    });
    await assert.rejects(stranger.verify(issued), /Invalid JWT Signature/);
  });
});

/** Some other Ed25519 public key (RFC 8037 §A.2's). */
const STRANGER_JWK: JsonWebKey = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
};
