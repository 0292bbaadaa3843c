/**
 * C2SP signed notes (https://c2sp.org/signed-note), Ed25519 only. A note is UTF-8 text followed by a blank line
 * and signature lines; checkpoints and their witness cosignatures are notes, so everything the log publishes goes
 * through here. Parsing is strict on purpose: if two verifiers disagree on what a note says, one signature can
 * vouch for two texts. We accept nothing Go's golang.org/x/mod/sumdb/note rejects, and refuse slightly more (key
 * names with invisible characters, non-lowercase key IDs in key strings, an invalid duplicate signature).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, hash, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { NoteError, decodeBase64Strict, isValidNoteText, type NoteErrorCode } from './note-text.js';

export { NoteError, decodeBase64Strict, isValidNoteText, type NoteErrorCode };

/** Signature type byte for plain Ed25519 note signatures (signed-note §Signature types). */
export const SIG_TYPE_ED25519 = 0x01;

/** Notes are small; a limit keeps a hostile peer from making us decode or verify without end. */
export const MAX_NOTE_BYTES = 1024 * 1024;
/** The spec asks verifiers to accept at least 16 signatures; Go's verifier stops at 100, and so do we. */
export const MAX_SIGNATURES = 100;

const KEY_ID_BYTES = 4;
const ED25519_KEY_BYTES = 32;
const ED25519_SIG_BYTES = 64;
const SIG_LINE_PREFIX = '\u2014 '; // em dash, space
const PRIVATE_KEY_PREFIX = 'PRIVATE+KEY+';

// RFC 8410 DER headers: a raw 32-byte Ed25519 key appended to these is a PKCS#8 / SPKI key node:crypto accepts.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Something that signs note text under a key name and ID (see {@link signNote}). */
export interface Signer {
  readonly name: string;
  readonly keyId: Buffer;
  /** The signature bytes that follow the key ID in the signature line. */
  sign(message: Buffer): Buffer;
}

/**
 * Something that checks signature lines whose name and key ID it owns. `message` is always the note text bytes;
 * a verifier whose algorithm signs something derived from the text (a cosignature) builds that itself, which is
 * why one interface serves both plain signatures and cosignatures in {@link openNote}.
 */
export interface Verifier {
  readonly name: string;
  readonly keyId: Buffer;
  /** `signature` is the signature line's bytes after the 4-byte key ID. */
  verify(message: Buffer, signature: Buffer): boolean;
}

/** A verifier built from a vkey string, exposing the key it holds. */
export interface KeyVerifier extends Verifier {
  readonly type: number;
  readonly publicKey: Buffer;
}

/** A signer built from a signer key string, with the vkey string that verifies it. */
export interface KeySigner extends Signer {
  readonly type: number;
  readonly publicKey: Buffer;
  readonly verifierKey: string;
  /** The private key itself, for a library that signs with it (jose, for passports); never serialised. */
  readonly privateKey: KeyObject;
}

export interface KeyPairStrings {
  /** `PRIVATE+KEY+<name>+<hex key ID>+<base64(type || 32-byte seed)>`: secret. */
  signerKey: string;
  /** `<name>+<hex key ID>+<base64(type || 32-byte public key)>`: publishable. */
  verifierKey: string;
}

export interface OpenedNote {
  /** The note text, ending in "\n" (the blank separator line excluded). */
  text: string;
  /** One entry per known key whose signature verified, with that key's first signature line's bytes. */
  verified: { name: string; keyId: Buffer; signature: Buffer }[];
  /** One entry per unknown key: signatures the spec says to ignore, reported so callers can log them. */
  unverified: { name: string; keyIdHex: string }[];
}

/** Key ID = SHA-256(name || "\n" || type || public key)[:4]: binds name and algorithm as well as the key. */
export function keyId(name: string, type: number, publicKey: Buffer): Buffer {
  const digest = hash(
    'sha256',
    Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([type]), publicKey]),
    'buffer',
  );
  return digest.subarray(0, KEY_ID_BYTES);
}

/**
 * Key names are matched byte for byte, so anything that renders invisibly or ambiguously is refused: '+' (the
 * key string separator), Unicode white space (the spec's rule), control and format characters, lone surrogates.
 */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[+\p{White_Space}\p{Cc}\p{Cf}\p{Cs}]/u.test(name);
}

/** A signature line: "— " name " " base64(key ID || signature) "\n". */
export function formatSignatureLine(name: string, id: Buffer, signature: Buffer): string {
  return `${SIG_LINE_PREFIX}${name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

/** Shortens untrusted input quoted in error messages. */
function quote(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

// ---- Ed25519 keys --------------------------------------------------------------------------------------------

function ed25519PrivateKey(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function ed25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_ED25519_PREFIX.length);
}

function formatKeyString(name: string, id: Buffer, type: number, material: Buffer): string {
  return `${name}+${id.toString('hex')}+${Buffer.concat([Buffer.from([type]), material]).toString('base64')}`;
}

interface KeyStringParts {
  name: string;
  keyIdHex: string;
  type: number;
  material: Buffer;
}

/**
 * Splits `<name>+<hex id>+<base64(type || material)>`. Only the first two '+' separate: base64 may contain '+'.
 * The key ID must be the spec's fixed-length lowercase hex, so one key has exactly one string form.
 */
function splitKeyString(text: string, code: NoteErrorCode): KeyStringParts {
  const first = text.indexOf('+');
  const second = text.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new NoteError(code, 'key must be <name>+<hex key ID>+<base64 key>');
  const name = text.slice(0, first);
  const keyIdHex = text.slice(first + 1, second);
  const encoded = text.slice(second + 1);
  if (!isValidKeyName(name)) throw new NoteError(code, `invalid key name ${quote(name)}`);
  if (!/^[0-9a-f]{8}$/.test(keyIdHex)) throw new NoteError(code, `key ID must be 8 lowercase hex digits`);
  const decoded = decodeBase64Strict(encoded);
  if (decoded === undefined || decoded.length < 1) throw new NoteError(code, 'key is not canonical base64');
  return { name, keyIdHex, type: decoded[0] ?? 0, material: decoded.subarray(1) };
}

function checkEd25519Material(parts: KeyStringParts, type: number, code: NoteErrorCode, what: string): void {
  if (parts.type !== type)
    throw new NoteError(code, `unsupported key algorithm 0x${parts.type.toString(16).padStart(2, '0')}`);
  if (parts.material.length !== ED25519_KEY_BYTES)
    throw new NoteError(
      code,
      `Ed25519 ${what} must be ${ED25519_KEY_BYTES} bytes, got ${parts.material.length}`,
    );
}

/** The key string names its key ID; a mismatch means a mangled or substituted key, never a usable one. */
function checkKeyId(parts: KeyStringParts, publicKey: Buffer, code: NoteErrorCode): Buffer {
  const id = keyId(parts.name, parts.type, publicKey);
  if (id.toString('hex') !== parts.keyIdHex)
    throw new NoteError(
      code,
      `key ID ${parts.keyIdHex} does not match the key (expected ${id.toString('hex')})`,
    );
  return id;
}

/**
 * Generates a fresh Ed25519 key pair as key strings, with `type` as the signature type byte (0x01 for note
 * signatures, 0x04 for cosignatures): the byte goes both into the key ID and in front of the encoded key.
 */
export function generateEd25519Keys(name: string, type: number): KeyPairStrings {
  if (!isValidKeyName(name)) throw new NoteError('invalid-skey', `invalid key name ${quote(name)}`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_ED25519_PREFIX.length);
  const raw = rawPublicKey(publicKey);
  const id = keyId(name, type, raw);
  return {
    signerKey: PRIVATE_KEY_PREFIX + formatKeyString(name, id, type, seed),
    verifierKey: formatKeyString(name, id, type, raw),
  };
}

/** Parses a signer key of the given Ed25519-based type; `sign` signs exactly the bytes it is given. */
export function parseEd25519SignerKey(text: string, type: number): KeySigner {
  if (!text.startsWith(PRIVATE_KEY_PREFIX))
    throw new NoteError('invalid-skey', 'signer key must start PRIVATE+KEY+');
  const parts = splitKeyString(text.slice(PRIVATE_KEY_PREFIX.length), 'invalid-skey');
  checkEd25519Material(parts, type, 'invalid-skey', 'seed');
  const privateKey = ed25519PrivateKey(parts.material);
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  // The string names the ID of the *public* key, so it can only be checked once that key is derived.
  const id = checkKeyId(parts, publicKey, 'invalid-skey');
  return {
    name: parts.name,
    keyId: id,
    type,
    publicKey,
    verifierKey: formatKeyString(parts.name, id, type, publicKey),
    privateKey,
    sign: (message) => sign(null, message, privateKey),
  };
}

/** Parses a verifier key of the given Ed25519-based type; `verify` checks a plain signature over `message`. */
export function parseEd25519VerifierKey(text: string, type: number): KeyVerifier {
  const parts = splitKeyString(text, 'invalid-vkey');
  checkEd25519Material(parts, type, 'invalid-vkey', 'public key');
  const id = checkKeyId(parts, parts.material, 'invalid-vkey');
  const publicKey = Buffer.from(parts.material);
  const key = ed25519PublicKey(publicKey);
  return {
    name: parts.name,
    keyId: id,
    type,
    publicKey,
    verify: (message, signature) =>
      signature.length === ED25519_SIG_BYTES && verify(null, message, key, signature),
  };
}

/** A new note-signing key pair for `name` (type 0x01). Keep `signerKey` secret; publish `verifierKey`. */
export function generateSigner(name: string): KeyPairStrings {
  return generateEd25519Keys(name, SIG_TYPE_ED25519);
}

/** `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>` → a signer for {@link signNote}. */
export function parseSignerKey(text: string): KeySigner {
  return parseEd25519SignerKey(text, SIG_TYPE_ED25519);
}

/** `<name>+<hex id>+<base64(0x01 || public key)>` → a verifier for {@link openNote}. */
export function parseVerifierKey(text: string): KeyVerifier {
  return parseEd25519VerifierKey(text, SIG_TYPE_ED25519);
}

// ---- Notes ---------------------------------------------------------------------------------------------------

function checkNoteText(text: string): void {
  if (!text.endsWith('\n')) throw new NoteError('malformed-note', 'note text must end with a newline');
  if (!isValidNoteText(text))
    throw new NoteError(
      'malformed-note',
      'note text must be UTF-8 without control characters other than "\\n"',
    );
}

/**
 * Signs `text` with every signer, in order. Refuses anything {@link openNote} (or Go's verifier) would reject,
 * so the log can never publish a note its own clients cannot open.
 */
export function signNote(text: string, signers: readonly Signer[]): string {
  checkNoteText(text);
  if (signers.length === 0)
    throw new NoteError('malformed-note', 'a signed note needs at least one signature');
  if (signers.length > MAX_SIGNATURES)
    throw new NoteError('malformed-note', `more than ${MAX_SIGNATURES} signers`);
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map((signer) => {
    if (!isValidKeyName(signer.name))
      throw new NoteError('malformed-note', `invalid signer name ${quote(signer.name)}`);
    if (signer.keyId.length !== KEY_ID_BYTES) throw new NoteError('malformed-note', 'key ID must be 4 bytes');
    return formatSignatureLine(signer.name, signer.keyId, signer.sign(message));
  });
  const note = `${text}\n${lines.join('')}`;
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES)
    throw new NoteError('malformed-note', `signed note exceeds ${MAX_NOTE_BYTES} bytes`);
  return note;
}

interface SignatureLine {
  name: string;
  keyId: Buffer;
  signature: Buffer;
}

/** Bytes are decoded strictly: the spec requires UTF-8, and a lenient decoder would hide bad bytes as U+FFFD. */
function decodeNote(note: string | Uint8Array): string {
  if (typeof note === 'string') {
    if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES)
      throw new NoteError('malformed-note', `note exceeds ${MAX_NOTE_BYTES} bytes`);
    return note;
  }
  if (note.length > MAX_NOTE_BYTES)
    throw new NoteError('malformed-note', `note exceeds ${MAX_NOTE_BYTES} bytes`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
  } catch {
    throw new NoteError('malformed-note', 'note is not valid UTF-8');
  }
}

function parseSignatureLine(line: string): SignatureLine {
  if (!line.startsWith(SIG_LINE_PREFIX))
    throw new NoteError('malformed-note', `signature line must start with "— ": ${quote(line)}`);
  const rest = line.slice(SIG_LINE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw new NoteError('malformed-note', `signature line has no signature: ${quote(line)}`);
  const name = rest.slice(0, space);
  if (!isValidKeyName(name))
    throw new NoteError('malformed-note', `invalid key name in signature line ${quote(line)}`);
  // Strict decoding also rejects a second space, so "name sig" is the only accepted shape.
  const bytes = decodeBase64Strict(rest.slice(space + 1));
  if (bytes === undefined || bytes.length < KEY_ID_BYTES + 1)
    throw new NoteError(
      'malformed-note',
      `signature is not base64 of a key ID and signature: ${quote(line)}`,
    );
  return { name, keyId: bytes.subarray(0, KEY_ID_BYTES), signature: bytes.subarray(KEY_ID_BYTES) };
}

/** The text is separated from the signatures by the *last* blank line: the text itself may contain blank lines. */
function splitNote(note: string): { text: string; lines: SignatureLine[] } {
  if (!isValidNoteText(note))
    throw new NoteError('malformed-note', 'note must be UTF-8 without control characters other than "\\n"');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed-note', 'note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0) throw new NoteError('malformed-note', 'note has no signatures');
  if (!block.endsWith('\n')) throw new NoteError('malformed-note', 'note must end with a newline');
  const rawLines = block.slice(0, -1).split('\n');
  // Counted before any line is parsed or verified, so a flood of signatures costs nothing.
  if (rawLines.length > MAX_SIGNATURES)
    throw new NoteError('malformed-note', `note has more than ${MAX_SIGNATURES} signatures`);
  return { text, lines: rawLines.map(parseSignatureLine) };
}

const verifierKey = (name: string, id: Buffer): string => `${name}+${id.toString('hex')}`;

/** Indexes verifiers by (name, key ID): the pair, not either half, identifies a key (signed-note §Signatures). */
function indexVerifiers(verifiers: readonly Verifier[]): Map<string, Verifier> {
  const index = new Map<string, Verifier>();
  for (const verifier of verifiers) {
    const key = verifierKey(verifier.name, verifier.keyId);
    if (index.has(key)) throw new NoteError('ambiguous-key', `two verifiers for key ${quote(key)}`);
    index.set(key, verifier);
  }
  return index;
}

/**
 * Parses `note` and verifies its signatures against `verifiers`. Every signature line from a known key is
 * verified, duplicates included, and one failure rejects the note: a known key that signs something else is a
 * sign of compromise or tampering, not noise. Lines from unknown keys are ignored, as the spec requires, and
 * reported in `unverified`. Throws NoteError 'unknown-key' when no known key signed, so a returned note is always
 * verified by at least one of `verifiers`.
 */
export function openNote(note: string | Uint8Array, verifiers: readonly Verifier[]): OpenedNote {
  const index = indexVerifiers(verifiers);
  const { text, lines } = splitNote(decodeNote(note));
  const message = Buffer.from(text, 'utf8');
  const verified = new Map<string, OpenedNote['verified'][number]>();
  const unverified = new Map<string, OpenedNote['unverified'][number]>();
  for (const line of lines) {
    const key = verifierKey(line.name, line.keyId);
    const verifier = index.get(key);
    if (verifier === undefined) {
      unverified.set(key, { name: line.name, keyIdHex: line.keyId.toString('hex') });
      continue;
    }
    if (!verifier.verify(message, line.signature))
      throw new NoteError('invalid-signature', `invalid signature for key ${quote(key)}`);
    if (!verified.has(key))
      verified.set(key, { name: line.name, keyId: line.keyId, signature: line.signature });
  }
  if (verified.size === 0) throw new NoteError('unknown-key', 'note has no signature from a known key');
  return { text, verified: [...verified.values()], unverified: [...unverified.values()] };
}
