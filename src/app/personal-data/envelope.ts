/**
 * Envelope encryption of one person's personal data, node:crypto only. Each person's data has a data key of its
 * own (256 random bits, AES-256-GCM); the data key is stored only wrapped (AES-256-GCM) under the registry's
 * key-encryption key (KEK) of some version. Rotating the KEK rewraps the small data keys and leaves the data
 * alone; deleting a data key makes its ciphertext unreadable for good (crypto-shredding).
 *
 * Both layers authenticate the party id as additional data: a ciphertext or wrapped key copied to another party's
 * row does not decrypt there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';

/** A key-encryption key of the key ring, by version. */
export interface Kek {
  version: number;
  key: Buffer;
}

export interface Sealed {
  kekVersion: number;
  /** The data key under the KEK: nonce (12) ‖ ciphertext (32) ‖ tag (16). */
  wrappedKey: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

const ALGORITHM = 'aes-256-gcm';
export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const dataAad = (partyId: string) => Buffer.from(`robotid/personal-data/v1\u0000${partyId}`);
const keyAad = (partyId: string) => Buffer.from(`robotid/personal-data-key/v1\u0000${partyId}`);

/** Neither the KEK nor the data say which is wrong: a tampered, moved or mis-keyed record reads the same. */
const undecryptable = (partyId: string) =>
  new DomainError(
    'unavailable',
    'personal-data-undecryptable',
    `the personal data of ${partyId} does not decrypt: its key-encryption key is not in the key ring, or the record was altered or moved`,
  );

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer) {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce).setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext, authTag: cipher.getAuthTag() };
}

/** Throws (an OpenSSL error) when the tag does not match: callers turn that into `undecryptable`. */
function decrypt(key: Buffer, nonce: Buffer, ciphertext: Buffer, authTag: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, nonce).setAAD(aad).setAuthTag(authTag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

function wrapKey(dataKey: Buffer, partyId: string, kek: Kek): Buffer {
  const { nonce, ciphertext, authTag } = encrypt(kek.key, dataKey, keyAad(partyId));
  return Buffer.concat([nonce, ciphertext, authTag]);
}

function unwrapKey(wrapped: Buffer, partyId: string, kek: Kek): Buffer {
  if (wrapped.length !== NONCE_BYTES + KEY_BYTES + TAG_BYTES) throw undecryptable(partyId);
  const nonce = wrapped.subarray(0, NONCE_BYTES);
  const ciphertext = wrapped.subarray(NONCE_BYTES, NONCE_BYTES + KEY_BYTES);
  const authTag = wrapped.subarray(NONCE_BYTES + KEY_BYTES);
  try {
    return decrypt(kek.key, nonce, ciphertext, authTag, keyAad(partyId));
  } catch {
    throw undecryptable(partyId);
  }
}

/** Seals `plaintext` for `partyId` under a fresh data key, wrapped with `kek`. */
export function seal(plaintext: Buffer, partyId: string, kek: Kek): Sealed {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const { nonce, ciphertext, authTag } = encrypt(dataKey, plaintext, dataAad(partyId));
    return {
      kekVersion: kek.version,
      wrappedKey: wrapKey(dataKey, partyId, kek),
      nonce,
      ciphertext,
      authTag,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** The plaintext of a sealed record; `kekOf` finds the KEK of the record's version (undefined: retired). */
export function unseal(sealed: Sealed, partyId: string, kekOf: (version: number) => Kek | undefined): Buffer {
  const kek = kekOf(sealed.kekVersion);
  if (!kek) throw undecryptable(partyId);
  const dataKey = unwrapKey(sealed.wrappedKey, partyId, kek);
  try {
    return decrypt(dataKey, sealed.nonce, sealed.ciphertext, sealed.authTag, dataAad(partyId));
  } catch {
    throw undecryptable(partyId);
  } finally {
    dataKey.fill(0);
  }
}

/** The same data key wrapped under another KEK (key rotation): the ciphertext does not change. */
export function rewrap(wrappedKey: Buffer, partyId: string, from: Kek, to: Kek): Buffer {
  const dataKey = unwrapKey(wrappedKey, partyId, from);
  try {
    return wrapKey(dataKey, partyId, to);
  } finally {
    dataKey.fill(0);
  }
}
