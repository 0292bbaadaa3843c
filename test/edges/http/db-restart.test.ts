import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditLog } from '../../../src/app/log/audit.js';
import { signCheckpoint } from '../../../src/app/log/checkpoints.js';
import { parseVerifierKey } from '../../../src/log/note.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { manufactured, report, supplyChain, type SupplyChain } from '../../support/lifecycle.js';
import { startPgServer, type PgServer } from '../../support/pg-server.js';

const ROBOTS = 240;
const BATCH = 10;
/** The batch after which the database restarts, while the client goes on importing. */
const RESTART_AFTER = 3;

interface Failure {
  status: number;
  type: unknown;
  contentType: unknown;
  retryAfter: unknown;
}

/**
 * PostgreSQL restarting under a bulk import (pg_ctl restart -m fast: sessions are terminated, then refused, then
 * told the server is starting). The client retries each failed batch after Retry-After with the same eventIds,
 * so a batch that committed before its answer was lost comes back as duplicates rather than twice.
 */
describe('database restart during a bulk import', () => {
  let cluster: PgServer;
  let h: Harness;
  let c: SupplyChain;
  before(async () => {
    cluster = await startPgServer();
    h = await startHarness({ database: { databaseUrl: cluster.url } });
    c = await supplyChain(h, ROBOTS);
  });
  after(async () => {
    await h?.close();
    await cluster?.stop();
  });

  /** Posts one batch until it is answered 200/201, noting every failure on the way. */
  async function importBatch(events: unknown[], failures: Failure[]): Promise<string[]> {
    for (let attempt = 0; attempt < 30; attempt++) {
      const res = await report(h, c.maker.key, events, 'rollback');
      if (res.status === 201 || res.status === 200)
        return (res.body.results as { outcome: string }[]).map((r) => r.outcome);
      const retryAfter = res.headers['retry-after'];
      failures.push({
        status: res.status,
        type: res.body?.type,
        contentType: res.headers['content-type'],
        retryAfter,
      });
      if (res.status !== 503) return []; // not retried: the assertions below report it
      await sleep(Number(retryAfter) * 1000);
    }
    throw new Error('the registry did not recover');
  }

  test('failures are clean 503s with Retry-After, the registry recovers, no event is lost or doubled', async () => {
    const events = c.robots.map((id) => ({ ...manufactured(id), eventId: `erp-${id}` }));
    const failures: Failure[] = [];
    const outcomes: string[] = [];
    let restarted: Promise<void> | undefined;
    for (let i = 0; i * BATCH < events.length; i++) {
      if (i === RESTART_AFTER) restarted = cluster.restart();
      outcomes.push(...(await importBatch(events.slice(i * BATCH, (i + 1) * BATCH), failures)));
    }
    await restarted;

    assert.ok(failures.length > 0, 'the restart happened during the import');
    for (const failure of failures) {
      assert.equal(failure.status, 503, JSON.stringify(failure));
      assert.match(String(failure.contentType), /^application\/problem\+json/);
      assert.match(String(failure.type), /^urn:robotid:problem:store-(unreachable|busy)$/);
      assert.ok(Number(failure.retryAfter) > 0, 'a retry hint');
    }
    assert.equal(outcomes.length, ROBOTS);
    assert.ok(
      outcomes.every((o) => o === 'accepted' || o === 'duplicate'),
      outcomes.join(),
    );

    const stored = await h.ctx.store.read((r) => r.listEventsBySeq(1, ROBOTS + 100));
    assert.equal(stored.length, ROBOTS, 'every accepted event once');
    assert.equal(new Set(stored.map((e) => e.robotId)).size, ROBOTS);
    assert.equal(await h.ctx.store.read((r) => r.logSize()), ROBOTS);
    await signCheckpoint(h.ctx);
    const audit = await h.ctx.store.read((r) => auditLog(r, parseVerifierKey(h.ctx.log.verifierKey)));
    assert.deepEqual(audit.findings, []);
    assert.equal(audit.eventsChecked, ROBOTS);
  });
});
