import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_HASH,
  headsLine,
  headsRootOf,
  mapKey,
  mapProof,
  mapRoot,
  provenHead,
  updateMap,
  verifyMapProof,
  type HeadUpdate,
  type MapEntry,
  type MapNode,
} from '../../src/log/heads-map.js';

/** A stored map in memory, counting the reads a level. */
function memoryMap() {
  const nodes = new Map<string, MapNode>();
  let reads = 0;
  const read = async (paths: string[]) => {
    reads++;
    return new Map(paths.flatMap((p) => (nodes.has(p) ? [[p, nodes.get(p)!] as const] : [])));
  };
  const update = async (updates: HeadUpdate[]) => {
    const { root, writes } = await updateMap(read, updates);
    for (const [p, n] of writes) nodes.set(p, n);
    return root;
  };
  return { nodes, read, update, reads: () => reads };
}

const robot = (i: number) => `CN0001W1NK2AR${String(i).padStart(17, '0')}`;

describe('robots heads map', () => {
  it('incremental updates give the root of the map computed whole', async () => {
    const map = memoryMap();
    const truth = new Map<string, MapEntry>();
    let leaf = 0;
    let root = EMPTY_HASH;
    for (let round = 0; round < 20; round++) {
      const updates = new Map<string, HeadUpdate>();
      for (let k = 0; k < 15; k++) {
        const id = robot((round * 7 + k * 13) % 60);
        const key = mapKey(id);
        const u = updates.get(id) ?? { key, added: 0, head: 0 };
        u.added++;
        u.head = leaf++;
        updates.set(id, u);
        const t = truth.get(id) ?? { key, count: 0, head: 0 };
        truth.set(id, { key, count: t.count + 1, head: u.head });
      }
      root = await map.update([...updates.values()]);
      assert.deepEqual(root, mapRoot([...truth.values()]), `round ${round}`);
    }
    for (const [id, entry] of truth) {
      const proof = await mapProof(map.read, mapKey(id));
      verifyMapProof(root, mapKey(id), proof);
      assert.deepEqual(provenHead(mapKey(id), proof), { count: entry.count, head: entry.head });
      assert.ok(proof.siblings.length < 16, `${proof.siblings.length} siblings for 60 robots`);
    }
  });

  it('proves a robot absent, and the empty map', async () => {
    const map = memoryMap();
    assert.deepEqual(mapRoot([]), EMPTY_HASH);
    const empty = await mapProof(map.read, mapKey(robot(1)));
    verifyMapProof(EMPTY_HASH, mapKey(robot(1)), empty);
    assert.equal(provenHead(mapKey(robot(1)), empty), null);
    const root = await map.update([1, 2, 3].map((i) => ({ key: mapKey(robot(i)), added: 1, head: i })));
    const absent = await mapProof(map.read, mapKey(robot(9)));
    verifyMapProof(root, mapKey(robot(9)), absent);
    assert.equal(provenHead(mapKey(robot(9)), absent), null);
  });

  it('refuses a proof for another key, another value or another root', async () => {
    const map = memoryMap();
    const root = await map.update(
      [1, 2, 3, 4, 5].map((i) => ({ key: mapKey(robot(i)), added: i, head: 10 * i })),
    );
    const key = mapKey(robot(3));
    const proof = await mapProof(map.read, key);
    verifyMapProof(root, key, proof);
    const other = mapKey(robot(4));
    assert.throws(() => verifyMapProof(root, other, proof), /heads proof/);
    const fewer = { ...proof, terminal: { ...proof.terminal!, count: 2 } };
    assert.throws(() => verifyMapProof(root, key, fewer), /leads to root/);
    const older = { ...proof, terminal: { ...proof.terminal!, head: 29 } };
    assert.throws(() => verifyMapProof(root, key, older), /leads to root/);
    assert.throws(() => verifyMapProof(mapRoot([]), key, proof), /leads to root/);
    const hidden = { siblings: proof.siblings, terminal: null };
    assert.throws(() => verifyMapProof(root, key, hidden), /leads to root/, 'claiming the robot absent');
    const cut = { siblings: proof.siblings.slice(1), terminal: proof.terminal };
    assert.throws(() => verifyMapProof(root, key, cut), /heads proof/);
  });

  it('reads a level at a time however many robots an update touches', async () => {
    const map = memoryMap();
    await map.update([...Array(500).keys()].map((i) => ({ key: mapKey(robot(i)), added: 1, head: i })));
    const before = map.reads();
    await map.update([...Array(500).keys()].map((i) => ({ key: mapKey(robot(i)), added: 1, head: 500 + i })));
    assert.ok(map.reads() - before < 20, `${map.reads() - before} reads for 500 robots`);
  });

  it('reads and writes the checkpoint extension line', () => {
    const root = mapRoot([{ key: mapKey(robot(1)), count: 1, head: 0 }]);
    assert.deepEqual(headsRootOf(['other/v1 x', headsLine(root)]), root);
    assert.equal(headsRootOf(['other/v1 x']), null);
    assert.throws(() => headsRootOf(['robotid-heads/v1 AAAA']), /base64 SHA-256/);
  });
});
