/**
 * The text rules of C2SP signed notes that need no key: note errors, which characters a note's text may hold, strict
 * base64. Apart from note.ts (signing and opening, with node:crypto's Ed25519) so that what reads a checkpoint's text
 * and checks a proof bundle against it runs in the browser too (console/src/verify, docs/transparency-log.md).
 */

export type NoteErrorCode =
  | 'malformed-note' // not a well-formed note or note text
  | 'invalid-vkey' // a verifier key string that cannot be used
  | 'invalid-skey' // a signer key string that cannot be used
  | 'invalid-signature' // a signature from a known key that does not verify: the whole note is rejected
  | 'unknown-key' // no signature from any known key verified
  | 'ambiguous-key' // two verifiers given share a name and key ID, so a signature could not be attributed
  | 'malformed-checkpoint' // note text that is not a C2SP checkpoint
  | 'invalid-timestamp'; // a cosignature time that cannot be encoded

export class NoteError extends Error {
  constructor(
    readonly code: NoteErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'NoteError';
  }
}

/** Note text rule: no ASCII control characters but "\n", and encodable as UTF-8 (no lone surrogates). */
export function isValidNoteText(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if ((code < 0x20 && code !== 0x0a) || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}

/**
 * RFC 4648 §4 base64, strictly: Buffer.from silently skips junk and accepts URL-safe letters, missing padding and
 * non-zero trailing bits, so only text that re-encodes to itself is accepted: one byte string, one spelling.
 * (Go's default decoder also tolerates non-zero trailing bits; no encoder produces them.)
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}
