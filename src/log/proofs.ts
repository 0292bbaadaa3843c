/**
 * Tree heads and proofs, written from RFC 9162 §2.1.1 (MTH), §2.1.3.1 (PATH) and §2.1.4.1 (SUBPROOF), over any
 * store of complete-subtree hashes. Every range the RFC recursion meets is either a complete aligned subtree (one
 * stored node) or splits into one: a proof for any size costs O(log n) node reads.
 */
import { EMPTY_ROOT, HASH_SIZE, isPowerOfTwo, nodeHash, splitPoint } from './hash.js';

/** A complete subtree: the 2^level leaves starting at index · 2^level. */
export interface NodeId {
  level: number;
  index: number;
}

/** Returns the hash of a complete subtree that exists in the tree (synchronously: the caller fetched it). */
export type NodeSource = (level: number, index: number) => Buffer;

function log2(powerOfTwo: number): number {
  let level = 0;
  for (let n = powerOfTwo; n > 1; n /= 2) level++;
  return level;
}

/** MTH(D[lo:hi]): one stored node when the range is a complete aligned subtree, else the RFC's split. */
function rangeHash(lo: number, hi: number, node: NodeSource): Buffer {
  const n = hi - lo;
  if (isPowerOfTwo(n) && lo % n === 0) return node(log2(n), lo / n);
  const k = splitPoint(n);
  return nodeHash(rangeHash(lo, lo + k, node), rangeHash(lo + k, hi, node));
}

function checkTreeSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad tree size ${size}`);
}

/** The root hash of the tree of the first `size` leaves. */
export function treeRoot(size: number, node: NodeSource): Buffer {
  checkTreeSize(size);
  return size === 0 ? EMPTY_ROOT : rangeHash(0, size, node);
}

/** PATH(m, D[lo:hi]), the audit path from leaf m up to the root of that range. */
function path(m: number, lo: number, hi: number, node: NodeSource): Buffer[] {
  if (hi - lo === 1) return [];
  const k = splitPoint(hi - lo);
  return m < lo + k
    ? [...path(m, lo, lo + k, node), rangeHash(lo + k, hi, node)]
    : [...path(m, lo + k, hi, node), rangeHash(lo, lo + k, node)];
}

/** The inclusion proof of leaf `index` in the tree of `size` leaves. */
export function inclusionProof(index: number, size: number, node: NodeSource): Buffer[] {
  checkTreeSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size)
    throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  return path(index, 0, size, node);
}

/** SUBPROOF(m, D[lo:hi], b). */
function subproof(m: number, lo: number, hi: number, whole: boolean, node: NodeSource): Buffer[] {
  const n = hi - lo;
  if (m === n) return whole ? [] : [rangeHash(lo, hi, node)];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(m, lo, lo + k, whole, node), rangeHash(lo + k, hi, node)]
    : [...subproof(m - k, lo + k, hi, false, node), rangeHash(lo, lo + k, node)];
}

/** The consistency proof from the tree of `size1` leaves to the tree of `size2` (0 < size1 ≤ size2). */
export function consistencyProof(size1: number, size2: number, node: NodeSource): Buffer[] {
  checkTreeSize(size1);
  checkTreeSize(size2);
  if (size1 === 0 || size1 > size2)
    throw new RangeError(`no consistency proof from size ${size1} to size ${size2}`);
  return subproof(size1, 0, size2, true, node);
}

/**
 * The nodes a computation will read, found by running it once against placeholder hashes: the caller fetches them
 * all in one round trip and runs it again for real. The computations above read the same nodes whatever the hashes.
 */
export function nodesRead(compute: (node: NodeSource) => unknown): NodeId[] {
  const seen = new Map<string, NodeId>();
  const placeholder = Buffer.alloc(HASH_SIZE);
  compute((level, index) => {
    seen.set(`${level}/${index}`, { level, index });
    return placeholder;
  });
  return [...seen.values()];
}
