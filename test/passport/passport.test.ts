import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { formatCheckpoint } from '../../src/log/checkpoint.js';
import {
  formatSignatureLine,
  generateSigner,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '../../src/log/note.js';
import { ed25519Jwk, verifierFromJwk } from '../../src/passport/jwk.js';
import {
  LEGACY_PROFILE,
  PASSPORT_TYP,
  PASSPORT_VALIDITY_SECONDS,
  issuePassport,
  looksLikeSdJwt,
  verifyPassport,
  type PassportClaims,
  type VerifyPassportOptions,
} from '../../src/passport/passport.js';
import { disclosureDigest, encodeBase64Url, issueSdJwt, makeDisclosure } from '../../src/passport/sd-jwt.js';
import {
  jwtVcIssuerMetadataPath,
  passportTypeMetadata,
  passportTypeMetadataDocument,
} from '../../src/passport/vc-metadata.js';

const keys = generateSigner('registry.test/log');
const signer = parseSignerKey(keys.signerKey);
const key = parseVerifierKey(keys.verifierKey);
const KID = `${key.name}+${key.keyId.toString('hex')}`;
const checkpointOf = (origin: string) =>
  signNote(formatCheckpoint({ origin, size: 3, rootHash: Buffer.alloc(32, 7) }), [signer]);

const STATEMENT = {
  iss: 'https://registry.test',
  iat: 1_790_000_000,
  sub: 'CN0001H1X9B4R0000000000000001',
  checkpoint: checkpointOf('registry.test/log'),
  jurisdiction: 'CN',
};
const CLAIMS: PassportClaims = {
  manufacturer: { name: 'Walkers Ltd', enterpriseCode: '0001', country: 'CN' },
  model: { code: 'H1X9B4', name: 'Walker H1' },
  productionMonth: '2026-01',
  state: 'in_use',
  certification: { status: 'valid', standard: 'GB/T 12643', validUntil: '2030-01-01T00:00:00Z' },
  stopUse: null,
  recalls: [],
};
/** A day after issue: the passport is current. */
const AT = { now: new Date((STATEMENT.iat + 86_400) * 1000) };
const VCT = 'https://registry.test/vct/robot-passport/v1';
const issued = () => issuePassport(STATEMENT, CLAIMS, signer);
const problems = async (sdJwt: string, options: VerifyPassportOptions = AT) =>
  (await verifyPassport(sdJwt, key, options)).problems;

/** A passport signed with the log key but with the payload (and header) given: what a forger cannot make. */
function signedPassport(clear: Record<string, unknown>, header: Record<string, unknown>): string {
  const disclosures = Object.entries(CLAIMS).map(([name, value]) => makeDisclosure(name, value));
  const payload = { ...clear, _sd: disclosures.map(disclosureDigest).sort(), _sd_alg: 'sha-256' };
  const input = `${encodeBase64Url(JSON.stringify(header))}.${encodeBase64Url(JSON.stringify(payload))}`;
  const jwt = `${input}.${encodeBase64Url(signer.sign(Buffer.from(input, 'ascii')))}`;
  return [jwt, ...disclosures, ''].join('~');
}
const payloadOf = (sdJwt: string) =>
  JSON.parse(Buffer.from(sdJwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const headerOf = (sdJwt: string) =>
  JSON.parse(Buffer.from(sdJwt.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;

describe('robot passport: an SD-JWT VC', () => {
  test('issued and verified: the statement, the checkpoint and every claim', async () => {
    const report = await verifyPassport(await issued(), key, AT);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.format, 'sd-jwt-vc');
    assert.equal(report.robotId, STATEMENT.sub);
    assert.equal(report.issuedAt, new Date(STATEMENT.iat * 1000).toISOString());
    assert.equal(
      report.expiresAt,
      new Date((STATEMENT.iat + PASSPORT_VALIDITY_SECONDS) * 1000).toISOString(),
    );
    assert.deepEqual(report.checkpoint, {
      origin: 'registry.test/log',
      size: 3,
      rootHash: Buffer.alloc(32, 7).toString('base64'),
    });
    assert.deepEqual(report.disclosed, CLAIMS);
    assert.deepEqual(report.withheld, []);
  });

  test('the header and the clear claims are SD-JWT VC’s: typ dc+sd-jwt, alg Ed25519, vct, its integrity, exp', async () => {
    const sdJwt = await issued();
    assert.deepEqual(headerOf(sdJwt), { alg: 'Ed25519', typ: 'dc+sd-jwt', kid: KID });
    const { _sd, _sd_alg, ...clear } = payloadOf(sdJwt);
    assert.equal(_sd_alg, 'sha-256');
    assert.equal(
      (_sd as string[]).length,
      Object.keys(CLAIMS).length + 2,
      'one digest per claim, two decoys',
    );
    const text = passportTypeMetadataDocument(STATEMENT.iss).text;
    assert.deepEqual(clear, {
      ...STATEMENT,
      vct: VCT,
      'vct#integrity': `sha256-${createHash('sha256').update(text).digest('base64')}`,
      exp: STATEMENT.iat + PASSPORT_VALIDITY_SECONDS,
    });
    assert.ok(!('cnf' in clear), 'no holder binding: no cnf');
  });

  test('expired, or issued in the future: refused', async () => {
    const sdJwt = await issued();
    const exp = STATEMENT.iat + PASSPORT_VALIDITY_SECONDS;
    assert.deepEqual(await problems(sdJwt, { now: new Date(exp * 1000) }), [
      `claim "exp": the passport expired at ${new Date(exp * 1000).toISOString()}`,
    ]);
    assert.deepEqual(await problems(sdJwt, { now: new Date((STATEMENT.iat - 3600) * 1000) }), [
      `claim "iat": ${new Date(STATEMENT.iat * 1000).toISOString()} is in the future`,
    ]);
  });

  test('a vct other than the registry’s passport type, or none: refused', async () => {
    const header = { alg: 'Ed25519', typ: PASSPORT_TYP, kid: KID };
    const exp = STATEMENT.iat + PASSPORT_VALIDITY_SECONDS;
    const other = signedPassport({ ...STATEMENT, exp, vct: 'https://registry.test/vct/other/v1' }, header);
    assert.deepEqual(await problems(other), [
      `claim "vct": must be "${VCT}", got "https://registry.test/vct/other/v1"`,
    ]);
    assert.deepEqual(await problems(signedPassport({ ...STATEMENT, vct: VCT }, header)), [
      'claim "exp": missing or not a time in seconds',
    ]);
    assert.deepEqual(await problems(signedPassport({ ...STATEMENT, exp }, header)), [
      `claim "vct": must be "${VCT}", got undefined`,
    ]);
  });

  test('a passport whose iss is not the issuer the key was published for: refused', async () => {
    assert.deepEqual(await problems(await issued(), { ...AT, issuer: 'https://elsewhere.test' }), [
      'claim "iss": "https://registry.test" is not the issuer the key was published for, "https://elsewhere.test"',
    ]);
    assert.deepEqual(await problems(await issued(), { ...AT, issuer: STATEMENT.iss }), []);
  });

  test('signed by another key, or with a disclosure changed: refused', async () => {
    const other = parseVerifierKey(generateSigner('registry.test/log').verifierKey);
    const report = await verifyPassport(await issued(), other, AT);
    assert.equal(report.ok, false);
    assert.ok(report.problems.includes('signature: does not verify with the key'));
    const [jwt, ...disclosures] = (await issued()).split('~');
    const forged = makeDisclosure('state', 'in_use');
    const changed = [jwt, ...disclosures.slice(1, -1), forged, ''].join('~');
    assert.deepEqual(await problems(changed), [
      `disclosure 7 ("state"): its digest ${disclosureDigest(forged)} is not in the signed _sd list`,
    ]);
  });

  test('a legacy passport (vnd.robotid typ, EdDSA, no vct or exp) still verifies, reported as legacy', async () => {
    const legacy = signedPassport(STATEMENT, { typ: LEGACY_PROFILE.typ, kid: KID, alg: 'EdDSA' });
    const report = await verifyPassport(legacy, key, { now: new Date('2030-01-01T00:00:00Z') });
    assert.deepEqual(report.problems, []);
    assert.equal(report.format, 'legacy');
    assert.equal(report.expiresAt, null);
    assert.deepEqual(report.disclosed, CLAIMS);
    const mixed = signedPassport(STATEMENT, { typ: LEGACY_PROFILE.typ, kid: KID, alg: 'Ed25519' });
    assert.deepEqual(await problems(mixed), [
      `JWT header: alg must be "EdDSA" with typ "${LEGACY_PROFILE.typ}", got "Ed25519"`,
    ]);
  });

  test('a checkpoint of another log, or a statement missing its clear claims, is refused', async () => {
    const otherLog = await issuePassport(
      { ...STATEMENT, checkpoint: checkpointOf('elsewhere/log') },
      CLAIMS,
      signer,
    );
    assert.deepEqual(await problems(otherLog), [
      'checkpoint: it is for log "elsewhere/log", but the key is for "registry.test/log"',
    ]);
    const { sub: _sub, iat: _iat, ...partial } = STATEMENT;
    const exp = STATEMENT.iat + PASSPORT_VALIDITY_SECONDS;
    const bare = signedPassport(
      { ...partial, iat: 'yesterday', exp, vct: VCT },
      { alg: 'Ed25519', typ: PASSPORT_TYP, kid: KID },
    );
    assert.deepEqual(await problems(bare), [
      'claim "sub": missing or not a string',
      'claim "iat": missing or not a time in seconds',
    ]);
  });

  test('another SD-JWT signed with the same key is not a passport (explicit typing)', async () => {
    const other = await issueSdJwt({
      header: { alg: 'Ed25519', typ: 'example+sd-jwt', kid: KID },
      clear: STATEMENT,
      disclosable: CLAIMS as unknown as Record<string, unknown>,
      key: signer.privateKey,
    });
    assert.deepEqual(await problems(other), [
      `JWT header: typ must be "${PASSPORT_TYP}" or "${LEGACY_PROFILE.typ}", got "example+sd-jwt"`,
    ]);
  });

  test('a passport’s signature is no note signature: a signing input has no newline, a note text ends in one', async () => {
    const [header, payload, signature] = (await issued()).split('~')[0]!.split('.');
    const line = formatSignatureLine(key.name, key.keyId, Buffer.from(signature!, 'base64url'));
    assert.throws(() => openNote(`${header}.${payload}\n\n${line}`, [key]), { code: 'invalid-signature' });
  });

  test('a passport is told from a proof bundle by its form', async () => {
    assert.equal(looksLikeSdJwt(await issued()), true);
    assert.equal(looksLikeSdJwt('{"format": "robotid-proof-bundle/v1"}'), false);
    const jwt = (await issued()).split('~')[0]!;
    assert.equal(looksLikeSdJwt(jwt), true, 'a bare JWT is checked as a passport, and refused as one');
    assert.deepEqual(await problems(jwt), ['not an SD-JWT: no "~" after the JWT']);
  });
});

describe('passport keys and metadata', () => {
  test('the JWK is the log key, named like its verifier key string, and turns back into it', async () => {
    const jwk = await ed25519Jwk(signer);
    assert.deepEqual(jwk, {
      kty: 'OKP',
      crv: 'Ed25519',
      x: key.publicKey.toString('base64url'),
      kid: keys.verifierKey.split('+').slice(0, 2).join('+'),
      use: 'sig',
      alg: 'Ed25519',
    });
    assert.equal(verifierFromJwk(jwk).publicKey.toString('hex'), key.publicKey.toString('hex'));
    assert.throws(() => verifierFromJwk({ ...jwk, kid: 'registry.test/log+00000000' }), /key ID/);
    assert.throws(() => verifierFromJwk({ ...jwk, crv: 'P-256' }), /not an Ed25519 public JWK/);
  });

  test('the type metadata names the vct and labels every claim in Chinese and English', () => {
    const metadata = passportTypeMetadata(STATEMENT.iss);
    assert.equal(metadata.vct, VCT);
    assert.deepEqual(
      metadata.display.map((d) => d.locale),
      ['zh-CN', 'en'],
    );
    const paths = metadata.claims.map((c) => `${c.path.join('.')}:${c.sd}`);
    assert.deepEqual(paths, [
      'sub:never',
      'jurisdiction:never',
      'checkpoint:never',
      ...Object.keys(CLAIMS).map((name) => `${name}:always`),
    ]);
    for (const claim of metadata.claims)
      assert.deepEqual(
        claim.display.map((d) => d.locale),
        ['zh-CN', 'en'],
      );
    assert.deepEqual(JSON.parse(passportTypeMetadataDocument(STATEMENT.iss).text), metadata);
  });

  test('issuer metadata sits between host and path, as the draft says', () => {
    assert.equal(jwtVcIssuerMetadataPath('https://registry.test'), '/.well-known/jwt-vc-issuer');
    assert.equal(jwtVcIssuerMetadataPath('https://gov.test/robotid'), '/.well-known/jwt-vc-issuer/robotid');
    assert.equal(jwtVcIssuerMetadataPath('https://gov.test/a/b/'), '/.well-known/jwt-vc-issuer/a/b');
  });
});
