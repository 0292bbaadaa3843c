import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { signCheckpoint } from '../../src/app/log/checkpoints.js';
import { migrateStore, type CopyableStore } from '../../src/app/migrate-store.js';
import { parseVerifierKey } from '../../src/log/note.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { TABLES, type RawReader, type RawRow } from '../../src/store/tables.js';
import { dropSchema, startHarness, testDatabaseUrl, type Harness } from '../support/harness.js';
import { event, intoUse, manufactured, report, supplyChain } from '../support/lifecycle.js';

/** Every row of every table, in key order. */
async function everything(reader: RawReader): Promise<Record<string, RawRow[]>> {
  const all: Record<string, RawRow[]> = {};
  for (const table of TABLES) all[table.name] = await reader.rows(table, null, 1_000_000);
  return all;
}

/** The copy, a few rows a page: every keyset boundary (composite keys included) is crossed many times. */
describe('migrateStore: SQLite to PostgreSQL', () => {
  let h: Harness;
  const schemas = [
    `robotid_test_${randomBytes(6).toString('hex')}`,
    `robotid_test_${randomBytes(6).toString('hex')}`,
  ];
  const targets: PostgresStore[] = [];
  let incidentId = 0;
  before(async () => {
    h = await startHarness();
    const c = await supplyChain(h, 3);
    await intoUse(h, c, c.robots[0]!);
    await signCheckpoint(h.ctx);
    await intoUse(h, c, c.robots[1]!);
    const old = {
      ...manufactured(c.robots[2]!),
      eventTime: new Date(Date.now() - 30 * 86_400_000).toISOString(),
    };
    assert.equal((await report(h, c.maker.key, [old])).body.results[0].late, true);
    // An incident and a triage move: derived tables with composite keys and nullable integers travel too.
    const reported = await report(h, c.operator.key, [
      event('incident_reported', c.robots[0]!, {
        category: 'fall',
        severity: 'minor',
        components: [{ partNumber: 'HJ-40', lot: 'LOT-2026-01' }],
      }),
    ]);
    incidentId = reported.body.results[0].seq;
    const triaged = await h.call('POST', `/v1/incidents/${incidentId}/triage`, {
      key: c.regulator.key,
      body: { state: 'under_investigation' },
    });
    assert.equal(triaged.status, 200);
    await signCheckpoint(h.ctx);
    for (const schema of schemas) targets.push(PostgresStore.open(testDatabaseUrl, { schema }));
  });
  after(async () => {
    for (const target of targets) await target.close();
    await h.close();
    for (const schema of schemas) await dropSchema(schema);
  });

  test('every row arrives as it was, types converted (booleans, bytes, integers), and the copy verifies', async () => {
    const source = h.ctx.store as CopyableStore;
    const progress: string[] = [];
    const result = await migrateStore(source, targets[0]!, {
      pageRows: 2,
      verifier: parseVerifierKey(h.ctx.log.verifierKey),
      progress: (table, copied, total) => progress.push(`${table} ${copied}/${total}`),
    });
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
    assert.equal(result.target.logSize, 14);
    assert.equal(result.audit?.checkpointsChecked, 2);
    assert.ok(progress.includes('events 14/14') && progress.includes('events 2/14'));
    const [was, is] = await Promise.all([source.snapshot(everything), targets[0]!.snapshot(everything)]);
    assert.deepEqual(is, was);
    assert.ok(was.events!.some((row) => row[10] === true) && was.events!.some((row) => row[10] === false));
    assert.ok(was.robot_components!.length > 2, 'components span several pages');
    assert.deepEqual(
      [
        was.incidents!.length,
        was.incident_parts!.length,
        was.incident_software!.length,
        was.incident_triage!.length,
      ],
      [1, 1, 1, 1],
      'an incident, the part its report named, the firmware of its robot then, a triage move',
    );
    // The parts fitted then are read by seq from robot_components, which travels with its seqs.
    const [shownWas, shownIs] = await Promise.all([
      source.read((r) => r.getIncident(incidentId)),
      targets[0]!.read((r) => r.getIncident(incidentId)),
    ]);
    assert.equal(shownWas?.fitted.length, 2);
    assert.deepEqual(shownIs, shownWas);
  });

  test('the table catalogue names every table and column both stores have (a new column is not left behind)', async () => {
    const catalogue = Object.fromEntries(TABLES.map((t) => [t.name, t.columns.map((c) => c.name).sort()]));
    const db = new Database(join(h.dataDir, 'robotid.sqlite'), { readonly: true });
    try {
      const names = db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'`,
        )
        .pluck()
        .all() as string[];
      const sqlite = Object.fromEntries(
        names.map((t) => [
          t,
          (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name).sort(),
        ]),
      );
      assert.deepEqual(sqlite, catalogue);
    } finally {
      db.close();
    }
    await targets[0]!.ping(); // migrated, whichever test ran first
    const pool = new pg.Pool({ connectionString: testDatabaseUrl, max: 1 });
    try {
      const { rows } = await pool.query<{ table_name: string; column_name: string; data_type: string }>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = $1 AND table_name <> 'schema_migrations' ORDER BY table_name, column_name`,
        [schemas[0]],
      );
      const postgres: Record<string, string[]> = {};
      const kinds: Record<string, string> = {
        text: 'text',
        bigint: 'integer',
        integer: 'integer',
        boolean: 'boolean',
        bytea: 'bytes',
      };
      for (const r of rows) (postgres[r.table_name] ??= []).push(`${r.column_name} ${kinds[r.data_type]}`);
      for (const columns of Object.values(postgres)) columns.sort();
      const typed = Object.fromEntries(
        TABLES.map((t) => [t.name, t.columns.map((c) => `${c.name} ${c.kind}`).sort()]),
      );
      assert.deepEqual(postgres, typed);
    } finally {
      await pool.end();
    }
  });

  test('a copy that fails part way leaves the target empty, so it can be run again', async () => {
    const db = new Database(join(h.dataDir, 'robotid.sqlite'));
    try {
      // An event without its salt: SQLite allows it (rows older than the log), PostgreSQL's column does not.
      db.prepare('UPDATE events SET salt = NULL WHERE seq = 9').run();
      await assert.rejects(
        migrateStore(h.ctx.store as CopyableStore, targets[1]!, { pageRows: 4 }),
        /copying events after key \[8\]: null value in column "salt".*nothing was committed/,
      );
      const counts = await targets[1]!.snapshot(async (r) => {
        const n: number[] = [];
        for (const table of TABLES) n.push(await r.count(table));
        return n;
      });
      assert.deepEqual(
        counts,
        TABLES.map((t) => (t.seededByMigrations ? 1 : 0)),
      );
    } finally {
      db.close();
    }
  });
});
