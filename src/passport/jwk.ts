/** The log key as a JSON Web Key (RFC 8037 OKP), for JOSE tooling that checks passports without robotid. */
import { passportKeyId } from './passport.js';

export interface Ed25519Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** base64url of the raw 32-byte public key. */
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}

export function ed25519Jwk(key: { name: string; keyId: Buffer; publicKey: Buffer }): Ed25519Jwk {
  return {
    kty: 'OKP',
    crv: 'Ed25519',
    x: key.publicKey.toString('base64url'),
    kid: passportKeyId(key),
    use: 'sig',
    alg: 'EdDSA',
  };
}
