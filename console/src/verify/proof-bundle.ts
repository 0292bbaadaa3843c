// The "verified against the log" mark, computed in the browser: a port of what `robotid verify` checks of a proof
// bundle (src/log/bundle.ts; the console may not import the server's code), with Web Crypto for SHA-256 and Ed25519
// so that it runs in any current browser and under Node's test runner alike. Checked here: the checkpoint's
// signature against the registry's verifier key (C2SP signed note), and for every event shown in full, that its
// record and salt open the commitment its leaf holds and that the leaf's inclusion proof leads to the checkpoint's
// root (RFC 9162 §2.1.3.2). Not checked here: the heads map's proof that the history is complete.

const enc = new TextEncoder();
const subtle = () => globalThis.crypto.subtle;

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const input = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    input.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await subtle().digest('SHA-256', input));
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error('not base64');
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(Uint8Array.of(1), left, right);
const leafHash = (data: Uint8Array) => sha256(Uint8Array.of(0), data);

/** The root an inclusion proof leads to from a leaf hash (RFC 9162 §2.1.3.2). */
export async function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= treeSize)
    throw new Error(`leaf index ${leafIndex} is not in a tree of size ${treeSize}`);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32) throw new Error('a proof hash is not 32 bytes');
    if (sn === 0) throw new Error('the proof is too long');
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else r = await nodeHash(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('the proof is too short');
  return r;
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
}

/** `<name>+<hex key ID>+<base64(0x01 || Ed25519 public key)>` */
interface VerifierKey {
  name: string;
  id: Uint8Array;
  publicKey: Uint8Array<ArrayBuffer>;
}

async function parseVerifierKey(text: string): Promise<VerifierKey> {
  // Split at the first two '+' only: the base64 key may hold more.
  const trimmed = text.trim();
  const first = trimmed.indexOf('+');
  const second = trimmed.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new Error('the log key is not <name>+<id>+<key>');
  const [name, hex, material] = [
    trimmed.slice(0, first),
    trimmed.slice(first + 1, second),
    trimmed.slice(second + 1),
  ];
  const bytes = fromBase64(material);
  if (bytes.length !== 33 || bytes[0] !== 0x01) throw new Error('the log key is not an Ed25519 note key');
  const id = (await sha256(enc.encode(`${name}\n`), bytes)).slice(0, 4);
  if (hex.toLowerCase() !== Array.from(id, (b) => b.toString(16).padStart(2, '0')).join(''))
    throw new Error('the log key’s ID does not match its key');
  return { name, id, publicKey: bytes.slice(1) };
}

/** Opens a signed checkpoint note with the key: its text, if a signature line of this key verifies. */
export async function openCheckpoint(note: string, keyText: string): Promise<Checkpoint> {
  const key = await parseVerifierKey(keyText);
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint has no signatures');
  const text = note.slice(0, split + 1);
  const publicKey = await subtle().importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']);
  let signed = false;
  for (const line of note.slice(split + 2).split('\n')) {
    const match = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!match || match[1] !== key.name) continue;
    const blob = fromBase64(match[2]!);
    if (blob.length !== 68 || !equal(blob.slice(0, 4), key.id)) continue;
    const signature = blob.slice(4);
    if (await subtle().verify({ name: 'Ed25519' }, publicKey, signature, enc.encode(text))) signed = true;
  }
  if (!signed) throw new Error('no valid signature of the registry’s log key on the checkpoint');
  const [origin, size, root] = text.slice(0, -1).split('\n');
  if (origin !== key.name) throw new Error('the checkpoint is for another log');
  if (!size || !/^(0|[1-9][0-9]*)$/.test(size) || !root) throw new Error('the checkpoint is malformed');
  return { origin, size: Number(size), root: fromBase64(root) };
}

/** The leaf's public text (src/log/leaf.ts leafText): canonical JSON, keys sorted. */
function leafText(robotId: string, commitment: Uint8Array, leaf: unknown): string {
  const c = toBase64(commitment);
  const id = JSON.stringify(robotId);
  const link = leaf as { v?: number; prev?: number | null } | undefined;
  if (link?.v === 2) return `{"commitment":"${c}","prev":${link.prev ?? 'null'},"robotId":${id},"v":2}`;
  return `{"commitment":"${c}","robotId":${id},"v":1}`;
}

export interface BundleVerdict {
  /** Every check passed. */
  ok: boolean;
  checkpointSize: number | null;
  /** Events whose record was opened and proved included: their IDs. */
  proven: string[];
  /** Events whose content the bundle withholds (another organisation's), proved by their leaf only. */
  withheld: number;
  problems: string[];
}

interface RawEvent {
  leafIndex?: unknown;
  proof?: unknown;
  leaf?: unknown;
  record?: unknown;
  salt?: unknown;
  commitment?: unknown;
}

/** Checks a proof bundle (robotid-proof-bundle/v1 or v2) of `robotId` against the log's verifier key. */
export async function verifyProofBundle(
  bundle: unknown,
  robotId: string,
  keyText: string,
): Promise<BundleVerdict> {
  const verdict: BundleVerdict = { ok: false, checkpointSize: null, proven: [], withheld: 0, problems: [] };
  const b = bundle as { format?: unknown; robotId?: unknown; checkpoint?: unknown; events?: unknown };
  if (b?.format !== 'robotid-proof-bundle/v2' && b?.format !== 'robotid-proof-bundle/v1') {
    verdict.problems.push('not a proof bundle');
    return verdict;
  }
  if (b.robotId !== robotId) verdict.problems.push('the bundle is about another robot');
  let checkpoint: Checkpoint;
  try {
    checkpoint = await openCheckpoint(String(b.checkpoint), keyText);
    verdict.checkpointSize = checkpoint.size;
  } catch (error) {
    verdict.problems.push((error as Error).message);
    return verdict;
  }
  if (!Array.isArray(b.events)) {
    verdict.problems.push('the bundle has no events');
    return verdict;
  }
  for (const [i, raw] of (b.events as RawEvent[]).entries()) {
    try {
      let commitment: Uint8Array;
      let eventId: string | undefined;
      if (typeof raw.record === 'string') {
        const record = JSON.parse(raw.record) as { robotId?: unknown; eventId?: unknown };
        if (record.robotId !== robotId) throw new Error('its record is about another robot');
        eventId = String(record.eventId);
        commitment = await sha256(fromBase64(String(raw.salt)), enc.encode(raw.record));
      } else commitment = fromBase64(String(raw.commitment));
      const proof = Array.isArray(raw.proof) ? raw.proof.map((p) => fromBase64(String(p))) : [];
      const leaf = await leafHash(enc.encode(leafText(robotId, commitment, raw.leaf)));
      const root = await rootFromInclusionProof(Number(raw.leafIndex), checkpoint.size, leaf, proof);
      if (!equal(root, checkpoint.root))
        throw new Error('its inclusion proof does not lead to the checkpoint');
      if (eventId === undefined) verdict.withheld += 1;
      else verdict.proven.push(eventId);
    } catch (error) {
      verdict.problems.push(`event ${i + 1}: ${(error as Error).message}`);
    }
  }
  verdict.ok = verdict.problems.length === 0;
  return verdict;
}
