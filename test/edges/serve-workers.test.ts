import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { isolatedEnv, runCli, tempHome } from '../support/cli.js';
import { testDatabaseUrl } from '../support/harness.js';

describe('robotid serve --workers: refusals', () => {
  const home = tempHome();
  const dataDir = mkdtempSync(join(tmpdir(), 'robotid-workers-'));
  const schema = `robotid_test_${randomBytes(6).toString('hex')}`;
  after(async () => {
    rmSync(home, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    const db = new pg.Client({ connectionString: testDatabaseUrl });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => db.end());
  });

  test('several workers on the embedded SQLite store is a usage error that names PostgreSQL', async () => {
    const result = await runCli(['serve', '--workers', '2', '--data-dir', dataDir], isolatedEnv(home));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--workers 2 needs PostgreSQL/);
    assert.match(result.stderr, /DATABASE_URL/);
  });

  // A cluster that does not stop fails in runCli (killed after its timeout, with what it printed).
  test('workers that cannot listen stop the cluster, which exits with their reason (port in use: 6)', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((taken.address() as { port: number }).port);
      const env = isolatedEnv(home, { DATABASE_URL: testDatabaseUrl, ROBOTID_DATABASE_SCHEMA: schema });
      const result = await runCli(['serve', '--workers', '2', '--port', port, '--data-dir', dataDir], env);
      assert.equal(result.code, 6, result.stdout + result.stderr);
      assert.match(result.stderr, /the port is in use/);
      assert.match(result.stdout, /a worker failed to start; stopping/);
    } finally {
      taken.close();
    }
  });
});
