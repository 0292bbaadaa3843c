/**
 * The log key as a JSON Web Key (RFC 8037 OKP), for JOSE tooling and SD-JWT VC verifiers that check passports
 * without robotid. jose exports and imports the key material; ours is only the `kid` naming.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { exportJWK, importJWK, type JWK } from 'jose';
import { parseVerifierKey, type KeyVerifier } from '../log/note.js';

/** RFC 9864's fully-specified JWS algorithm for Ed25519, which replaces the deprecated polymorphic `EdDSA`. */
export const JWS_ALG = 'Ed25519';
/** Note signature type byte of an Ed25519 log key (C2SP signed-note). */
const NOTE_ED25519 = 0x01;

export interface Ed25519Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** base64url of the raw 32-byte public key. */
  x: string;
  kid: string;
  use: 'sig';
  alg: typeof JWS_ALG;
}

/** `kid`: the note key's name and key ID, the first two fields of the verifier key string that checks it. */
export const passportKeyId = (key: { name: string; keyId: Buffer }) =>
  `${key.name}+${key.keyId.toString('hex')}`;

/** The public half of the signer's key, as jose exports it, named like its verifier key string. */
export async function ed25519Jwk(key: {
  name: string;
  keyId: Buffer;
  privateKey: KeyObject;
}): Promise<Ed25519Jwk> {
  const { kty, crv, x } = await exportJWK(createPublicKey(key.privateKey));
  if (kty !== 'OKP' || crv !== 'Ed25519' || x === undefined) throw new Error('the log key is not Ed25519');
  return { kty: 'OKP', crv: 'Ed25519', x, kid: passportKeyId(key), use: 'sig', alg: JWS_ALG };
}

/** The verifier key as a key jose verifies with. */
export const joseKey = (key: KeyVerifier) =>
  importJWK({ kty: 'OKP', crv: 'Ed25519', x: key.publicKey.toString('base64url') }, JWS_ALG);

/**
 * The log verifier key a published JWK stands for: its `kid` names the key (`<name>+<hex key ID>`) and `x` is the
 * key, so the verifier key string is rebuilt and checked (the key ID must match) like any other.
 */
export function verifierFromJwk(jwk: JWK): KeyVerifier {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new Error('not an Ed25519 public JWK (kty OKP, crv Ed25519, x)');
  if (typeof jwk.kid !== 'string' || !jwk.kid.includes('+'))
    throw new Error('its kid is not "<log key name>+<hex key ID>"');
  const raw = Buffer.from(jwk.x, 'base64url');
  return parseVerifierKey(
    `${jwk.kid}+${Buffer.concat([Buffer.from([NOTE_ED25519]), raw]).toString('base64')}`,
  );
}
