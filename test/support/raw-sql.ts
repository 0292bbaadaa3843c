import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { testDatabaseUrl, type Harness } from './harness.js';

/**
 * Runs SQL on a harness's database through a connection of the test's own, beside the registry's: a fault the
 * registry cannot foresee (a table renamed, a trigger that refuses writes). On PostgreSQL it runs in the harness's
 * schema.
 */
export async function rawSql(h: Pick<Harness, 'dataDir' | 'schema'>, statement: string): Promise<void> {
  if (!h.schema) {
    const db = new Database(join(h.dataDir, 'robotid.sqlite'));
    try {
      db.exec(statement);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${h.schema}; ${statement}`);
  } finally {
    await client.end();
  }
}
