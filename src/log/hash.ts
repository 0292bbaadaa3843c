/**
 * The two hashes of an RFC 6962 / RFC 9162 SHA-256 Merkle tree. The one-byte prefixes keep a leaf from ever being
 * taken for an interior node (second-preimage resistance, RFC 9162 §2.1.1).
 */
import { hash } from 'node:crypto';

export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(data: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');
}

/** MTH of a leaf given as text (its UTF-8 bytes): "\0" + text is the same bytes as 0x00 || UTF-8(text), hashed
 *  without building a buffer first. */
export function leafHashOfText(text: string): Buffer {
  return hash('sha256', `\u0000${text}`, 'buffer');
}

/**
 * SHA-256 of `data`, written as 32 bytes into `into` at `at`: a batch's digests (leaves, nodes, commitments) into one
 * buffer, without a Buffer made for each, which costs more than the hash.
 */
export function writeSha256(data: string | Uint8Array, into: Buffer, at: number): void {
  into.write(hash('sha256', data, 'hex'), at, 'hex');
}

/** MTH of a leaf given as text, written into `into` at `at` (writeSha256). */
export const writeLeafHashOfText = (text: string, into: Buffer, at: number): void =>
  writeSha256(`\u0000${text}`, into, at);

/** One reused input buffer: hashing a node is the log's hottest path, and a concat per node is an allocation. */
const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE, NODE_PREFIX);

/** An interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE)
    return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeInput, 'buffer');
}

/** The node over the two hashes at `from` in `hashes` (left, then right), written as 32 bytes into `into` at `at`
 *  (which may be where they were read from: they are read first). */
export function writeNodeHash(hashes: Buffer, from: number, into: Buffer, at: number): void {
  hashes.copy(nodeInput, 1, from, from + 2 * HASH_SIZE);
  writeSha256(nodeInput, into, at);
}

/** MTH({}) = SHA-256 of nothing: the root of the empty tree. */
export const EMPTY_ROOT: Buffer = hash('sha256', Buffer.alloc(0), 'buffer');

/** Largest power of two strictly smaller than n (n ≥ 2): where RFC 6962 splits a range of n leaves. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Exact for every safe integer (bitwise operators would cut at 32 bits). */
export function isPowerOfTwo(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}
