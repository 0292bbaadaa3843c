// The dialect seam (src/store/sql/db.ts): each expression a query written once relies on answers the same on both
// databases, through each adapter's own `Db`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import type { Db } from '../../src/store/sql/db.js';
import { Connection as SqliteConnection } from '../../src/store/sqlite/connection.js';
import { Connection as PostgresConnection, typeParsers } from '../../src/store/postgres/connection.js';
import { numberPlaceholders } from '../../src/store/postgres/dialect.js';

const databaseUrl = process.env.ROBOTID_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function sqliteDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-dialect-'));
  const c = SqliteConnection.open(join(dir, 'd.sqlite'));
  after(() => {
    c.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return c;
}

/** One client in a schema of its own (dropped afterwards): the Db of a unit of work. */
async function postgresDb(): Promise<Db> {
  const schema = `robotid_dialect_${randomBytes(5).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, types: typeParsers });
  await pool.query(`CREATE SCHEMA ${schema}`);
  pool.on('connect', (client) => void client.query(`SET search_path TO ${schema}`));
  const client = await pool.connect();
  await client.query(`SET search_path TO ${schema}`);
  after(async () => {
    client.release();
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool.end();
  });
  return new PostgresConnection(client);
}

const TABLE = `CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT NOT NULL, flag BOOLEAN NOT NULL, bytes BYTEA)`;
const SQLITE_TABLE = `CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER NOT NULL, flag INTEGER NOT NULL, bytes BLOB)`;

for (const [name, open, ddl] of [
  ['sqlite', async () => sqliteDb(), SQLITE_TABLE],
  ['postgres', postgresDb, TABLE],
] as const) {
  describe(`dialect: ${name}`, () => {
    test('? placeholders, booleans, Buffers and numbers round-trip; run counts changes', async () => {
      const db = await open();
      await db.run(ddl);
      const bytes = randomBytes(16);
      assert.deepEqual(await db.run('INSERT INTO t VALUES (?, ?, ?, ?)', ['a', 2 ** 40, true, bytes]), {
        changes: 1,
      });
      await db.run('INSERT INTO t VALUES (?, ?, ?, ?)', ['b', 1, false, null]);
      const row = await db.get<{ id: string; n: number; flag: unknown; bytes: Buffer }>(
        'SELECT * FROM t WHERE id = ?',
        ['a'],
      );
      assert.equal(row?.n, 2 ** 40);
      assert.equal(Boolean(row?.flag), true);
      assert.ok(bytes.equals(row!.bytes));
      assert.equal(await db.get('SELECT * FROM t WHERE id = ?', ['none']), undefined);
      assert.deepEqual(await db.run('UPDATE t SET n = n + 1', []), { changes: 2 });
      // A question mark inside a string literal is text, not a placeholder.
      const literal = await db.all<{ q: string }>("SELECT '?' AS q, id FROM t WHERE id = ?", ['b']);
      assert.equal(literal[0]?.q, '?');
    });

    test('lists travel as one parameter: inList and rowsOfList, of texts and of integers', async () => {
      const db = await open();
      await db.run(ddl);
      for (const [i, id] of ['a', 'b', 'c'].entries())
        await db.run('INSERT INTO t VALUES (?, ?, ?, NULL)', [id, i + 1, i % 2 === 0]);
      const d = db.dialect;
      const texts = await db.all<{ id: string }>(`SELECT id FROM t WHERE ${d.inList('id')} ORDER BY id`, [
        d.listValue(['c', 'a', 'zz']),
      ]);
      assert.deepEqual(
        texts.map((r) => r.id),
        ['a', 'c'],
      );
      const numbers = await db.all<{ id: string }>(
        `SELECT id FROM t WHERE ${d.inList('n', 'integer')} ORDER BY id`,
        [d.listValue([2, 3])],
      );
      assert.deepEqual(
        numbers.map((r) => r.id),
        ['b', 'c'],
      );
      const joined = await db.all<{ id: string }>(
        `SELECT t.id FROM ${d.rowsOfList} JOIN t ON t.id = a.value ORDER BY t.id`,
        [d.listValue(['b', 'c'])],
      );
      assert.deepEqual(
        joined.map((r) => r.id),
        ['b', 'c'],
      );
      assert.deepEqual(await db.all(`SELECT id FROM t WHERE ${d.inList('id')}`, [d.listValue([])]), []);
    });

    test('jsonRecords inserts a batch in one statement, in order, with every column type', async () => {
      const db = await open();
      await db.run(ddl);
      const rows = [
        { id: 'x', n: 7, flag: true, bytes: '00ff10' },
        { id: 'y', n: 2 ** 40, flag: false, bytes: null },
      ];
      const from = db.dialect.jsonRecords('r', { id: 'text', n: 'integer', flag: 'boolean', bytes: 'bytes' });
      const inserted = await db.run(
        `INSERT INTO t (id, n, flag, bytes) SELECT id, n, flag, bytes FROM ${from}`,
        [JSON.stringify(rows)],
      );
      assert.equal(inserted.changes, 2);
      const back = await db.all<{ id: string; n: number; flag: unknown; bytes: Buffer | null }>(
        'SELECT * FROM t ORDER BY id',
      );
      assert.deepEqual(
        back.map((r) => [r.id, r.n, Boolean(r.flag), r.bytes?.toString('hex') ?? null]),
        [
          ['x', 7, true, '00ff10'],
          ['y', 2 ** 40, false, null],
        ],
      );
    });

    test('byteOrder compares text by bytes; jsonText reads a field of a JSON document stored as text', async () => {
      const db = await open();
      const d = db.dialect;
      const order = await db.all<{ v: string }>(
        `SELECT v FROM (SELECT 'a' AS v UNION ALL SELECT 'B' UNION ALL SELECT '_') AS x ORDER BY ${d.byteOrder('v')}`,
      );
      assert.deepEqual(
        order.map((r) => r.v),
        ['B', '_', 'a'],
      );
      const field = await db.get<{ state: string }>(`SELECT ${d.jsonText('?', 'state')} AS state`, [
        JSON.stringify({ state: 'sold' }),
      ]);
      assert.equal(field?.state, 'sold');
    });

    test('isTrue holds for the rows whose boolean column is true, and no other', async () => {
      const db = await open();
      await db.run(ddl);
      await db.run('INSERT INTO t VALUES (?, ?, ?, NULL), (?, ?, ?, NULL)', ['yes', 1, true, 'no', 2, false]);
      const rows = await db.all<{ id: string }>(`SELECT id FROM t WHERE ${db.dialect.isTrue('flag')}`);
      assert.deepEqual(
        rows.map((r) => r.id),
        ['yes'],
      );
    });
  });
}

test('PostgreSQL placeholders are numbered in order, outside quoted text and names', () => {
  assert.equal(
    numberPlaceholders(`SELECT '?', "a?" FROM t WHERE a = ? AND b IN (?, ?)`),
    `SELECT '?', "a?" FROM t WHERE a = $1 AND b IN ($2, $3)`,
  );
});
