import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { Connection } from '../../src/store/sqlite/connection.js';
import { SqliteStore } from '../../src/store/sqlite/index.js';
import { migrate as migrateSqlite } from '../../src/store/sqlite/migrations.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { migrate as migratePostgres } from '../../src/store/postgres/migrations.js';
import type { Store } from '../../src/store/store.js';
import { dropSchema, testDatabaseUrl } from '../support/harness.js';

/**
 * A store written before the parts fitted were read by reference (SQLite 12, PostgreSQL 8): an incident with the
 * part its report named (involved = 1) and copies of the parts fitted then (involved = 0); the robot's parts in
 * robot_components, one of them replaced after the incident.
 */
const ROBOT = 'CN0001AAAAAAR0000000000000001';
const ROWS: [string, unknown[][]][] = [
  [
    `INSERT INTO robot_status (robot_id, state, custodian_id, status, last_seq)
     VALUES (?, 'in_use', 'org_2', '{"operatorId":"org_2"}', 9)`,
    [[ROBOT]],
  ],
  [
    `INSERT INTO robot_components
       (robot_id, fitted_seq, ordinal, kind, position, manufacturer, part_number, serial, lot, removed_seq)
     VALUES (?, ?, ?, ?, NULL, 'M', ?, ?, ?, ?)`,
    [
      [ROBOT, 1, 0, 'actuator', 'HJ-40', 'S1', 'L1', 8],
      [ROBOT, 1, 1, 'battery_pack', 'VC-2k', null, 'B7', null],
      [ROBOT, 8, 0, 'actuator', 'HJ-40', 'S2', 'L2', null],
    ],
  ],
  [
    `INSERT INTO incidents (id, robot_id, event_id, model, manufacturer_id, category, severity, event_time, month,
       record_time, reported_by, source, attachments, state)
     VALUES (5, ?, 'e5', 'CN0001AAAAAA', 'org_1', 'fall', 'minor', '2026-01-01T00:00:00.000Z', '2026-01',
       '2026-01-01T00:00:00.000Z', 'org_2', 'operator', '[]', 'reported')`,
    [[ROBOT]],
  ],
  [
    `INSERT INTO incident_parts
       (incident_id, ordinal, involved, kind, part_number, serial, lot, counts_part, counts_lot)
     VALUES (5, ?, ?, ?, ?, ?, ?, 1, 1)`,
    [
      [0, 1, null, 'HJ-40', null, 'L1'],
      [1, 0, 'actuator', 'HJ-40', 'S1', 'L1'],
      [2, 0, 'battery_pack', 'VC-2k', null, 'B7'],
    ],
  ],
];

async function expectUpgraded(store: Store) {
  const incident = await store.read((r) => r.getIncident(5));
  assert.deepEqual(incident?.components, [{ kind: null, partNumber: 'HJ-40', serial: null, lot: 'L1' }]);
  assert.deepEqual(
    incident?.fitted,
    [
      { kind: 'actuator', partNumber: 'HJ-40', serial: 'S1', lot: 'L1' },
      { kind: 'battery_pack', partNumber: 'VC-2k', serial: null, lot: 'B7' },
    ],
    'the parts fitted at seq 5, read from robot_components: not the actuator fitted at 8',
  );
  const trend = await store.read((r) => r.incidentTrends({}, { by: 'lot', parts: 'fitted', limit: 10 }));
  assert.deepEqual(
    trend.map((t) => [t.group.partNumber, t.group.lot, t.count]),
    [
      ['HJ-40', 'L1', 1],
      ['VC-2k', 'B7', 1],
    ],
  );
}

test('sqlite: upgrading to incident parts by reference keeps the named parts only and drops the trend indexes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'robotid-upgrade-'));
  const file = join(dir, 'robotid.sqlite');
  const old = Connection.open(file);
  migrateSqlite(old, 12);
  for (const [sql, rows] of ROWS) for (const row of rows) old.db.prepare(sql).run(...row);
  old.db.close();
  const store = SqliteStore.open(file);
  try {
    await expectUpgraded(store);
  } finally {
    await store.close();
  }
  const db = Connection.open(file).db;
  try {
    assert.deepEqual(db.prepare('SELECT ordinal, involved FROM incident_parts').all(), [
      { ordinal: 0, involved: 1 },
    ]);
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incident_parts'`)
      .pluck()
      .all();
    assert.ok(!indexes.some((name) => String(name).endsWith('_trend')), String(indexes));
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('postgres: upgrading to incident parts by reference keeps the named parts only, drops the trend indexes, puts the id in the robot index', async () => {
  const schema = `robotid_test_${randomBytes(6).toString('hex')}`;
  const pool = new pg.Pool({
    connectionString: testDatabaseUrl,
    options: `-c search_path=${schema}`,
    max: 1,
  });
  try {
    await migratePostgres(pool, schema, 8);
    for (const [sql, rows] of ROWS) {
      let n = 0;
      const numbered = sql.replace(/\?/g, () => `$${++n}`);
      for (const row of rows) await pool.query(numbered, row);
    }
    const store = PostgresStore.open(testDatabaseUrl, { schema });
    try {
      await expectUpgraded(store);
    } finally {
      await store.close();
    }
    const parts = await pool.query('SELECT ordinal, involved FROM incident_parts');
    assert.deepEqual(parts.rows, [{ ordinal: 0, involved: 1 }]);
    const indexes = await pool.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename IN ('incident_parts', 'incidents')`,
      [schema],
    );
    const names = indexes.rows.map((r) => r.indexname);
    assert.ok(!names.some((name) => name.endsWith('_trend')), names.join());
    const byEvent = indexes.rows.find((r) => r.indexname === 'incidents_by_event');
    assert.match(byEvent?.indexdef ?? '', /UNIQUE INDEX .*\(robot_id, event_id\) INCLUDE \(id\)/);
  } finally {
    await pool.end();
    await dropSchema(schema);
  }
});
