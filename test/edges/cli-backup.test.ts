import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { signCheckpoint } from '../../src/app/log/checkpoints.js';
import { openNote, parseVerifierKey } from '../../src/log/note.js';
import { verifyConsistency } from '../../src/log/verify.js';
import { expectExit, isolatedEnv, runCli, tempHome } from '../support/cli.js';
import pg from 'pg';
import { dropSchema, startHarness, testDatabaseUrl, type Harness } from '../support/harness.js';
import { intoUse, supplyChain, type SupplyChain } from '../support/lifecycle.js';

async function withTestDatabase<T>(work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: testDatabaseUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

const newSchema = () => `robotid_test_${randomBytes(6).toString('hex')}`;
const b64 = (b: Buffer) => b.toString('base64');

/** A write the registry has begun and not committed while `during` runs (an audit row, say). */
async function whileWriting<T>(h: Harness, during: () => Promise<T>): Promise<T> {
  return h.ctx.store.write(async (tx) => {
    await tx.insertAudit({
      at: new Date().toISOString(),
      orgId: null,
      keyId: null,
      action: 'uncommitted-during-backup',
      target: null,
      outcome: 'success',
      detail: null,
    });
    return during();
  });
}

/**
 * The restored registry goes on: more events, a new checkpoint signed with the same key, provably extending the
 * checkpoint the backup held.
 */
async function continuesFrom(
  restored: Harness,
  c: SupplyChain,
  robot: string,
  old: { size: number; root: Buffer },
) {
  await intoUse(restored, c, robot);
  const next = await signCheckpoint(restored.ctx);
  assert.equal(next.size, old.size + 6);
  const proof = await restored.call('GET', `/v1/log/proofs/consistency?from=${old.size}&to=${next.size}`);
  assert.equal(proof.status, 200);
  verifyConsistency(
    old.size,
    next.size,
    (proof.body.proof as string[]).map((p) => Buffer.from(p, 'base64')),
    old.root,
    next.rootHash,
  );
  return next;
}

describe('robotid backup, restore and migrate-store', () => {
  let home: string;
  let scratch: string;
  const schemas: string[] = [];
  before(() => {
    home = tempHome();
    scratch = mkdtempSync(join(tmpdir(), 'robotid-backup-test-'));
  });
  after(async () => {
    rmSync(home, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
    for (const schema of schemas) await dropSchema(schema);
  });
  const pgEnv = (schema: string) =>
    isolatedEnv(home, { DATABASE_URL: testDatabaseUrl, ROBOTID_DATABASE_SCHEMA: schema });

  test('SQLite: an online backup during a write restores into a fresh directory, audits clean and carries on', async () => {
    const h = await startHarness();
    let restored: Harness | undefined;
    try {
      const c = await supplyChain(h, 2);
      await intoUse(h, c, c.robots[0]!);
      const signed = await signCheckpoint(h.ctx);
      const dir = join(scratch, 'sqlite-backup');
      const backup = await whileWriting(h, () =>
        runCli(['backup', dir, '--data-dir', h.dataDir], isolatedEnv(home)),
      );
      expectExit(backup, 0);
      assert.match(backup.stdout, /log size 6, checkpoint at size 6/);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      assert.equal(manifest.store, 'sqlite');
      assert.equal(manifest.logSize, 6);
      assert.deepEqual(manifest.checkpoint, { size: 6, rootHash: b64(signed.rootHash) });
      assert.equal(statSync(join(dir, 'log-signer.key')).mode & 0o777, 0o600);
      const copy = new Database(join(dir, 'robotid.sqlite'), { readonly: true });
      const inFlight = copy.prepare(
        `SELECT count(*) AS n FROM audit_log WHERE action = 'uncommitted-during-backup'`,
      );
      assert.equal((inFlight.get() as { n: number }).n, 0, 'the write still open is not in the backup');
      copy.close();

      const fresh = join(scratch, 'sqlite-restored');
      const [again, restore] = await Promise.all([
        runCli(['backup', dir, '--data-dir', h.dataDir], isolatedEnv(home)),
        runCli(['restore', dir, '--data-dir', fresh], isolatedEnv(home)),
      ]);
      expectExit(again, 2);
      assert.match(again.stderr, /is not empty/);
      expectExit(restore, 0);
      assert.match(restore.stdout, /RESTORED: .*log size 6, checkpoint at size 6/);
      assert.equal(statSync(join(fresh, 'log-signer.key')).mode & 0o777, 0o600);
      const [audit, over] = await Promise.all([
        runCli(['audit', '--data-dir', fresh], isolatedEnv(home)),
        runCli(['restore', dir, '--data-dir', fresh], isolatedEnv(home)),
      ]);
      expectExit(audit, 0);
      assert.match(audit.stdout, /AUDIT PASSED: 6 events, log size 6, 1 signed checkpoints/);
      expectExit(over, 2);
      assert.match(over.stderr, /robotid\.sqlite exists: restore only into a data directory without/);

      restored = await startHarness({ existing: { dataDir: fresh } });
      const next = await continuesFrom(restored, c, c.robots[1]!, { size: 6, root: signed.rootHash });
      openNote(next.note, [parseVerifierKey(h.ctx.log.verifierKey)]);
    } finally {
      await restored?.close();
      await h.close();
    }
  });

  test('PostgreSQL: pg_dump during a write, the schema lost, restored, audited and continued', async () => {
    const h = await startHarness({ postgres: true });
    const schema = h.schema!;
    let restored: Harness | undefined;
    let closed = false;
    try {
      const c = await supplyChain(h, 2);
      await intoUse(h, c, c.robots[0]!);
      const signed = await signCheckpoint(h.ctx);
      const verifierKey = h.ctx.log.verifierKey;
      const dir = join(scratch, 'pg-backup');
      const backup = await whileWriting(h, () =>
        runCli(['backup', dir, '--data-dir', h.dataDir], pgEnv(schema)),
      );
      expectExit(backup, 0);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      assert.deepEqual(
        [manifest.store, manifest.schema, manifest.logSize, manifest.checkpoint],
        ['postgres', schema, 6, { size: 6, rootHash: b64(signed.rootHash) }],
      );

      const fresh = join(scratch, 'pg-restored');
      const [occupied, elsewhere, sqliteTarget] = await Promise.all([
        runCli(['restore', dir, '--data-dir', fresh], pgEnv(schema)),
        runCli(['restore', dir, '--data-dir', fresh], pgEnv(newSchema())),
        runCli(['restore', dir, '--data-dir', fresh], isolatedEnv(home)),
      ]);
      expectExit(occupied, 2);
      assert.match(occupied.stderr, new RegExp(`schema ${schema} already holds \\d+ tables`));
      expectExit(elsewhere, 2);
      assert.match(elsewhere.stderr, new RegExp(`the backup is of schema ${schema}`));
      expectExit(sqliteTarget, 2);
      assert.match(sqliteTarget.stderr, /the backup is of a postgres registry and the destination is sqlite/);

      await h.close(); // the data directory and the schema are gone
      closed = true;
      // An empty schema of that name is a fine destination (as PostgreSQL's public schema always exists).
      await withTestDatabase((db) => db.query(`CREATE SCHEMA ${schema}`));
      const restore = await runCli(['restore', dir, '--data-dir', fresh], pgEnv(schema));
      schemas.push(schema);
      expectExit(restore, 0);
      assert.match(restore.stdout, /RESTORED: .*log size 6, checkpoint at size 6/);
      const audit = await runCli(['audit', '--data-dir', fresh], pgEnv(schema));
      expectExit(audit, 0);
      assert.match(audit.stdout, /AUDIT PASSED: 6 events, log size 6, 1 signed checkpoints/);

      restored = await startHarness({ existing: { dataDir: fresh, schema } });
      const next = await continuesFrom(restored, c, c.robots[1]!, { size: 6, root: signed.rootHash });
      openNote(next.note, [parseVerifierKey(verifierKey)]);
    } finally {
      await restored?.close();
      if (!closed) await h.close();
    }
  });

  test('migrate-store copies a SQLite registry into PostgreSQL, where the old checkpoints still verify', async () => {
    const h = await startHarness();
    let moved: Harness | undefined;
    const schema = newSchema();
    schemas.push(schema);
    try {
      const c = await supplyChain(h, 3);
      await intoUse(h, c, c.robots[0]!);
      await signCheckpoint(h.ctx);
      await intoUse(h, c, c.robots[1]!);
      const latest = await signCheckpoint(h.ctx);
      const toDataDir = join(scratch, 'migrated');
      mkdirSync(toDataDir);
      const to = `${testDatabaseUrl}?schema=${schema}`;
      const migrate = await runCli(
        ['migrate-store', '--from', `sqlite:${h.dataDir}`, '--to', to, '--to-data-dir', toDataDir],
        isolatedEnv(home),
      );
      expectExit(migrate, 0);
      assert.match(
        migrate.stdout,
        /MIGRATED: .* log size 12, checkpoint at size 12, .*audit passed \(2 signed checkpoints\)/,
      );
      assert.match(migrate.stdout, /copied the log signing key to /);
      assert.match(migrate.stderr, /events: 12 of 12 rows/);
      assert.equal(statSync(join(toDataDir, 'log-signer.key')).mode & 0o777, 0o600);

      const audit = await runCli(['audit', '--data-dir', toDataDir], pgEnv(schema));
      expectExit(audit, 0);
      assert.match(audit.stdout, /AUDIT PASSED: 12 events, log size 12, 2 signed checkpoints/);

      moved = await startHarness({ existing: { dataDir: toDataDir, schema } });
      const history = await moved.call('GET', `/v1/robots/${c.robots[0]}/events`, { key: c.operator.key });
      assert.equal(history.status, 200, 'API keys, organisations and events came along');
      assert.equal(history.body.events.length, 6);
      await continuesFrom(moved, c, c.robots[2]!, { size: 12, root: latest.rootHash });

      const otherKeyDir = join(scratch, 'other-key');
      mkdirSync(otherKeyDir);
      writeFileSync(join(otherKeyDir, 'log-signer.key'), 'someone else’s key\n');
      const [twice, otherKey] = await Promise.all([
        runCli(['migrate-store', '--from', `sqlite:${h.dataDir}`, '--to', to], isolatedEnv(home)),
        runCli(
          [
            'migrate-store',
            '--from',
            `sqlite:${h.dataDir}`,
            '--to',
            `${testDatabaseUrl}?schema=${newSchema()}`,
            '--to-data-dir',
            otherKeyDir,
          ],
          isolatedEnv(home),
        ),
      ]);
      expectExit(twice, 2);
      assert.match(
        twice.stderr,
        /the target registry is not empty: it holds rows in counters \(\d+\), organisations/,
      );
      expectExit(otherKey, 2);
      assert.match(
        otherKey.stderr,
        /other-key\/log-signer\.key holds another log signing key; it is not overwritten/,
      );
    } finally {
      await moved?.close();
      await h.close();
    }
  });

  test('migrate-store names what is wrong with --from and --to', async () => {
    const dataDir = join(scratch, 'no-registry');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'notes.txt'), 'not a registry');
    const cases: [string, string, RegExp][] = [
      ['mysql://x/y', `${testDatabaseUrl}`, /--from mysql:\/\/x\/y: not a SQLite location/],
      ['sqlite:', testDatabaseUrl, /--from sqlite: names no path/],
      [
        `sqlite:${dataDir}`,
        testDatabaseUrl,
        /there is no registry database at .*no-registry\/robotid\.sqlite/,
      ],
      [`sqlite:${join(dataDir, 'notes.txt')}`, 'http://db/x', /--to http:\/\/db\/x: not a PostgreSQL URL/],
      [`sqlite:${join(dataDir, 'notes.txt')}`, 'not a url', /--to not a url: not a URL/],
      [
        `sqlite:${join(dataDir, 'notes.txt')}`,
        `${testDatabaseUrl}?schema=Bad-Name`,
        /schema name 'Bad-Name' must be/,
      ],
    ];
    const results = await Promise.all(
      cases.map(([from, to]) => runCli(['migrate-store', '--from', from, '--to', to], isolatedEnv(home))),
    );
    results.forEach((result, n) => {
      expectExit(result, 2);
      assert.match(result.stderr, cases[n]![2], `${cases[n]![0]} → ${cases[n]![1]}`);
    });
  });
});
