import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startHarness, type Harness } from '../../support/harness.js';
import { supplyChain, type SupplyChain } from '../../support/lifecycle.js';

const testDatabaseUrl = process.env.ROBOTID_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const POOL_TIMEOUT_MS = 300;

/**
 * Every pooled connection held by a request stuck on a lock (another session holds the robots table): a further
 * request waits ROBOTID_DATABASE_POOL_TIMEOUT_MS for a connection, then answers 503 rather than hang.
 */
describe('connection pool exhausted', () => {
  let h: Harness;
  let c: SupplyChain;
  let locker: pg.Client | undefined;
  before(async () => {
    h = await startHarness({
      postgres: true,
      database: { databasePoolSize: 2, databasePoolTimeoutMs: POOL_TIMEOUT_MS },
    });
    c = await supplyChain(h, 1);
  });
  after(async () => {
    await locker?.end().catch(() => undefined);
    await h?.close();
  });

  /** Requests waiting for the robots table's lock (each holding one of the pool's connections). */
  async function waitingOnLock(client: pg.Client): Promise<number> {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE relation = '${h.schema}.robots'::regclass AND NOT granted`,
    );
    return rows[0]!.n;
  }

  test('a request that finds no free connection answers 503 store-busy quickly, then all recover', async () => {
    locker = new pg.Client({ connectionString: testDatabaseUrl });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${h.schema}.robots IN ACCESS EXCLUSIVE MODE`);
    const robotUrl = `/v1/robots/${c.robots[0]}`;
    const stuck = [
      h.call('GET', robotUrl, { key: c.maker.key }),
      h.call('GET', robotUrl, { key: c.maker.key }),
    ];
    for (let i = 0; (await waitingOnLock(locker)) < 2; i++) {
      assert.ok(i < 200, 'both requests reach the lock');
      await sleep(10);
    }

    const started = performance.now();
    const refused = await h.call('GET', '/v1/me', { key: c.maker.key });
    const elapsed = performance.now() - started;
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.type, 'urn:robotid:problem:store-busy');
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    assert.ok(Number(refused.headers['retry-after']) > 0, 'a retry hint');
    assert.ok(
      elapsed >= POOL_TIMEOUT_MS - 50 && elapsed < POOL_TIMEOUT_MS + 1500,
      `answered in ${elapsed} ms`,
    );

    await locker.query('ROLLBACK');
    for (const res of await Promise.all(stuck)) assert.equal(res.status, 200, 'the held requests complete');
    assert.equal((await h.call('GET', '/v1/me', { key: c.maker.key })).status, 200);
  });
});
