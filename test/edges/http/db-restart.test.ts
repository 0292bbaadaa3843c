import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { auditLog } from '../../../src/app/log/audit.js';
import { signCheckpoint } from '../../../src/app/log/checkpoints.js';
import { parseVerifierKey } from '../../../src/log/note.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { manufactured, report, supplyChain, type SupplyChain } from '../../support/lifecycle.js';
import { startPgServer, type PgServer } from '../../support/pg-server.js';
import { CaptureStream } from '../../support/capture-stream.js';
import { manufacturerWithModel } from '../../support/fixtures.js';
import { waitUntil } from '../../support/processes.js';

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

/**
 * PostgreSQL stopped (fast: sessions terminated) for a while under a capture stream, then started again: each
 * capture answered in the meantime is a clean 503, readiness says so, and the stream goes on once it is back.
 */
describe('database stopped and started under a capture stream', () => {
  let cluster: PgServer;
  let h: Harness;
  let key: string;
  let robots: string[];
  before(async () => {
    cluster = await startPgServer();
    h = await startHarness({ database: { databaseUrl: cluster.url } });
    const maker = await manufacturerWithModel(h);
    key = maker.key;
    const issued = await h.call('POST', '/v1/ids', { key, body: { model: maker.model.code, count: 3000 } });
    robots = (issued.body.ids as string[]).map((id) => id.slice(0, 29));
  });
  after(async () => {
    await h?.close();
    await cluster?.stop();
  });

  test('503 with Retry-After and not ready while it is down; captures again once it is up; no acknowledged event lost', async () => {
    const stream = new CaptureStream(h, key, robots, 50, 2, 20);
    const answered = (status: number) => stream.answered(status).length;
    await waitUntil('captures are stored', () => answered(201) >= 3, 20_000);
    await cluster.halt();
    const before = stream.outcomes.length;
    await waitUntil('captures are refused', () => stream.outcomes.length >= before + 4, 20_000);
    const readiness = await h.call('GET', '/readyz');
    await cluster.start();
    await waitUntil('ready again', async () => (await h.call('GET', '/readyz')).status === 200, 20_000);
    const afterRestart = answered(201);
    await waitUntil('captures are stored again', () => answered(201) >= afterRestart + 3, 20_000);
    const outcomes = await stream.stop();

    assert.equal(readiness.status, 503);
    assert.equal(readiness.body.type, 'urn:robotid:problem:store-unreachable');
    const refused = outcomes.filter((o) => o.status !== 201);
    assert.ok(refused.length >= 4, 'captures were made during the outage');
    for (const o of refused) {
      assert.equal(o.status, 503, JSON.stringify(o));
      assert.match(String(o.contentType), /^application\/problem\+json/);
      assert.match(String(o.type), /^urn:robotid:problem:store-(unreachable|busy)$/);
      assert.ok(Number(o.retryAfter) > 0, 'a retry hint');
    }

    const stored = new Set(
      (await h.ctx.store.read((r) => r.listEventsBySeq(1, robots.length + 10))).map((e) => e.eventId),
    );
    for (const o of outcomes) {
      const present = o.eventIds.filter((id) => stored.has(id)).length;
      if (o.status === 201) assert.equal(present, o.eventIds.length, 'an acknowledged batch is stored whole');
      // A batch refused while its COMMIT was under way may have committed: whole or not at all, never in part.
      else assert.ok(present === 0 || present === o.eventIds.length, `a refused batch in part: ${present}`);
    }
    await signCheckpoint(h.ctx);
    const audit = await h.ctx.store.read((r) => auditLog(r, parseVerifierKey(h.ctx.log.verifierKey)));
    assert.deepEqual(audit.findings, []);
  });
});
