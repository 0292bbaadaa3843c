import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres/index.js';

const databaseUrl = process.env.ROBOTID_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('PostgreSQL store: leader election', () => {
  const schema = `robotid_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  const stores = [0, 1].map(() => PostgresStore.open(databaseUrl, { schema }));
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  /** The backend whose session holds the schema's checkpoint-signer lock (a bigint key: classid high, objid low). */
  const leaderBackend = async () =>
    (
      await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_locks
         WHERE locktype = 'advisory' AND objsubid = 1 AND granted
           AND ((classid::bigint << 32) | objid::bigint)
             = hashtextextended('robotid-leader:checkpoint-signer:' || $1, 0)`,
        [schema],
      )
    ).rows.map((r) => r.pid);

  test('a leader whose session the server ends loses the role, and another process takes it', async () => {
    await admin.connect();
    const [first, second] = stores as [PostgresStore, PostgresStore];
    assert.equal(await first.leads('checkpoint-signer'), true);
    assert.equal(await second.leads('checkpoint-signer'), false);
    const [pid] = await leaderBackend();
    assert.ok(pid, 'the lock is held by one session');
    // pg_terminate_backend signals the backend; the lock goes when its session has ended, a moment later.
    await admin.query('SELECT pg_terminate_backend($1, 5000)', [pid]);
    assert.equal(await second.leads('checkpoint-signer'), true, 'the lock went with the session');
    // The old leader finds out at its next ask (an error, or plainly not leading) and competes again, in vain.
    const told = await first.leads('checkpoint-signer').catch((error: { code?: string }) => error.code);
    assert.ok(told === false || told === 'store-unreachable', String(told));
    assert.equal(await first.leads('checkpoint-signer'), false);
    assert.equal((await leaderBackend()).length, 1, 'one holder');
  });
});

describe('PostgreSQL store: queries asked for at once in a unit of work', () => {
  const schema = `robotid_test_${randomBytes(6).toString('hex')}`;
  const store = PostgresStore.open(databaseUrl, { schema });
  after(async () => {
    await store.close();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  test('are answered each, in order, without pg’s deprecated concurrent use of one client', async () => {
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    try {
      const ids = ['CN0001AAAAAA00000000000000001', 'CN0001AAAAAA00000000000000002'];
      const answers = await store.write((tx) =>
        Promise.all([tx.getRobot(ids[0]!), tx.getRobotStatus(ids[0]!), tx.getRobots(ids), tx.logSize()]),
      );
      assert.deepEqual(answers, [null, null, new Map(), 0]);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
      assert.deepEqual(
        warnings.filter((w) => w.includes('already executing a query')),
        [],
      );
    } finally {
      process.off('warning', listen);
    }
  });
});

describe('PostgreSQL store: a key held by a unit of work', () => {
  const schema = `robotid_test_${randomBytes(6).toString('hex')}`;
  const store = PostgresStore.open(databaseUrl, { schema });
  const admin = new pg.Client({ connectionString: databaseUrl });
  after(async () => {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  // The writers' lock orders the registry's own units of work; the row lock also holds off any other writer.
  test('cannot be revoked by another session until the unit of work ends', async () => {
    await admin.connect();
    const at = '2026-01-01T00:00:00.000Z';
    await store.write(async (tx) => {
      await tx.insertOrganisation({
        id: 'org_1',
        kind: 'organisation',
        name: 'Org 1',
        roles: ['manufacturer'],
        jurisdiction: 'CN',
        registrationNumber: 'REG1',
        enterpriseCode: '0001',
        createdAt: at,
      });
      await tx.insertApiKey({
        id: 'key_1',
        orgId: 'org_1',
        name: 'k',
        secretHash: Buffer.alloc(32),
        createdAt: at,
        createdByKey: null,
        revokedAt: null,
        lastUsedAt: null,
      });
    });
    const revoke = `UPDATE ${schema}.api_keys SET revoked_at = '${at}' WHERE id = 'key_1'`;
    await admin.query("SET lock_timeout = '200ms'");
    const refused = await store.write(async (tx) => {
      assert.equal((await tx.holdApiKey('key_1'))?.revokedAt, null);
      return admin.query(revoke).then(
        () => 'revoked',
        (error: { code?: string }) => error.code,
      );
    });
    assert.equal(refused, '55P03', 'the revocation waited for the row (lock_not_available)');
    assert.equal((await admin.query(revoke)).rowCount, 1, 'and went ahead once the unit of work ended');
  });
});
