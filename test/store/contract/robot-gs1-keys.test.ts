import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RobotGs1Key } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { robotId, storePerTest } from './fixtures.js';

const key = (n: number, serial: string, extra: Partial<RobotGs1Key> = {}): RobotGs1Key => ({
  robotId: robotId(n),
  gs1Key: `https://id.gs1.org/01/80614141123458/21/${serial}`,
  registeredBy: 'org_1',
  registeredAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

for (const adapter of adapters) {
  describe(`store contract, robots' GS1 keys: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    test('a key round-trips, is found by key in a batch, and is replaced by the next one', async () => {
      await store.write(async (tx) => {
        await tx.putRobotGs1Key(key(1, 'A1'));
        await tx.putRobotGs1Key(key(2, 'B2'));
      });
      assert.deepEqual(await store.read((r) => r.getRobotGs1Key(robotId(1))), key(1, 'A1'));
      assert.equal(await store.read((r) => r.getRobotGs1Key(robotId(3))), null);
      const found = await store.read((r) =>
        r.robotIdsByGs1Keys([key(1, 'A1').gs1Key, key(2, 'B2').gs1Key, key(3, 'C3').gs1Key]),
      );
      assert.deepEqual(
        found,
        new Map([
          [key(1, 'A1').gs1Key, robotId(1)],
          [key(2, 'B2').gs1Key, robotId(2)],
        ]),
      );
      assert.deepEqual(await store.read((r) => r.robotIdsByGs1Keys([])), new Map());

      const replaced = key(1, 'A9', { registeredAt: '2026-02-01T00:00:00.000Z' });
      await store.write((tx) => tx.putRobotGs1Key(replaced));
      assert.deepEqual(await store.read((r) => r.getRobotGs1Key(robotId(1))), replaced);
      assert.deepEqual(await store.read((r) => r.robotIdsByGs1Keys([key(1, 'A1').gs1Key])), new Map());
    });

    test('robots are found by the beginning of their keys (every serial of a GTIN), in robot order, up to a limit', async () => {
      const other = 'https://id.gs1.org/01/80614141123465/21/';
      await store.write(async (tx) => {
        await tx.putRobotGs1Key(key(1, 'B2'));
        await tx.putRobotGs1Key(key(2, 'A1'));
        await tx.putRobotGs1Key(key(3, 'x', { gs1Key: `${other}A1` }));
        await tx.putRobotGs1Key(key(4, '%_'));
      });
      const gtin = 'https://id.gs1.org/01/80614141123458/21/';
      const byPrefix = (prefix: string, limit = 10) =>
        store.read((r) => r.robotIdsByGs1KeyPrefix(prefix, limit));
      assert.deepEqual(await byPrefix(gtin), [robotId(1), robotId(2), robotId(4)]);
      assert.deepEqual(await byPrefix(gtin, 2), [robotId(1), robotId(2)]);
      assert.deepEqual(await byPrefix(other), [robotId(3)]);
      assert.deepEqual(await byPrefix(`${gtin}%`), [robotId(4)]); // a wildcard character is a character
      assert.deepEqual(await byPrefix('https://id.gs1.org/01/00000000000000/'), []);
    });

    test("a key is one robot's: the store refuses it for a second robot", async () => {
      await store.write((tx) => tx.putRobotGs1Key(key(1, 'A1')));
      await assert.rejects(store.write((tx) => tx.putRobotGs1Key(key(2, 'A1'))));
      assert.deepEqual(await store.read((r) => r.getRobotGs1Key(robotId(1))), key(1, 'A1'));
      assert.equal(await store.read((r) => r.getRobotGs1Key(robotId(2))), null);
    });

    test('removing says whether there was a key', async () => {
      await store.write((tx) => tx.putRobotGs1Key(key(1, 'A1')));
      assert.equal(await store.write((tx) => tx.deleteRobotGs1Key(robotId(1))), true);
      assert.equal(await store.write((tx) => tx.deleteRobotGs1Key(robotId(1))), false);
      assert.equal(await store.read((r) => r.getRobotGs1Key(robotId(1))), null);
    });
  });
}
