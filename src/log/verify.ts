/**
 * Proof verification, written from RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency). Everything a proof
 * carries is checked before it is used: sizes, index, hash lengths, proof length. A failure says which check failed,
 * because a verifier that only says "invalid" leaves its user guessing whether the registry or the file is at fault.
 */
import { HASH_SIZE, isPowerOfTwo, nodeHash } from './hash.js';

export type ProofFailure =
  | 'malformed' // a size, index or hash that cannot belong to any valid proof
  | 'wrong-length' // more or fewer hashes than a proof for these sizes has
  | 'root-mismatch'; // well-formed, but it does not lead to the expected root

export class ProofError extends Error {
  constructor(
    readonly failure: ProofFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ProofError';
  }
}

function checkSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new ProofError('malformed', `${name} must be a non-negative integer, got ${value}`);
}

function checkHash(name: string, value: Uint8Array): void {
  if (value.length !== HASH_SIZE)
    throw new ProofError('malformed', `${name} must be ${HASH_SIZE} bytes, got ${value.length}`);
}

function checkPath(proof: readonly Uint8Array[]): void {
  proof.forEach((h, i) => checkHash(`proof[${i}]`, h));
}

const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** The root an inclusion proof leads to from the leaf hash; throws if the proof cannot be one for these sizes. */
export function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer {
  checkSize('leaf index', leafIndex);
  checkSize('tree size', treeSize);
  if (leafIndex >= treeSize)
    throw new ProofError('malformed', `leaf index ${leafIndex} is not in a tree of size ${treeSize}`);
  checkHash('leaf hash', leafHash);
  checkPath(proof);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0)
      throw new ProofError('wrong-length', `the proof has more hashes than a tree of size ${treeSize} needs`);
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0)
    throw new ProofError('wrong-length', `the proof has fewer hashes than a tree of size ${treeSize} needs`);
  return r;
}

/** Throws unless `leafHash` is the leaf at `leafIndex` of the tree of `treeSize` leaves whose root is `root`. */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkHash('root', root);
  const computed = rootFromInclusionProof(leafIndex, treeSize, leafHash, proof);
  if (!computed.equals(root))
    throw new ProofError(
      'root-mismatch',
      `leaf ${leafIndex} with this proof leads to root ${computed.toString('base64')}, not ${Buffer.from(root).toString('base64')}`,
    );
}

/**
 * Throws unless the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with root `root1`.
 * A proof from the empty tree is refused: every tree extends it, so such a "proof" shows nothing.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkSize('first size', size1);
  checkSize('second size', size2);
  if (size1 === 0)
    throw new ProofError('malformed', 'a consistency proof from the empty tree proves nothing');
  if (size2 < size1) throw new ProofError('malformed', `second size ${size2} is smaller than first ${size1}`);
  if (size1 === size2) {
    // Nothing is hashed: the two roots must simply be the same bytes (as RFC 9162 and the published probes have it).
    if (proof.length !== 0) throw new ProofError('wrong-length', 'a proof between equal sizes must be empty');
    if (!Buffer.from(root1).equals(root2))
      throw new ProofError('root-mismatch', `two different roots for the same size ${size1}`);
    return;
  }
  checkHash('first root', root1);
  checkHash('second root', root2);
  checkPath(proof);
  // When size1 is a power of two its root is a node of the new tree and the proof leaves it out (§2.1.4.1).
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  if (path.length === 0) throw new ProofError('wrong-length', 'the consistency proof is empty');
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0)
      throw new ProofError('wrong-length', 'the consistency proof has more hashes than these sizes need');
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0)
    throw new ProofError('wrong-length', 'the consistency proof has fewer hashes than these sizes need');
  if (!fr.equals(root1))
    throw new ProofError('root-mismatch', `the proof does not lead to the first root (size ${size1})`);
  if (!sr.equals(root2))
    throw new ProofError('root-mismatch', `the proof does not lead to the second root (size ${size2})`);
}
