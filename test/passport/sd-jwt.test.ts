import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateSigner, parseSignerKey, parseVerifierKey } from '../../src/log/note.js';
import { joseKey } from '../../src/passport/jwk.js';
import {
  decodeBase64UrlStrict,
  disclosedNames,
  disclosureDigest,
  encodeBase64Url,
  issueSdJwt,
  makeDisclosure,
  parseDisclosure,
  presentSdJwt,
  verifySdJwt,
} from '../../src/passport/sd-jwt.js';

const keys = generateSigner('registry.test/log');
const signer = parseSignerKey(keys.signerKey);
const key = await joseKey(parseVerifierKey(keys.verifierKey));
const otherKey = await joseKey(parseVerifierKey(generateSigner('registry.test/log').verifierKey));
const TYP = 'example+sd-jwt';
const LEGACY = { typ: 'old+sd-jwt', alg: 'EdDSA' };
const profiles = [{ typ: TYP, alg: 'Ed25519' }, LEGACY];
const options = { profiles, key };

/** A compact JWS signed by hand, so that a test can give it headers no JOSE library would produce. */
function signJwt(header: object, payload: object): string {
  const input = `${encodeBase64Url(JSON.stringify(header))}.${encodeBase64Url(JSON.stringify(payload))}`;
  return `${input}.${encodeBase64Url(signer.sign(Buffer.from(input, 'ascii')))}`;
}

/** RFC 9901 §4.2.1 and §4.2.3: a disclosure as the spec writes it (", " separators) and its digest. */
const RFC_DISCLOSURE = 'WyJfMjZiYzRMVC1hYzZxMktJNmNCVzVlcyIsICJmYW1pbHlfbmFtZSIsICJNw7ZiaXVzIl0';
const RFC_DIGEST = 'X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0';
/** RFC 9901 §4.2.2: an array-element disclosure ("FR"), which the flat profile refuses. */
const RFC_ARRAY_DISCLOSURE = 'WyJsa2x4RjVqTVlsR1RQVW92TU5JdkNBIiwgIkZSIl0';

const HEADER = { alg: 'Ed25519', typ: TYP };
const CLEAR = { iss: 'https://registry.test', sub: 'robot-1' };

/** An SD-JWT built by hand: the header, payload and disclosures exactly as given, signed with the test key. */
function craft(disclosures: string[], payload: Record<string, unknown> = {}, header: object = HEADER) {
  const body = { ...CLEAR, _sd: disclosures.map(disclosureDigest).sort(), _sd_alg: 'sha-256', ...payload };
  return [signJwt({ ...header }, body), ...disclosures, ''].join('~');
}

const problems = async (text: string) => (await await verifySdJwt(text, options)).problems;

const issued = () =>
  issueSdJwt({
    clear: CLEAR,
    disclosable: { state: 'in_use', model: { code: 'H1', name: 'Helper' }, stopUse: null },
    header: { alg: 'Ed25519', typ: TYP, kid: 'k' },
    decoys: 2,
    key: signer.privateKey,
  });

describe('SD-JWT: the spec’s vectors', () => {
  test('the digest is over the disclosure’s ASCII text as sent (RFC 9901 §4.2.3)', async () => {
    assert.equal(disclosureDigest(RFC_DISCLOSURE), RFC_DIGEST);
    assert.deepEqual(parseDisclosure(RFC_DISCLOSURE), {
      salt: '_26bc4LT-ac6q2KI6cBW5es',
      name: 'family_name',
      value: 'Möbius',
    });
  });

  test('a disclosure spelt as the spec spells it verifies against its digest', async () => {
    const text = [signJwt(HEADER, { ...CLEAR, _sd: [RFC_DIGEST], _sd_alg: 'sha-256' }), RFC_DISCLOSURE, ''];
    const result = await verifySdJwt(text.join('~'), options);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.disclosed, { family_name: 'Möbius' });
  });

  test('base64url is decoded strictly: no padding, no "+" or "/", no junk', async () => {
    assert.deepEqual(decodeBase64UrlStrict('TcO2'), Buffer.from('Mö'));
    for (const bad of ['TcO2=', 'Tc+2', 'Tc/2', 'TcO 2', 'TcN'])
      assert.equal(decodeBase64UrlStrict(bad), undefined, bad);
  });
});

describe('SD-JWT: issue, present, verify', () => {
  test('the issuer’s SD-JWT discloses every claim; the decoys stay hidden', async () => {
    const sdJwt = await issued();
    assert.ok(sdJwt.endsWith('~'));
    const result = await verifySdJwt(sdJwt, options);
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
    assert.deepEqual(result.disclosed, {
      state: 'in_use',
      model: { code: 'H1', name: 'Helper' },
      stopUse: null,
    });
    assert.deepEqual(result.clear, CLEAR);
    assert.equal(result.hiddenDigests, 2);
    assert.deepEqual(result.header, { typ: TYP, kid: 'k', alg: 'Ed25519' });
  });

  test('a presentation keeps the chosen disclosures and still verifies', async () => {
    const sdJwt = await issued();
    assert.deepEqual(disclosedNames(sdJwt), ['state', 'model', 'stopUse']);
    const presented = presentSdJwt(sdJwt, (name) => name === 'state');
    const result = await verifySdJwt(presented, options);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.disclosed, { state: 'in_use' });
    assert.equal(result.hiddenDigests, 4);
    const none = await verifySdJwt(
      presentSdJwt(sdJwt, () => false),
      options,
    );
    assert.deepEqual([none.ok, none.disclosed, none.hiddenDigests], [true, {}, 5]);
  });

  test('a claim named "__proto__" is a claim like any other, not a prototype', async () => {
    const result = await verifySdJwt(craft([makeDisclosure('__proto__', { polluted: true })]), options);
    assert.deepEqual(result.problems, []);
    assert.ok(Object.hasOwn(result.disclosed, '__proto__'));
    assert.equal((result.disclosed as { polluted?: unknown }).polluted, undefined);
  });

  test('each disclosure has its own 128-bit salt, so equal values have unequal digests', async () => {
    const a = parseDisclosure(makeDisclosure('state', 'in_use'));
    const b = parseDisclosure(makeDisclosure('state', 'in_use'));
    assert.notEqual(a.salt, b.salt);
    assert.equal(decodeBase64UrlStrict(a.salt)?.length, 16);
  });
});

describe('SD-JWT: what verification refuses', () => {
  const state = makeDisclosure('state', 'in_use');

  test('a digest listed twice in _sd', async () => {
    const digest = disclosureDigest(state);
    assert.deepEqual(await problems(craft([state], { _sd: [digest, digest] })), [
      `_sd: digest ${digest} appears more than once`,
    ]);
  });

  test('the same disclosure presented twice', async () => {
    const text = [craft([state]).slice(0, -1), state, ''].join('~');
    assert.deepEqual(await problems(text), ['disclosure 2 ("state"): repeats an earlier disclosure']);
  });

  test('a disclosure whose digest is not in _sd', async () => {
    const forged = makeDisclosure('state', 'recycled');
    const text = [craft([state]).split('~')[0], forged, ''].join('~');
    assert.deepEqual(await problems(text), [
      `disclosure 1 ("state"): its digest ${disclosureDigest(forged)} is not in the signed _sd list`,
    ]);
  });

  test('a disclosure of the claim name "_sd"', async () => {
    const reserved = encodeBase64Url(JSON.stringify(['salt', '_sd', ['x']]));
    assert.deepEqual(await problems(craft([reserved])), ['disclosure 1: claim name "_sd" is reserved']);
  });

  test('a disclosure of the claim name "..."', async () => {
    const reserved = encodeBase64Url(JSON.stringify(['salt', '...', 'x']));
    assert.deepEqual(await problems(craft([reserved])), ['disclosure 1: claim name "..." is reserved']);
  });

  test('a disclosed claim that is also in the clear', async () => {
    const sub = makeDisclosure('sub', 'robot-2');
    assert.deepEqual(await problems(craft([sub])), ['disclosure 1: claim "sub" is also in the clear']);
  });

  test('one claim disclosed twice, under two digests', async () => {
    const again = makeDisclosure('state', 'recycled');
    assert.deepEqual(await problems(craft([state, again])), [
      'disclosure 2: claim "state" is disclosed twice',
    ]);
  });

  test('a wrong or missing _sd_alg', async () => {
    assert.deepEqual(await problems(craft([state], { _sd_alg: 'sha-512' })), [
      '_sd_alg must be "sha-256", got "sha-512"',
    ]);
    assert.deepEqual(await problems(craft([state], { _sd_alg: undefined })), [
      '_sd_alg must be "sha-256", got undefined',
    ]);
  });

  test('an _sd that is not a list of SHA-256 digests', async () => {
    assert.deepEqual(await problems(craft([], { _sd: ['short'] })), [
      '_sd: not a list of base64url SHA-256 digests',
    ]);
  });

  test('a disclosure that is not strict base64url', async () => {
    assert.deepEqual(await problems(craft([state]).replace(state, `${state}=`)), [
      'disclosure 1: not base64url',
    ]);
    const standard = `${state.slice(0, -1)}+`;
    assert.deepEqual(await problems(craft([state]).replace(state, standard)), [
      'disclosure 1: not base64url',
    ]);
  });

  test('a header that is not base64url', async () => {
    const [header, ...rest] = craft([state]).split('.');
    assert.deepEqual(await problems([`${header}*`, ...rest].join('.')), [
      'JWT header: Invalid Token or Protected Header formatting',
    ]);
  });

  test('an alg other than the one its typ goes with, "none" included', async () => {
    assert.deepEqual(await problems(craft([state], {}, { alg: 'none', typ: TYP })), [
      `JWT header: alg must be "Ed25519" with typ "${TYP}", got "none"`,
    ]);
    assert.deepEqual(await problems(craft([state], {}, { alg: 'EdDSA', typ: TYP })), [
      `JWT header: alg must be "Ed25519" with typ "${TYP}", got "EdDSA"`,
    ]);
    assert.deepEqual(await problems(craft([state], {}, { alg: 'Ed25519', typ: LEGACY.typ })), [
      `JWT header: alg must be "EdDSA" with typ "${LEGACY.typ}", got "Ed25519"`,
    ]);
  });

  test('each accepted typ with its own alg verifies', async () => {
    assert.deepEqual(await problems(craft([state])), []);
    assert.deepEqual(await problems(craft([state], {}, LEGACY)), []);
  });

  test('a typ other than the ones expected', async () => {
    assert.deepEqual(await problems(craft([state], {}, { alg: 'Ed25519', typ: 'JWT' })), [
      `JWT header: typ must be "${TYP}" or "${LEGACY.typ}", got "JWT"`,
    ]);
  });

  test('a critical header extension', async () => {
    assert.deepEqual(await problems(craft([state], {}, { ...HEADER, crit: ['exp'] })), [
      'JWS: Extension Header Parameter "exp" is not recognized',
    ]);
  });

  test('a signature from another key, or over another payload', async () => {
    const text = craft([state]);
    assert.deepEqual((await verifySdJwt(text, { profiles, key: otherKey })).problems, [
      'signature: does not verify with the key',
    ]);
    const [header, , signature] = text.split('~')[0]!.split('.');
    const payload = encodeBase64Url(
      JSON.stringify({ ...CLEAR, sub: 'robot-2', _sd: [], _sd_alg: 'sha-256' }),
    );
    assert.deepEqual(await problems(`${header}.${payload}.${signature}~`), [
      'signature: does not verify with the key',
    ]);
  });

  test('a signature that is not 64 bytes of base64url', async () => {
    const jwt = craft([]).split('~')[0]!;
    assert.deepEqual(await problems(`${jwt.slice(0, jwt.lastIndexOf('.'))}.AAAA~`), [
      'signature: does not verify with the key',
    ]);
  });

  test('a key binding JWT, or no closing "~"', async () => {
    const text = craft([state]);
    assert.deepEqual(await problems(`${text}eyJhbGciOiJFZERTQSJ9.e30.AAAA`), [
      'a key binding JWT follows the disclosures: key binding is not supported',
    ]);
    assert.deepEqual(await problems(text.slice(0, -1)), ['does not end with "~"']);
    assert.deepEqual(await problems(text.split('~')[0]!), ['not an SD-JWT: no "~" after the JWT']);
  });

  test('an empty disclosure', async () => {
    assert.deepEqual(await problems(`${craft([state])}~`), ['disclosure 2 is empty ("~~")']);
  });

  test('an array-element disclosure, or an array of the wrong length', async () => {
    assert.deepEqual(await problems(craft([RFC_ARRAY_DISCLOSURE])), [
      'disclosure 1: an array-element disclosure, which this profile does not use',
    ]);
    const four = encodeBase64Url(JSON.stringify(['salt', 'state', 'in_use', 'extra']));
    assert.deepEqual(await problems(craft([four])), ['disclosure 1: not a [salt, claim name, value] array']);
  });

  test('nested disclosures, in a disclosed value or in the clear', async () => {
    const nested = makeDisclosure('model', { _sd: ['x'], code: 'H1' });
    assert.deepEqual(await problems(craft([nested])), [
      'disclosure 1: claim "model" holds nested disclosures, which this profile does not use',
    ]);
    assert.deepEqual(await problems(craft([], { model: { parts: [{ '...': 'x' }] } })), [
      'claim "model" holds nested disclosures, which this profile does not use',
    ]);
  });

  test('every failure is named, not just the first', async () => {
    const forged = makeDisclosure('state', 'recycled');
    const text = [craft([state], {}, { alg: 'Ed25519', typ: 'JWT' }).split('~')[0], forged, forged, ''].join(
      '~',
    );
    assert.deepEqual((await verifySdJwt(text, { profiles, key: otherKey })).problems, [
      `JWT header: typ must be "${TYP}" or "${LEGACY.typ}", got "JWT"`,
      'signature: does not verify with the key',
      `disclosure 1 ("state"): its digest ${disclosureDigest(forged)} is not in the signed _sd list`,
      `disclosure 2 ("state"): its digest ${disclosureDigest(forged)} is not in the signed _sd list`,
    ]);
  });
});
