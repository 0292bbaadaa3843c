import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { verifyBundle } from '../../../src/log/bundle.js';
import { parseVerifierKey } from '../../../src/log/note.js';
import { PostgresStore } from '../../../src/store/postgres/index.js';
import { startHarness, type Harness } from '../../support/harness.js';
import { PURPOSE } from '../../support/fixtures.js';
import { manufactured, report, supplyChain, type SupplyChain } from '../../support/lifecycle.js';
import { startPgServer, startStandby, type PgServer } from '../../support/pg-server.js';

/** Waits until the standby has replayed everything the primary has written so far. */
async function caughtUp(primary: PgServer, standby: PgServer): Promise<void> {
  const [row] = await primary.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
  const lsn = row!.lsn;
  for (let i = 0; i < 200; i++) {
    const [state] = await standby.query<{ done: boolean }>(
      `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`,
    );
    if (state?.done) return;
    await sleep(25);
  }
  throw new Error('the standby did not catch up');
}

const pauseReplay = (standby: PgServer) => standby.query('SELECT pg_wal_replay_pause()');
const resumeReplay = (standby: PgServer) => standby.query('SELECT pg_wal_replay_resume()');

/**
 * Reads served by a streaming standby, writes by the primary (ROBOTID_DATABASE_READ_URL). With the standby's
 * replay paused, what a read shows tells which server answered it: the primary has the new event, the standby not.
 */
describe('read replica', () => {
  let primary: PgServer;
  let standby: PgServer;
  let h: Harness;
  let c: SupplyChain;
  before(async () => {
    primary = await startPgServer();
    standby = await startStandby(primary);
    h = await startHarness({
      database: { databaseUrl: primary.url, databaseReadUrl: standby.url, databaseReadMaxLagMs: 60_000 },
    });
    c = await supplyChain(h, 2);
  });
  after(async () => {
    await h?.close();
    await standby?.stop();
    await primary?.stop();
  });

  const history = async (key: string, robotId: string) => {
    const res = await h.call('GET', `/v1/robots/${robotId}/events`, { key, headers: PURPOSE });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.events as { type: string }[]).map((e) => e.type);
  };
  const searchByLot = async (key: string) => {
    const res = await h.call('GET', '/v1/robots?componentLot=LOT-2026-01', { key, headers: PURPOSE });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body.items as { id: string }[]).map((r) => r.id);
  };

  test('a writer reads its own write at once; others read the standby, which shows it once replayed', async () => {
    const robot = c.robots[0]!;
    await caughtUp(primary, standby);
    assert.deepEqual(
      await history(c.regulator.key, robot),
      [],
      'the regulator key is in use before the pause',
    );
    await pauseReplay(standby);
    try {
      const captured = await report(h, c.maker.key, [manufactured(robot)]);
      assert.equal(captured.status, 201, JSON.stringify(captured.body));
      assert.deepEqual(await history(c.maker.key, robot), ['manufactured'], 'the writer reads its own write');
      assert.deepEqual(await searchByLot(c.maker.key), [robot], 'and finds it by search');
      const refused = await h.call('GET', '/v1/log/proofs/consistency?from=5&to=1', { key: c.regulator.key });
      assert.equal(refused.status, 400, 'a read refused by the use case, on the standby');
      assert.deepEqual(await history(c.regulator.key, robot), [], 'another key reads the paused standby');
      assert.deepEqual(await searchByLot(c.regulator.key), []);

      // A proof bundle signs a checkpoint for the new event (a write) and reads it back: from the primary.
      const bundle = await h.call('GET', `/v1/robots/${robot}/proof-bundle`, { key: c.maker.key });
      assert.equal(bundle.status, 200, JSON.stringify(bundle.body));
      const verified = verifyBundle(JSON.stringify(bundle.body), parseVerifierKey(h.ctx.log.verifierKey));
      assert.equal(verified.ok, true);
    } finally {
      await resumeReplay(standby);
    }
    await caughtUp(primary, standby);
    await sleep(250); // past the router's cached replay position
    assert.deepEqual(
      await history(c.regulator.key, robot),
      ['manufactured'],
      'replayed: the standby shows it',
    );
    assert.deepEqual(await searchByLot(c.regulator.key), [robot]);
    const checkpoint = await h.call('GET', '/v1/log/checkpoint', { key: c.regulator.key });
    assert.equal(checkpoint.status, 200, 'the checkpoint is served from the standby too');
  });

  test('a new key works at once, though the standby has not replayed its creation', async () => {
    await caughtUp(primary, standby);
    await pauseReplay(standby);
    try {
      const created = await h.call('POST', `/v1/organisations/${c.regulator.org.id}/keys`, {
        key: c.regulator.key,
        body: { name: 'second' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const me = await h.call('GET', '/v1/me', { key: created.body.token as string });
      assert.equal(me.status, 200, JSON.stringify(me.body));
    } finally {
      await resumeReplay(standby);
    }
  });

  test('a client brings its write’s position to another process (RobotID-Read-After) and reads it there', async () => {
    const robot = c.robots[1]!;
    await caughtUp(primary, standby);
    await pauseReplay(standby);
    try {
      const captured = await report(h, c.maker.key, [manufactured(robot)]);
      assert.equal(captured.status, 201, JSON.stringify(captured.body));
      const position = captured.headers['robotid-commit-position'];
      assert.match(String(position), /^[0-9A-F]+\/[0-9A-F]+$/);
      // Another key stands for another process, where this session is unknown: only the header tells.
      const url = `/v1/robots/${robot}/events`;
      const plain = await h.call('GET', url, { key: c.regulator.key, headers: PURPOSE });
      assert.deepEqual(plain.body.events, [], 'without it: the paused standby');
      const after = await h.call('GET', url, {
        key: c.regulator.key,
        headers: { ...PURPOSE, 'robotid-read-after': String(position) },
      });
      assert.deepEqual(
        after.body.events.map((e: { type: string }) => e.type),
        ['manufactured'],
      );
      const bad = await h.call('GET', url, {
        key: c.regulator.key,
        headers: { ...PURPOSE, 'robotid-read-after': 'soon' },
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.type, 'urn:robotid:problem:invalid-read-after');
    } finally {
      await resumeReplay(standby);
    }
  });

  test('a standby lagging past the bound is not read: reads go to the primary', async () => {
    const store = PostgresStore.open(primary.url, { readUrl: standby.url, readMaxLagMs: 300 });
    try {
      await store.read((r) => r.logSize()); // migrated (nothing to do) and the standby's position known
      await caughtUp(primary, standby);
      await pauseReplay(standby);
      const before = await store.read((r) => r.countAudit({}));
      await store.write((tx) =>
        tx.insertAudit({
          at: new Date().toISOString(),
          orgId: null,
          keyId: null,
          action: 'replica.test',
          target: null,
          outcome: 'success',
          detail: null,
        }),
      );
      assert.equal(
        await store.read((r) => r.countAudit({})),
        before,
        'within the bound: the standby answers',
      );
      await sleep(400);
      assert.equal(await store.read((r) => r.countAudit({})), before + 1, 'past it: the primary answers');
    } finally {
      await resumeReplay(standby);
      await store.close();
    }
  });

  test('with the standby gone, reads still work (the primary serves them)', async () => {
    await standby.stop();
    const robot = c.robots[0]!;
    assert.deepEqual(await history(c.regulator.key, robot), ['manufactured']);
    assert.deepEqual(await searchByLot(c.regulator.key), c.robots, 'both manufactured by now');
    const proof = await h.call('GET', `/v1/robots/${robot}/proof-bundle`, {
      key: c.regulator.key,
      headers: PURPOSE,
    });
    assert.equal(proof.status, 200, JSON.stringify(proof.body));
  });
});
