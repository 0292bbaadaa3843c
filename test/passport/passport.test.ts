import assert from 'node:assert/strict';
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
import { ed25519Jwk } from '../../src/passport/jwk.js';
import {
  PASSPORT_TYP,
  issuePassport,
  looksLikeSdJwt,
  verifyPassport,
  type PassportClaims,
} from '../../src/passport/passport.js';
import { issueSdJwt } from '../../src/passport/sd-jwt.js';

const keys = generateSigner('registry.test/log');
const signer = parseSignerKey(keys.signerKey);
const key = parseVerifierKey(keys.verifierKey);
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

describe('robot passport', () => {
  test('issued and verified: the statement, the checkpoint and every claim', () => {
    const report = verifyPassport(issuePassport(STATEMENT, CLAIMS, signer), key);
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.robotId, STATEMENT.sub);
    assert.equal(report.issuedAt, new Date(STATEMENT.iat * 1000).toISOString());
    assert.deepEqual(report.checkpoint, {
      origin: 'registry.test/log',
      size: 3,
      rootHash: Buffer.alloc(32, 7).toString('base64'),
    });
    assert.deepEqual(report.disclosed, CLAIMS);
    assert.deepEqual(report.withheld, []);
  });

  test('a checkpoint of another log, or a statement missing its clear claims, is refused', () => {
    const otherLog = issuePassport(
      { ...STATEMENT, checkpoint: checkpointOf('elsewhere/log') },
      CLAIMS,
      signer,
    );
    assert.deepEqual(verifyPassport(otherLog, key).problems, [
      'checkpoint: it is for log "elsewhere/log", but the key is for "registry.test/log"',
    ]);
    const { sub: _sub, iat: _iat, ...partial } = STATEMENT;
    const bare = issueSdJwt({
      header: { typ: PASSPORT_TYP, kid: `${key.name}+${key.keyId.toString('hex')}` },
      clear: { ...partial, iat: 'yesterday' },
      disclosable: {},
      sign: signer.sign,
    });
    assert.deepEqual(verifyPassport(bare, key).problems, [
      'claim "sub": missing or not a string',
      'claim "iat": missing or not a time in seconds',
    ]);
  });

  test('another SD-JWT signed with the same key is not a passport (explicit typing)', () => {
    const other = issueSdJwt({
      header: { typ: 'example+sd-jwt', kid: `${key.name}+${key.keyId.toString('hex')}` },
      clear: STATEMENT,
      disclosable: CLAIMS as unknown as Record<string, unknown>,
      sign: signer.sign,
    });
    assert.deepEqual(verifyPassport(other, key).problems, [
      `JWT header: typ must be "${PASSPORT_TYP}", got "example+sd-jwt"`,
    ]);
  });

  test('a passport’s signature is no note signature: a signing input has no newline, a note text ends in one', () => {
    const [header, payload, signature] = issuePassport(STATEMENT, CLAIMS, signer).split('~')[0]!.split('.');
    const line = formatSignatureLine(key.name, key.keyId, Buffer.from(signature!, 'base64url'));
    assert.throws(() => openNote(`${header}.${payload}\n\n${line}`, [key]), { code: 'invalid-signature' });
  });

  test('a passport is told from a proof bundle by its form', () => {
    assert.equal(looksLikeSdJwt(issuePassport(STATEMENT, CLAIMS, signer)), true);
    assert.equal(looksLikeSdJwt('{"format": "robotid-proof-bundle/v1"}'), false);
    const jwt = issuePassport(STATEMENT, CLAIMS, signer).split('~')[0]!;
    assert.equal(looksLikeSdJwt(jwt), true, 'a bare JWT is checked as a passport, and refused as one');
    assert.deepEqual(verifyPassport(jwt, key).problems, ['not an SD-JWT: no "~" after the JWT']);
  });

  test('the JWK is the log key, named like its verifier key string', () => {
    assert.deepEqual(ed25519Jwk(key), {
      kty: 'OKP',
      crv: 'Ed25519',
      x: key.publicKey.toString('base64url'),
      kid: keys.verifierKey.split('+').slice(0, 2).join('+'),
      use: 'sig',
      alg: 'EdDSA',
    });
  });
});
