// Opening the registry's signed checkpoint in the browser: the C2SP signed note's Ed25519 signature checked with Web
// Crypto against the log's verifier key (`<name>+<hex key ID>+<base64(0x01 ‖ public key)>`). The one part of a
// bundle's check that is not src/log's own code: src/log/note.ts signs and verifies with node:crypto's Ed25519,
// which the browser has only as Web Crypto's, asynchronously. What the note says is read by src/log (parseCheckpoint).
import { parseCheckpoint, type Checkpoint } from '../../../src/log/checkpoint.js';
import { decodeBase64Strict } from '../../../src/log/note-text.js';

const enc = new TextEncoder();
const ED25519_NOTE_KEY = 0x01;

interface VerifierKey {
  name: string;
  id: Uint8Array;
  /** A CryptoKey (spelled so that this file type-checks without the DOM's types too: the tests import it). */
  publicKey: Awaited<ReturnType<typeof crypto.subtle.importKey>>;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

async function parseVerifierKey(text: string): Promise<VerifierKey> {
  // Split at the first two '+' only: the base64 key may hold more.
  const trimmed = text.trim();
  const first = trimmed.indexOf('+');
  const second = trimmed.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new Error('the log key is not <name>+<id>+<key>');
  const name = trimmed.slice(0, first);
  const material = decodeBase64Strict(trimmed.slice(second + 1));
  if (material?.length !== 33 || material[0] !== ED25519_NOTE_KEY)
    throw new Error('the log key is not an Ed25519 note key');
  // Key ID = SHA-256(name ‖ "\n" ‖ type ‖ public key)[:4]
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new Uint8Array([...enc.encode(`${name}\n`), ...material]),
  );
  const id = new Uint8Array(digest).slice(0, 4);
  if (trimmed.slice(first + 1, second).toLowerCase() !== hex(id))
    throw new Error('the log key’s ID does not match its key');
  const raw = new Uint8Array(material.subarray(1));
  const publicKey = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  return { name, id, publicKey };
}

/** The checkpoint a signed note states, if a signature line of the key verifies and it is the key's log's. */
export async function openCheckpoint(note: unknown, keyText: string): Promise<Checkpoint> {
  if (typeof note !== 'string') throw new Error('checkpoint: missing (a signed note, as text)');
  const key = await parseVerifierKey(keyText);
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint has no signatures');
  const text = note.slice(0, split + 1);
  let signed = false;
  for (const line of note.slice(split + 2).split('\n')) {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!match || match[1] !== key.name) continue;
    const blob = decodeBase64Strict(match[2]!);
    if (blob?.length !== 68 || !equal(blob.subarray(0, 4), key.id)) continue;
    const signature = new Uint8Array(blob.subarray(4));
    if (await crypto.subtle.verify({ name: 'Ed25519' }, key.publicKey, signature, enc.encode(text)))
      signed = true;
  }
  if (!signed) throw new Error('no valid signature of the registry’s log key on the checkpoint');
  const checkpoint = parseCheckpoint(text);
  if (checkpoint.origin !== key.name) throw new Error('the checkpoint is for another log');
  return checkpoint;
}
