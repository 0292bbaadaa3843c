import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { leafHashOfText, nodeHash } from '../../../src/log/hash.js';
import { eventLeaf, leafText } from '../../../src/log/leaf.js';
import type { CheckpointRecord, CosignatureRecord } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { allPages, bytes, event, robotId, storePerTest } from './fixtures.js';

const checkpoint = (size: number): CheckpointRecord => ({
  size,
  rootHash: bytes(32, size),
  note: `registry.example/log\n${size}\nroot\n\n— registry sig${size}\n`,
  signedAt: `2026-01-01T00:00:${String(size).padStart(2, '0')}.000Z`,
});

const cosignature = (
  size: number,
  witness: string,
  extra: Partial<CosignatureRecord> = {},
): CosignatureRecord => ({
  size,
  witness,
  line: `— ${witness} sig-of-${size}\n`,
  cosignedAt: 1_767_225_600 + size,
  receivedAt: '2026-01-01T00:01:00.000Z',
  ...extra,
});

/** The root of a full subtree of 2^n leaf hashes (RFC 6962). */
const subtreeRoot = (hashes: Buffer[]): Buffer =>
  hashes.length === 1
    ? hashes[0]!
    : nodeHash(subtreeRoot(hashes.slice(0, hashes.length / 2)), subtreeRoot(hashes.slice(hashes.length / 2)));

for (const adapter of adapters) {
  describe(`store contract, transparency log: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    test('an empty log has no leaves, tiles, events or checkpoints', async () => {
      assert.equal(await store.read((r) => r.logSize()), 0);
      assert.equal((await store.read((r) => r.readLogTiles([{ level: 0, index: 0 }]))).size, 0);
      assert.equal((await store.read((r) => r.readLogTiles([]))).size, 0);
      assert.deepEqual(await store.read((r) => r.listEventsBySeq(1, 10)), []);
      assert.equal(await store.read((r) => r.latestCheckpoint()), null);
      assert.equal(await store.read((r) => r.getCheckpoint(0)), null);
      assert.deepEqual(await store.read((r) => r.listCheckpoints({ after: 0, limit: 5 })), {
        items: [],
        next: null,
      });
    });

    test("each event is a leaf: the tiles hold the leaves' hashes in seq order, a given commitment as given", async () => {
      const given = bytes(32, 99);
      const first = Array.from({ length: 15 }, (_, i) => event(robotId(i % 3), `e${i}`));
      const second = [event(robotId(1), 'given', { commitment: given }), event(robotId(2), 'after')];
      await store.write((tx) => tx.insertEvents(first));
      await store.write((tx) => tx.insertEvents(second));
      assert.equal(await store.read((r) => r.logSize()), 17);
      const stored = await store.read((r) => r.listEventsBySeq(1, 18));
      const leaves = stored.map((e) =>
        e.eventId === 'given'
          ? leafHashOfText(leafText(e.robotId, given, e.leaf))
          : eventLeaf(e, e.salt, e.leaf).hash,
      );
      const tiles = await store.read((r) =>
        r.readLogTiles([
          { level: 1, index: 0 },
          { level: 0, index: 7 },
          { level: 0, index: 1 },
          { level: 0, index: 0 },
        ]),
      );
      assert.deepEqual([...tiles.keys()].sort(), ['0/0', '0/1', '1/0'], 'absent tiles are left out');
      assert.ok(tiles.get('0/0')!.equals(Buffer.concat(leaves.slice(0, 16))));
      assert.ok(tiles.get('0/1')!.equals(leaves[16]!));
      assert.ok(tiles.get('1/0')!.equals(subtreeRoot(leaves.slice(0, 16))));
    });

    test("each new leaf names its robot's previous leaf, within a batch and across batches", async () => {
      const [a, b] = [robotId(1), robotId(2)];
      await store.write((tx) => tx.insertEvents([event(a, 'a1'), event(b, 'b1'), event(a, 'a2')]));
      await store.write((tx) => tx.insertEvents([event(b, 'b2'), event(a, 'a3'), event(a, 'a4')]));
      const stored = await store.read((r) => r.listEventsBySeq(1, 7));
      assert.deepEqual(
        stored.map((e) => [e.eventId, e.seq - 1, e.leaf]),
        [
          ['a1', 0, { v: 2, prev: null }],
          ['b1', 1, { v: 2, prev: null }],
          ['a2', 2, { v: 2, prev: 0 }],
          ['b2', 3, { v: 2, prev: 1 }],
          ['a3', 4, { v: 2, prev: 2 }],
          ['a4', 5, { v: 2, prev: 4 }],
        ],
      );
    });

    test("a robot's first event said to be its first links to no leaf; the robot's next ones find it", async () => {
      const [a, b] = [robotId(1), robotId(2)];
      await store.write((tx) =>
        tx.insertEvents([
          event(a, 'a1', { firstOfRobot: true }),
          event(b, 'b1', { firstOfRobot: true }),
          event(a, 'a2'),
        ]),
      );
      await store.write((tx) => tx.insertEvents([event(b, 'b2'), event(a, 'a3')]));
      const stored = await store.read((r) => r.listEventsBySeq(1, 6));
      assert.deepEqual(
        stored.map((e) => [e.eventId, e.leaf]),
        [
          ['a1', { v: 2, prev: null }],
          ['b1', { v: 2, prev: null }],
          ['a2', { v: 2, prev: 0 }],
          ['b2', { v: 2, prev: 1 }],
          ['a3', { v: 2, prev: 2 }],
        ],
      );
    });

    test('events by seq are those in [from, to), in order, as stored', async () => {
      await store.write((tx) =>
        tx.insertEvents(Array.from({ length: 5 }, (_, i) => event(robotId(i), `e${i}`))),
      );
      const all = await store.read((r) => r.listEventsBySeq(1, 6));
      assert.deepEqual(
        all.map((e) => e.seq),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(all[2], await store.read((r) => r.findEvent(robotId(2), 'e2')));
      assert.deepEqual(
        (await store.read((r) => r.listEventsBySeq(2, 4))).map((e) => e.eventId),
        ['e1', 'e2'],
      );
      assert.deepEqual(await store.read((r) => r.listEventsBySeq(3, 3)), []);
      assert.deepEqual(
        (await store.read((r) => r.listEventsBySeq(5, 100))).map((e) => e.seq),
        [5],
      );
    });

    test('checkpoints round-trip byte for byte; the latest is the largest; listed by size, paged', async () => {
      await store.write(async (tx) => {
        for (const size of [0, 5, 3]) await tx.insertCheckpoint(checkpoint(size));
      });
      const three = await store.read((r) => r.getCheckpoint(3));
      assert.deepEqual(three, checkpoint(3));
      assert.ok(three!.rootHash.equals(bytes(32, 3)));
      assert.equal(await store.read((r) => r.getCheckpoint(4)), null);
      assert.deepEqual(await store.read((r) => r.latestCheckpoint()), checkpoint(5));
      // `after` is a size, and the list starts strictly after it: -1 for the checkpoint of the empty tree too.
      const first = await store.read((r) => r.listCheckpoints({ after: -1, limit: 2 }));
      assert.deepEqual(first, { items: [checkpoint(0), checkpoint(3)], next: 3 });
      assert.deepEqual(await store.read((r) => r.listCheckpoints({ after: 3, limit: 2 })), {
        items: [checkpoint(5)],
        next: null,
      });
      assert.deepEqual(
        (await allPages(0, (after) => store.read((r) => r.listCheckpoints({ after, limit: 1 })))).map(
          (c) => c.size,
        ),
        [3, 5],
      );
    });

    test('a second checkpoint of a size is refused as checkpoint-exists and the first is kept', async () => {
      await store.write((tx) => tx.insertCheckpoint(checkpoint(7)));
      await assert.rejects(
        store.write((tx) =>
          tx.insertCheckpoint({ ...checkpoint(7), note: 'other\n', rootHash: bytes(32, 1) }),
        ),
        { name: 'DomainError', kind: 'conflict', code: 'checkpoint-exists' },
      );
      assert.deepEqual(await store.read((r) => r.getCheckpoint(7)), checkpoint(7));
    });

    test("cosignatures: one per witness and size, in witness order; a witness's later one replaces its earlier", async () => {
      await store.write(async (tx) => {
        await tx.insertCheckpoint(checkpoint(1));
        await tx.insertCheckpoint(checkpoint(2));
        await tx.putCosignature(cosignature(1, 'witness.b'));
        await tx.putCosignature(cosignature(1, 'witness.a'));
        await tx.putCosignature(cosignature(2, 'witness.b'));
      });
      const later = cosignature(1, 'witness.b', {
        line: '— witness.b newer\n',
        cosignedAt: 4_102_444_800, // 2100-01-01: past 2^31
        receivedAt: '2026-01-02T00:00:00.000Z',
      });
      await store.write((tx) => tx.putCosignature(later));
      assert.deepEqual(await store.read((r) => r.listCosignatures(1)), [cosignature(1, 'witness.a'), later]);
      assert.deepEqual(await store.read((r) => r.listCosignatures(2)), [cosignature(2, 'witness.b')]);
      assert.deepEqual(await store.read((r) => r.listCosignatures(3)), []);
    });

    test('a cosignature of a size the registry never signed is refused', async () => {
      await assert.rejects(store.write((tx) => tx.putCosignature(cosignature(4, 'witness.a'))));
      assert.deepEqual(await store.read((r) => r.listCosignatures(4)), []);
    });
  });
}
