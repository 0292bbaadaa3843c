import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NewNotice } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { robotId, storePerTest } from './fixtures.js';

const notice = (n: number, extra: Partial<NewNotice> = {}): NewNotice => ({
  topic: 'incident.reported',
  audience: ['org_1', `org_${n}`],
  robotId: robotId(n),
  data: { incidentId: n, severity: 'minor', tags: ['a', 'ü'], nested: { ok: true, none: null } },
  createdAt: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
  ...extra,
});

for (const adapter of adapters) {
  describe(`store contract, notice outbox: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    test('notices are appended in the order given, ids rising; listed after an id, at most `limit`', async () => {
      const written = [
        notice(3),
        notice(1, { topic: 'recall.opened', robotId: null, audience: [] }),
        notice(2, { data: {} }),
      ];
      await store.write((tx) => tx.insertNotices(written.slice(0, 2)));
      await store.write((tx) => tx.insertNotices([]));
      await store.write((tx) => tx.insertNotices(written.slice(2)));
      const all = await store.read((r) => r.listNoticesAfter(0, 10));
      assert.deepEqual(
        all.map(({ id: _id, ...n }) => n),
        written,
      );
      assert.ok(all[0]!.id < all[1]!.id && all[1]!.id < all[2]!.id);
      assert.deepEqual(await store.read((r) => r.listNoticesAfter(all[0]!.id, 1)), [all[1]]);
      assert.deepEqual(await store.read((r) => r.listNoticesAfter(all[2]!.id, 10)), []);
    });

    test('notices are read by id: those asked for that exist, by id; none for an empty list', async () => {
      await store.write((tx) => tx.insertNotices([notice(1), notice(2), notice(3)]));
      const [one, , three] = await store.read((r) => r.listNoticesAfter(0, 10));
      const found = await store.read((r) => r.getNotices([three!.id, 9999, one!.id]));
      assert.deepEqual(
        found,
        new Map([
          [three!.id, three],
          [one!.id, one],
        ]),
      );
      assert.equal((await store.read((r) => r.getNotices([]))).size, 0);
    });

    test('each consumer has its own watermark: 0 until put, then the latest put', async () => {
      assert.equal(await store.read((r) => r.noticeWatermark('webhooks')), 0);
      await store.write((tx) => tx.putNoticeWatermark('webhooks', 5));
      await store.write((tx) => tx.putNoticeWatermark('nats', 2));
      await store.write((tx) => tx.putNoticeWatermark('webhooks', 9));
      assert.equal(await store.read((r) => r.noticeWatermark('webhooks')), 9);
      assert.equal(await store.read((r) => r.noticeWatermark('nats')), 2);
      assert.equal(await store.read((r) => r.noticeWatermark('other')), 0);
    });
  });
}
