import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { TESTDATA } from '../support/testdata.js';
import { createHash } from 'node:crypto';
import { EMPTY_ROOT, leafHash, leafHashOfText, nodeHash, splitPoint } from '../../src/log/hash.js';
import { commitment } from '../../src/log/leaf.js';
import {
  consistencyProof,
  inclusionProof,
  nodesRead,
  treeRoot,
  type NodeSource,
} from '../../src/log/proofs.js';
import { appendLeaves, edgeTiles, nodesFromTiles, tileKeyString, tilesFor } from '../../src/log/tiles.js';
import { ProofError, verifyConsistency, verifyInclusion } from '../../src/log/verify.js';
import { CompactRange } from '../../src/log/compact-range.js';

/** Published vectors, read in place. */
const VECTORS = join(TESTDATA, 'rfc6962') + sep;

function probes(kind: 'inclusion' | 'consistency') {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) files.push(path);
    }
  };
  walk(join(VECTORS, kind));
  return files.map((path) => ({
    name: path.slice(VECTORS.length),
    probe: JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>,
  }));
}

const b64 = (v: unknown) => Buffer.from((v as string | null) ?? '', 'base64');
const path = (v: unknown) => ((v as string[] | null) ?? []).map(b64);

/** MTH straight from the RFC's recursive definition: the reference the stored tree is compared with. */
function naiveRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leafHash(leaves[0]!);
  const k = splitPoint(leaves.length);
  return nodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

/** A tree kept as the store keeps it (tiles in a map), grown by appends of the given sizes. */
class TiledTree {
  readonly tiles = new Map<string, Buffer>();
  size = 0;

  append(leaves: Buffer[]) {
    const edge = new Map(
      [...this.tiles].filter(([k]) => edgeTiles(this.size).some((e) => tileKeyString(e) === k)),
    );
    for (const t of appendLeaves(this.size, Buffer.concat(leaves.map(leafHash)), edge))
      this.tiles.set(tileKeyString(t), t.hashes);
    this.size += leaves.length;
  }

  /** Runs a proof computation the way the registry does: learn the nodes, fetch only their tiles, compute. */
  compute<T>(work: (node: NodeSource) => T): T {
    const needed = tilesFor(nodesRead(work));
    const fetched = new Map(
      needed.map((k) => [tileKeyString(k), this.tiles.get(tileKeyString(k))!] as const),
    );
    return work(nodesFromTiles(fetched));
  }
}

const leafData = (i: number) => Buffer.from(`leaf ${i}`);

describe('RFC 6962 Merkle tree', () => {
  const reference = JSON.parse(readFileSync(join(VECTORS, 'rfc6962-reference-tree.json'), 'utf8')) as {
    leafInputsHex: string[];
    rootHashByTreeSize: string[];
  };

  it('computes the reference roots for every size 0..8, one leaf at a time', () => {
    const tree = new TiledTree();
    const leaves = reference.leafInputsHex.map((h) => Buffer.from(h, 'hex'));
    assert.equal(tree.compute((n) => treeRoot(0, n)).toString('hex'), reference.rootHashByTreeSize[0]);
    leaves.forEach((leaf, i) => {
      tree.append([leaf]);
      const root = tree.compute((n) => treeRoot(i + 1, n));
      assert.equal(root.toString('hex'), reference.rootHashByTreeSize[i + 1], `size ${i + 1}`);
    });
  });

  it('stored in tiles, agrees with the recursive definition whatever the append sizes', () => {
    const tree = new TiledTree();
    const leaves = Array.from({ length: 700 }, (_, i) => leafData(i));
    const steps = [1, 15, 1, 16, 17, 255, 3, 100, 292];
    let at = 0;
    for (const step of steps) {
      tree.append(leaves.slice(at, at + step));
      at += step;
      assert.ok(tree.compute((n) => treeRoot(at, n)).equals(naiveRoot(leaves.slice(0, at))), `size ${at}`);
    }
    assert.equal(at, 700);
    // Earlier sizes stay computable from the grown tree: proofs are asked for against old checkpoints.
    for (const size of [1, 2, 16, 17, 256, 257, 511, 699])
      assert.ok(
        tree.compute((n) => treeRoot(size, n)).equals(naiveRoot(leaves.slice(0, size))),
        `old ${size}`,
      );
  });

  it('refuses an append whose edge tile is missing or of the wrong width', () => {
    const tree = new TiledTree();
    tree.append([leafData(0), leafData(1), leafData(2)]);
    assert.throws(() => appendLeaves(3, leafHash(leafData(3)), new Map()), /edge tile 0\/0 should hold 3/);
  });

  it('gives inclusion and consistency proofs that verify, for every index and pair of sizes up to 70', () => {
    const tree = new TiledTree();
    const leaves = Array.from({ length: 70 }, (_, i) => leafData(i));
    tree.append(leaves);
    const roots = [EMPTY_ROOT, ...leaves.map((_, i) => naiveRoot(leaves.slice(0, i + 1)))];
    for (let size = 1; size <= 70; size++) {
      for (let index = 0; index < size; index++) {
        const proof = tree.compute((n) => inclusionProof(index, size, n));
        verifyInclusion(index, size, leafHash(leaves[index]!), proof, roots[size]!);
      }
      for (let first = 1; first <= size; first++) {
        const proof = tree.compute((n) => consistencyProof(first, size, n));
        verifyConsistency(first, size, proof, roots[first]!, roots[size]!);
      }
    }
  });

  it('reads O(log n) nodes for a proof in a tree of 5 million leaves', () => {
    const nodes = nodesRead((n) => inclusionProof(3_141_592, 5_000_000, n));
    assert.ok(nodes.length <= 2 * Math.ceil(Math.log2(5_000_000)), `${nodes.length} nodes`);
    assert.ok(tilesFor(nodes).length <= 12, `${tilesFor(nodes).length} tiles`);
  });

  it('names the check that failed', () => {
    const leaves = [leafData(0), leafData(1), leafData(2)];
    const tree = new TiledTree();
    tree.append(leaves);
    const proof = tree.compute((n) => inclusionProof(1, 3, n));
    const root = naiveRoot(leaves);
    const failure = (run: () => void) => {
      try {
        run();
      } catch (error) {
        assert.ok(error instanceof ProofError);
        return error.failure;
      }
      return 'accepted';
    };
    assert.equal(
      failure(() => verifyInclusion(1, 3, leafHash(leaves[1]!), proof, root)),
      'accepted',
    );
    assert.equal(
      failure(() => verifyInclusion(1, 3, leafHash(leaves[0]!), proof, root)),
      'root-mismatch',
    );
    assert.equal(
      failure(() => verifyInclusion(1, 3, leafHash(leaves[1]!), proof.slice(1), root)),
      'wrong-length',
    );
    assert.equal(
      failure(() => verifyInclusion(3, 3, leafHash(leaves[1]!), proof, root)),
      'malformed',
    );
    assert.equal(
      failure(() => verifyInclusion(1, 3, Buffer.alloc(31), proof, root)),
      'malformed',
    );
  });
});

describe('published RFC 6962 proof probes (transparency-dev/merkle testdata)', () => {
  const inclusion = probes('inclusion');
  const consistency = probes('consistency');

  it('has all 98 + 98 probes to run', () => {
    assert.equal(inclusion.length, 98);
    assert.equal(consistency.length, 98);
  });

  for (const { name, probe } of inclusion) {
    it(`${name}: ${probe.wantErr ? 'rejected' : 'accepted'}`, () => {
      const run = () =>
        verifyInclusion(
          probe.leafIdx as number,
          probe.treeSize as number,
          b64(probe.leafHash),
          path(probe.proof),
          b64(probe.root),
        );
      if (probe.wantErr) assert.throws(run, ProofError);
      else run();
    });
  }

  for (const { name, probe } of consistency) {
    it(`${name}: ${probe.wantErr ? 'rejected' : 'accepted'}`, () => {
      const run = () =>
        verifyConsistency(
          probe.size1 as number,
          probe.size2 as number,
          path(probe.proof),
          b64(probe.root1),
          b64(probe.root2),
        );
      if (probe.wantErr) assert.throws(run, ProofError);
      else run();
    });
  }
});

describe('compact range', () => {
  it('gives the RFC root at every size while leaves are appended one by one', () => {
    const range = new CompactRange();
    const leaves = Array.from({ length: 300 }, (_, i) => leafData(i));
    assert.ok(range.root().equals(EMPTY_ROOT));
    leaves.forEach((leaf, i) => {
      range.append(leafHash(leaf));
      assert.ok(range.root().equals(naiveRoot(leaves.slice(0, i + 1))), `size ${i + 1}`);
    });
  });
});

describe('leaf hashing shortcuts', () => {
  it('hashes a text leaf as its UTF-8 bytes, whatever the characters', () => {
    for (const text of ['', 'plain', '{"robotId":"CN…","v":1}', 'é中😀', '\u0000x'])
      assert.ok(leafHashOfText(text).equals(leafHash(Buffer.from(text))), text);
  });

  it('commits to salt and record bytes, records of any length included', () => {
    const salt = Buffer.alloc(16, 7);
    for (const record of ['{}', 'é'.repeat(40_000), 'x'.repeat(100_000)])
      assert.ok(commitment(salt, record).equals(createHash('sha256').update(salt).update(record).digest()));
  });
});
