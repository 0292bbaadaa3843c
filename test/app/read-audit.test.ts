import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BufferedReadAudit, type ReadRecord } from '../../src/app/read-audit.js';
import type { ReadAuditEntry, ReadAuditFilter } from '../../src/store/store.js';
import { startHarness, testStores, type Harness } from '../support/harness.js';
import { rawSql } from '../support/raw-sql.js';
import { intoUse, manufactured, report, supplyChain, type SupplyChain } from '../support/lifecycle.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const store of testStores)
  describe(`read audit recording (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 6);
    });
    after(() => h.close());

    const readBy = (robotId: string, extra: Partial<ReadRecord> = {}): ReadRecord => ({
      at: new Date().toISOString(),
      orgId: c.regulator.org.id,
      keyId: c.regulator.keyId,
      robotId,
      query: null,
      classes: ['technical', 'custody'],
      purpose: 'inspection',
      outcome: 'granted',
      ...extra,
    });

    /** Every stored record that matches, all pages. */
    async function stored(filter: ReadAuditFilter): Promise<ReadAuditEntry[]> {
      const found: ReadAuditEntry[] = [];
      let after = 0;
      for (;;) {
        const page = await h.ctx.store.read((r) => r.listReadAudit(filter, { after, limit: 1000 }));
        found.push(...page.items);
        if (page.next === null) return found;
        after = page.next;
      }
    }

    /** Renames the read_audit table through a connection of the test's own: the store's writes then fail. */
    const renameTable = (from: string, to: string) => rawSql(h, `ALTER TABLE ${from} RENAME TO ${to}`);

    test('records wait in memory until the sink writes them: all of them, once, in order', async () => {
      const sink = new BufferedReadAudit(h.ctx.store, { delayMs: 60_000 });
      const robotId = c.robots[0]!;
      const records = [1, 2, 3].map((n) => readBy(robotId, { at: `2026-02-01T00:00:0${n}.000Z` }));
      for (const r of records) sink.record(r);
      assert.deepEqual(await stored({ robotId }), [], 'not written before the delay or a flush');
      assert.equal(sink.stats().waiting, 3);
      await sink.flush();
      const written = await stored({ robotId });
      assert.deepEqual(
        written.map(({ id: _id, ...r }) => r),
        [...records].reverse(),
      );
      assert.deepEqual(sink.stats(), { waiting: 0, written: 3, dropped: 0, failedWrites: 0 });
      await sink.flush();
      assert.equal((await stored({ robotId })).length, 3, 'a second flush writes nothing again');
    });

    test("without a flush the context's sink writes a record within its buffering window", async (t) => {
      const robotId = c.robots[1]!;
      const started = performance.now();
      h.ctx.readAudit.record(readBy(robotId));
      let found: ReadAuditEntry[] = [];
      while (found.length === 0 && performance.now() - started < 3000) {
        await sleep(10);
        found = await stored({ robotId });
      }
      assert.equal(found.length, 1);
      t.diagnostic(`visible after ${Math.round(performance.now() - started)} ms (window 100 ms)`);
    });

    test('500 waiting records are written at once, without waiting out the delay', async () => {
      const sink = new BufferedReadAudit(h.ctx.store, { delayMs: 60_000 });
      const robotId = c.robots[2]!;
      for (let n = 0; n < 499; n++) sink.record(readBy(robotId));
      await sleep(50);
      assert.equal(sink.stats().written, 0, '499 wait for the delay');
      sink.record(readBy(robotId));
      const started = performance.now();
      while (sink.stats().written < 500 && performance.now() - started < 5000) await sleep(10);
      assert.equal((await stored({ robotId })).length, 500);
    });

    test('a read inside a unit of work may record: the write it starts is not taken for a nested one', async () => {
      const sink = new BufferedReadAudit(h.ctx.store, { delayMs: 60_000 });
      const robotId = c.robots[1]!;
      const before = (await stored({ robotId })).length;
      await h.ctx.store.write(async (tx) => {
        await tx.getRobot(robotId);
        for (let n = 0; n < 500; n++) sink.record(readBy(robotId, { purpose: 'customs' }));
      });
      await sink.flush();
      assert.equal(sink.stats().failedWrites, 0);
      assert.equal((await stored({ robotId })).length, before + 500);
    });

    test('past its capacity the sink drops new records, counts them and says so', async () => {
      const warnings: string[] = [];
      const sink = new BufferedReadAudit(h.ctx.store, {
        delayMs: 60_000,
        capacity: 10,
        warn: (m) => warnings.push(m),
      });
      const robotId = c.robots[3]!;
      for (let n = 0; n < 15; n++) sink.record(readBy(robotId, { at: `2026-03-01T00:00:${10 + n}.000Z` }));
      assert.equal(sink.stats().dropped, 5);
      assert.match(warnings.join('\n'), /buffer full \(10\); 1 records dropped/);
      await sink.flush();
      const written = await stored({ robotId });
      assert.equal(written.length, 10, 'the first ten kept');
      assert.equal(written.at(-1)!.at, '2026-03-01T00:00:10.000Z');
    });

    test('a closed sink writes what waited and drops what comes after, saying so', async () => {
      const warnings: string[] = [];
      const sink = new BufferedReadAudit(h.ctx.store, { delayMs: 60_000, warn: (m) => warnings.push(m) });
      const robotId = c.robots[3]!;
      const before = (await stored({ robotId })).length;
      sink.record(readBy(robotId));
      await sink.close();
      sink.record(readBy(robotId));
      assert.equal((await stored({ robotId })).length, before + 1);
      assert.deepEqual(sink.stats(), { waiting: 0, written: 1, dropped: 1, failedWrites: 0 });
      assert.deepEqual(warnings, ['read audit: closed; 1 records dropped']);
    });

    test('concurrent reads produce exactly one record each', async () => {
      const robotId = c.robots[4]!;
      await intoUse(h, c, robotId);
      const answers = await Promise.all(
        Array.from({ length: 60 }, () =>
          h.call('GET', `/v1/robots/${robotId}/reads?limit=1`, { key: c.operator.key }),
        ),
      );
      // On a loaded machine a read may wait out the pool (503, store-busy): it read nothing and records nothing.
      const answered = answers.filter((a) => a.status === 200).length;
      assert.ok(answered > 0 && answers.every((a) => a.status === 200 || a.status === 503));
      await h.ctx.readAudit.flush();
      const mine = await stored({ robotId, orgId: c.operator.org.id });
      assert.equal(mine.length, answered);
      assert.ok(mine.every((r) => r.outcome === 'granted' && r.keyId === c.operator.keyId));
    });

    test("recording beside captures (the writer thread's turn) neither deadlocks nor loses records", async () => {
      const robotId = c.robots[5]!;
      const captures = c.robots
        .slice(0, 4)
        .map((id) => report(h, c.maker.key, [manufactured(id, { eventId: `m-${id}` })]));
      const recording = (async () => {
        for (let n = 0; n < 3000; n++) {
          h.ctx.readAudit.record(readBy(robotId));
          if (n % 250 === 0) await sleep(1);
        }
      })();
      const [answers] = await Promise.all([Promise.all(captures), recording]);
      assert.ok(answers.every((a) => a.status === 201 || a.status === 200));
      await h.ctx.readAudit.flush();
      assert.equal((await stored({ robotId })).length, 3000);
    });

    test('a store that refuses the write fails no read; the records are written once it is back', async () => {
      const warnings: string[] = [];
      const sink = new BufferedReadAudit(h.ctx.store, { retryMs: 50, warn: (m) => warnings.push(m) });
      const robotId = c.robots[0]!;
      const before = (await stored({ robotId })).length;
      await renameTable('read_audit', 'read_audit_away');
      try {
        for (let n = 0; n < 5; n++) sink.record(readBy(robotId, { purpose: 'recall' }));
        await assert.rejects(sink.flush());
        assert.match(warnings[0]!, /could not write 5 records/);
        const robot = await h.call('GET', `/v1/robots/${robotId}`, {
          key: c.regulator.key,
          headers: { 'robotid-purpose': 'recall' },
        });
        assert.equal(robot.status, 200, 'reads go on');
        for (let n = 0; n < 1000; n++) sink.record(readBy(robotId, { purpose: 'recall' }));
        await sleep(300); // a few retries fail meanwhile
        assert.equal(sink.stats().waiting, 1005);
        const { failedWrites } = sink.stats();
        assert.ok(failedWrites >= 2 && failedWrites <= 10, `retried on the timer only: ${failedWrites}`);
      } finally {
        await renameTable('read_audit_away', 'read_audit');
      }
      const started = performance.now();
      while (sink.stats().waiting > 0 && performance.now() - started < 3000) await sleep(20);
      assert.equal(sink.stats().waiting, 0, 'written by a retry, without a flush');
      const written = await stored({ robotId, purpose: 'recall' });
      assert.equal(written.length, 1005, 'each record once');
      assert.equal((await stored({ robotId })).length, before + 1005);
    });
  });
