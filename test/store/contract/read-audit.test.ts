import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DATA_CLASSES } from '../../../src/domain/policy/table.js';
import type { ReadAuditRecord } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { robotId, storePerTest } from './fixtures.js';

const read = (n: number, extra: Partial<ReadAuditRecord> = {}): ReadAuditRecord => ({
  at: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
  orgId: 'org_1',
  keyId: 'key_1',
  robotId: robotId(1),
  query: null,
  classes: ['technical'],
  purpose: null,
  outcome: 'granted',
  ...extra,
});

for (const adapter of adapters) {
  describe(`store contract, read audit: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    test('records round-trip with every class, none, and every optional field empty; ids follow the writes', async () => {
      const records = [
        read(1, { classes: [...DATA_CLASSES], purpose: 'law_enforcement', query: 'lot=L-1&state=in_use' }),
        read(2, { orgId: null, keyId: null, robotId: null, classes: [], outcome: 'denied' }),
      ];
      await store.write((tx) => tx.insertReadAudit(records));
      await store.write((tx) => tx.insertReadAudit([]));
      await store.write((tx) => tx.insertReadAudit([read(3)]));
      const page = await store.read((r) => r.listReadAudit({}, { after: 0, limit: 10 }));
      assert.deepEqual(
        page.items.map(({ id: _id, ...record }) => record),
        [read(3), records[1], records[0]],
      );
      const ids = page.items.map((e) => e.id);
      assert.ok(ids[0]! > ids[1]! && ids[1]! > ids[2]!, `ids descend newest first: ${ids.join(', ')}`);
      assert.equal(page.next, null);
    });

    test('a page continues below the id given; exactly `limit` left ends the list', async () => {
      await store.write((tx) => tx.insertReadAudit([1, 2, 3, 4].map((n) => read(n))));
      const first = await store.read((r) => r.listReadAudit({}, { after: 0, limit: 2 }));
      assert.deepEqual(
        first.items.map((e) => e.at),
        [read(4).at, read(3).at],
      );
      assert.equal(first.next, first.items[1]!.id);
      const second = await store.read((r) => r.listReadAudit({}, { after: first.next!, limit: 2 }));
      assert.deepEqual(
        second.items.map((e) => e.at),
        [read(2).at, read(1).at],
      );
      assert.equal(second.next, null);
      assert.deepEqual(
        await store.read((r) => r.listReadAudit({ robotId: robotId(2) }, { after: 0, limit: 2 })),
        {
          items: [],
          next: null,
        },
      );
    });
  });
}
