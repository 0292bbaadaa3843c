import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuditEntry } from '../../../src/store/store.js';
import { adapters } from '../adapters.js';
import { storePerTest } from './fixtures.js';

const entry = (
  action: string,
  outcome: AuditEntry['outcome'],
  extra: Partial<AuditEntry> = {},
): AuditEntry => ({
  at: '2026-01-01T00:00:00.000Z',
  orgId: 'org_1',
  keyId: 'key_1',
  action,
  target: 'CN0001AAAAAAR0000000000000001',
  outcome,
  detail: outcome === 'failure' ? 'robot-not-found' : null,
  ...extra,
});

for (const adapter of adapters) {
  describe(`store contract, audit log: ${adapter.name}`, () => {
    const store = storePerTest(adapter);

    test('entries are counted in all, by action, by outcome, and by both', async () => {
      const count = (filter: { action?: string; outcome?: 'success' | 'failure' }) =>
        store.read((r) => r.countAudit(filter));
      assert.equal(await count({}), 0);
      await store.write(async (tx) => {
        await tx.insertAudit(entry('robots.issue', 'success'));
        await tx.insertAudit(entry('robots.issue', 'failure'));
        await tx.insertAudit(entry('robots.issue', 'success', { detail: 'count=5' }));
        await tx.insertAudit(
          entry('admin.init', 'success', { orgId: null, keyId: null, target: null, detail: null }),
        );
      });
      await assert.rejects(
        store.write(async (tx) => {
          await tx.insertAudit(entry('robots.issue', 'success'));
          throw new Error('rolled back');
        }),
      );
      assert.equal(await count({}), 4);
      assert.equal(await count({ action: 'robots.issue' }), 3);
      assert.equal(await count({ outcome: 'failure' }), 1);
      assert.equal(await count({ action: 'robots.issue', outcome: 'success' }), 2);
      assert.equal(await count({ action: 'admin.init', outcome: 'failure' }), 0);
      assert.equal(await count({ action: 'unknown' }), 0);
    });
  });
}
