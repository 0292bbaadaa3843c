/**
 * The robots' heads map: robot → (how many leaves of it the log holds, the index of its latest), as a sparse Merkle
 * tree whose root each checkpoint commits to in a `robotid-heads/v1` extension line. With it a bundle proves it
 * holds every event of its robot up to the checkpoint, not only that each of its events is in the log.
 *
 * Keyed by SHA-256(robot ID), 256 levels, one bit a level (0 left). A subtree holding one entry hashes to that
 * entry's leaf hash, which binds the full key, so a proof is the siblings down to where the key is alone: about
 * log2(robots) hashes, and an update rewrites about as many nodes. The three hashes are domain-separated by their
 * first byte: leaf 0x00 || key || count || head (u64 big-endian), node 0x01 || left || right, empty SHA-256(0x02).
 *
 * Stored nodes are addressed by their path, the key's bits from the root as a string of '0' and '1'. A stored node
 * is the root or a child of a node holding two entries or more; an absent one is empty. Keys are never removed, so
 * a node only ever goes from empty to one entry to an interior node, and nothing below a leaf is ever stale.
 */
import { hash } from 'node:crypto';
import { HASH_SIZE } from './hash.js';

export const HEADS_EXTENSION = 'robotid-heads/v1';
const KEY_BITS = 256;

/** What the log holds of one robot at a checkpoint. */
export interface RobotHead {
  /** Its leaves in the log. */
  count: number;
  /** Index of its latest leaf. */
  head: number;
}

export interface MapEntry extends RobotHead {
  key: Buffer;
}

/** A stored node: its hash and, for a subtree of one entry, that entry. */
export interface MapNode {
  hash: Buffer;
  entry: MapEntry | null;
}

export const EMPTY_HASH: Buffer = hash('sha256', Buffer.from([0x02]), 'buffer');

export const mapKey = (robotId: string): Buffer => hash('sha256', robotId, 'buffer');

export function mapLeafHash(e: MapEntry): Buffer {
  const bytes = Buffer.alloc(1 + HASH_SIZE + 16);
  bytes[0] = 0x00;
  e.key.copy(bytes, 1);
  // Through a DataView: the console's Buffer (the buffer package, console/src/verify) has no BigInt writes.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  view.setBigUint64(1 + HASH_SIZE, BigInt(e.count));
  view.setBigUint64(1 + HASH_SIZE + 8, BigInt(e.head));
  return hash('sha256', bytes, 'buffer');
}

export const mapNodeHash = (left: Uint8Array, right: Uint8Array): Buffer =>
  hash('sha256', Buffer.concat([Buffer.from([0x01]), left, right]), 'buffer');

const bit = (key: Uint8Array, depth: number) => (key[depth >> 3]! >> (7 - (depth & 7))) & 1;

/** The key's path down to `depth`. */
export function pathOf(key: Uint8Array, depth: number): string {
  let path = '';
  for (let d = 0; d < depth; d++) path += bit(key, d);
  return path;
}

const split = (entries: MapEntry[], depth: number) => [
  entries.filter((e) => bit(e.key, depth) === 0),
  entries.filter((e) => bit(e.key, depth) === 1),
];

/** The subtree of these entries (distinct keys under `path`), its nodes added to `nodes`; returns its hash. */
function build(path: string, entries: MapEntry[], nodes: Map<string, MapNode> | null): Buffer {
  if (entries.length === 0) return EMPTY_HASH;
  if (entries.length === 1) {
    const leaf = mapLeafHash(entries[0]!);
    nodes?.set(path, { hash: leaf, entry: entries[0]! });
    return leaf;
  }
  if (path.length >= KEY_BITS) throw new Error('heads map: two entries with the same key');
  const [left, right] = split(entries, path.length);
  const node = mapNodeHash(build(`${path}0`, left!, nodes), build(`${path}1`, right!, nodes));
  nodes?.set(path, { hash: node, entry: null });
  return node;
}

/** The root of the map holding exactly these entries (the audit's recomputation, and tests). */
export const mapRoot = (entries: MapEntry[]): Buffer => build('', entries, null);

/** An update: `added` more leaves of the robot keyed `key`, the latest at index `head`. */
export interface HeadUpdate {
  key: Buffer;
  added: number;
  head: number;
}

/** Reads stored nodes by path; an absent path is an empty subtree. */
export type MapNodeReader = (paths: string[]) => Promise<Map<string, MapNode>>;

/**
 * Applies the updates to the stored map: reads the nodes on the updated keys' paths a level at a time (one read a
 * level, however many keys), then works out the new root and every node to write.
 */
export async function updateMap(
  read: MapNodeReader,
  updates: HeadUpdate[],
): Promise<{ root: Buffer; writes: Map<string, MapNode> }> {
  const known = new Map<string, MapNode | null>();
  let level: { path: string; updates: HeadUpdate[] }[] = [{ path: '', updates }];
  let toRead = [''];
  while (toRead.length > 0) {
    const found = await read(toRead);
    for (const path of toRead) known.set(path, found.get(path) ?? null);
    const next: typeof level = [];
    toRead = [];
    for (const { path, updates: under } of level) {
      const node = known.get(path);
      if (!node || node.entry || under.length === 0) continue;
      toRead.push(`${path}0`, `${path}1`);
      const [left, right] = splitUpdates(under, path.length);
      next.push({ path: `${path}0`, updates: left }, { path: `${path}1`, updates: right });
    }
    level = next;
  }
  const writes = new Map<string, MapNode>();
  const root = apply('', updates, known, writes);
  return { root, writes };
}

function splitUpdates(updates: HeadUpdate[], depth: number): [HeadUpdate[], HeadUpdate[]] {
  const left: HeadUpdate[] = [];
  const right: HeadUpdate[] = [];
  for (const u of updates) (bit(u.key, depth) === 0 ? left : right).push(u);
  return [left, right];
}

function apply(
  path: string,
  updates: HeadUpdate[],
  known: Map<string, MapNode | null>,
  writes: Map<string, MapNode>,
): Buffer {
  const node = known.get(path) ?? null;
  if (updates.length === 0) return node?.hash ?? EMPTY_HASH;
  if (node === null || node.entry) {
    const entries = updates.map((u) => ({ key: u.key, count: u.added, head: u.head }));
    const old = node?.entry;
    const same = old && entries.find((e) => e.key.equals(old.key));
    if (same) same.count += old.count;
    else if (old) entries.push(old);
    return build(path, entries, writes);
  }
  const [left, right] = splitUpdates(updates, path.length);
  const hashOf = (p: string, u: HeadUpdate[]) => apply(p, u, known, writes);
  const interior = mapNodeHash(hashOf(`${path}0`, left), hashOf(`${path}1`, right));
  writes.set(path, { hash: interior, entry: null });
  return interior;
}

/**
 * A key's proof: the siblings from the root down to where the key is alone, and what is there: the key's own
 * entry, another key's (the key is absent) or nothing (absent, empty subtree).
 */
export interface MapProof {
  siblings: Buffer[];
  terminal: MapEntry | null;
}

/** Reads the proof of `key` from the stored map, 32 levels a read. */
export async function mapProof(read: MapNodeReader, key: Buffer): Promise<MapProof> {
  const siblings: Buffer[] = [];
  for (let from = 0; from <= KEY_BITS; from += 32) {
    const depths = [...Array(Math.min(32, KEY_BITS + 1 - from)).keys()].map((d) => from + d);
    const paths = depths.flatMap((d) => [pathOf(key, d), siblingPath(key, d + 1)]);
    const found = await read(paths);
    for (const depth of depths) {
      const node = found.get(pathOf(key, depth));
      if (!node || node.entry) return { siblings, terminal: node?.entry ?? null };
      siblings.push(found.get(siblingPath(key, depth + 1))?.hash ?? EMPTY_HASH);
    }
  }
  throw new Error('heads map: no leaf on the key’s path');
}

/** The path of the node beside the key's node at `depth` (≥ 1). */
function siblingPath(key: Uint8Array, depth: number): string {
  return pathOf(key, depth - 1) + (1 - bit(key, depth - 1));
}

/** The robot's head as the proof shows it: null when the map does not hold the robot. */
export function provenHead(key: Buffer, proof: MapProof): RobotHead | null {
  const t = proof.terminal;
  return t && t.key.equals(key) ? { count: t.count, head: t.head } : null;
}

/** Throws unless the proof shows, under `root`, the key's entry (or its absence) as the proof's terminal says. */
export function verifyMapProof(root: Uint8Array, key: Buffer, proof: MapProof): void {
  const depth = proof.siblings.length;
  if (depth > KEY_BITS) throw new Error('heads proof: more siblings than key bits');
  const t = proof.terminal;
  if (t && !t.key.equals(key) && pathOf(t.key, depth) !== pathOf(key, depth))
    throw new Error('heads proof: the entry it ends at is not on the robot’s path');
  if (t && t.key.equals(key) && (t.count < 1 || t.head < t.count - 1))
    throw new Error(`heads proof: ${t.count} leaves with the latest at ${t.head} cannot be`);
  let h = t ? mapLeafHash(t) : EMPTY_HASH;
  for (let d = depth - 1; d >= 0; d--) {
    const s = proof.siblings[d]!;
    if (s.length !== HASH_SIZE) throw new Error(`heads proof: sibling ${d} is not ${HASH_SIZE} bytes`);
    h = bit(key, d) === 0 ? mapNodeHash(h, s) : mapNodeHash(s, h);
  }
  if (!h.equals(root))
    throw new Error(
      `heads proof: leads to root ${h.toString('base64')}, not the checkpoint's ${Buffer.from(root).toString('base64')}`,
    );
}

/** The heads root a checkpoint commits to, from its extension lines; null when it carries none. */
export function headsRootOf(extensions: readonly string[]): Buffer | null {
  const line = extensions.find((l) => l.startsWith(`${HEADS_EXTENSION} `));
  if (line === undefined) return null;
  const root = Buffer.from(line.slice(HEADS_EXTENSION.length + 1), 'base64');
  if (root.length !== HASH_SIZE || root.toString('base64') !== line.slice(HEADS_EXTENSION.length + 1))
    throw new Error(`checkpoint: its ${HEADS_EXTENSION} line does not hold a base64 SHA-256 root`);
  return root;
}

export const headsLine = (root: Uint8Array) => `${HEADS_EXTENSION} ${Buffer.from(root).toString('base64')}`;
