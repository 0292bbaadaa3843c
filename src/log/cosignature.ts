/**
 * C2SP Ed25519 checkpoint cosignatures, cosignature/v1 (https://c2sp.org/tlog-cosignature). A witness signs
 * "cosignature/v1\ntime <t>\n" + checkpoint text, stating that as of time t this is the largest consistent tree
 * it has seen for the origin. The signature line carries key ID || 8-byte big-endian t || Ed25519 signature, so a
 * cosignature is an ordinary note signature and the verifier below plugs straight into openNote.
 */
import { parseCheckpoint } from './checkpoint.js';
import {
  NoteError,
  formatSignatureLine,
  generateEd25519Keys,
  parseEd25519SignerKey,
  parseEd25519VerifierKey,
  type KeyPairStrings,
  type KeyVerifier,
} from './note.js';

/**
 * Signature type byte for cosignature/v1. The spec fixes it for the key ID and says Ed25519 cosigner keys "MAY be
 * encoded as vkeys with signature type 0x04", so vkey strings carry 0x04 too (and a 0x01 note key, whose ID
 * differs, can never be mistaken for a witness key).
 */
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;

const TIMESTAMP_BYTES = 8;
const ED25519_SIG_BYTES = 64;
const COSIGNATURE_BYTES = TIMESTAMP_BYTES + ED25519_SIG_BYTES;
/** The spec's ceiling: "It MUST NOT exceed 2^63 - 1". */
const MAX_TIMESTAMP = (1n << 63n) - 1n;

/**
 * A witness key. It deliberately has no `sign` method, so it cannot be passed to signNote by mistake: a plain
 * signature under a cosignature key ID would be a signature over the wrong message.
 */
export interface WitnessSigner {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
  readonly verifierKey: string;
  /** Signs an already-built cosignature/v1 message; use {@link cosign}. */
  signCosignedMessage(message: Buffer): Buffer;
}

/** A new witness key pair for `name`, in signed-note key string form with type 0x04. */
export function generateWitnessKey(name: string): KeyPairStrings {
  return generateEd25519Keys(name, SIG_TYPE_COSIGNATURE_V1);
}

/** `PRIVATE+KEY+<name>+<hex id>+<base64(0x04 || seed)>` → a witness signer for {@link cosign}. */
export function parseWitnessSignerKey(text: string): WitnessSigner {
  const signer = parseEd25519SignerKey(text, SIG_TYPE_COSIGNATURE_V1);
  return {
    name: signer.name,
    keyId: signer.keyId,
    publicKey: signer.publicKey,
    verifierKey: signer.verifierKey,
    signCosignedMessage: (message) => signer.sign(message),
  };
}

/** The signed message: the two header lines, then the whole checkpoint text (extension lines included). */
function cosignedMessage(timestamp: number | bigint, checkpointBody: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`cosignature/v1\ntime ${timestamp}\n`, 'utf8'), checkpointBody]);
}

/**
 * The signature line a witness adds to a checkpoint note at `timeSeconds` (POSIX seconds). The body is parsed
 * first: a witness vouches for a tree head, and must not sign text that is not one.
 */
export function cosign(checkpointBody: string, witness: WitnessSigner, timeSeconds: number): string {
  parseCheckpoint(checkpointBody);
  if (!Number.isSafeInteger(timeSeconds) || timeSeconds < 0)
    throw new NoteError(
      'invalid-timestamp',
      `cosignature time must be a non-negative integer: ${timeSeconds}`,
    );
  const signature = witness.signCosignedMessage(
    cosignedMessage(timeSeconds, Buffer.from(checkpointBody, 'utf8')),
  );
  const timestamp = Buffer.alloc(TIMESTAMP_BYTES);
  timestamp.writeBigUInt64BE(BigInt(timeSeconds));
  return formatSignatureLine(witness.name, witness.keyId, Buffer.concat([timestamp, signature]));
}

/**
 * The time a cosignature claims, from the signature bytes openNote reports for a verified witness. Only
 * meaningful after verification: before it, the bytes are anyone's. Callers MAY reject times in the future.
 */
export function cosignatureTimestamp(signature: Buffer): number {
  if (signature.length !== COSIGNATURE_BYTES)
    throw new NoteError(
      'malformed-note',
      `cosignature must be ${COSIGNATURE_BYTES} bytes, got ${signature.length}`,
    );
  const timestamp = signature.readBigUInt64BE(0);
  // Verification accepts the spec's full range (up to 2^63 - 1); as a number, only exact values are returned.
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER))
    throw new NoteError('invalid-timestamp', `cosignature time ${timestamp} is out of range`);
  return Number(timestamp);
}

/**
 * `<name>+<hex id>+<base64(0x04 || public key)>` → a verifier for openNote. Its `verify` rebuilds the
 * cosignature/v1 message from the note text and the signed timestamp, so a changed time breaks the signature.
 */
export function parseWitnessVerifierKey(text: string): KeyVerifier {
  const key = parseEd25519VerifierKey(text, SIG_TYPE_COSIGNATURE_V1);
  const verify = (message: Buffer, signature: Buffer): boolean => {
    if (signature.length !== COSIGNATURE_BYTES) return false;
    const timestamp = signature.readBigUInt64BE(0);
    if (timestamp > MAX_TIMESTAMP) return false;
    return key.verify(cosignedMessage(timestamp, message), signature.subarray(TIMESTAMP_BYTES));
  };
  return { name: key.name, keyId: key.keyId, type: key.type, publicKey: key.publicKey, verify };
}
