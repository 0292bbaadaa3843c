import type { Db } from '../sql/db.js';
import type { QueriesOf } from '../sql/queries.js';
import type { IssuanceRecord, RobotReader, RobotRecord, RobotWriter } from './interface.js';

/** An issued robot with its issuance's id, issuer and time. */
interface RobotRow {
  id: string;
  issuance_id: string;
  org_id: string;
  created_at: string;
}

const toRobot = (row: RobotRow): RobotRecord => ({
  id: row.id,
  issuanceId: row.issuance_id,
  manufacturerId: row.org_id,
  issuedAt: row.created_at,
});

const SELECT_ROBOT = `
  SELECT r.id, i.id AS issuance_id, i.org_id, i.created_at
  FROM robots r JOIN issuances i ON i.seq = r.issuance`;

interface IssuanceRow {
  id: string;
  org_id: string;
  key_id: string | null;
  request_id: string | null;
  request_hash: string;
  enterprise_code: string;
  model_code: string;
  serial_source: IssuanceRecord['serialSource'];
  count: number;
  created_at: string;
}

const toIssuance = (row: IssuanceRow): IssuanceRecord => ({
  id: row.id,
  orgId: row.org_id,
  keyId: row.key_id,
  requestId: row.request_id,
  requestHash: row.request_hash,
  enterpriseCode: row.enterprise_code,
  modelCode: row.model_code,
  serialSource: row.serial_source,
  count: row.count,
  createdAt: row.created_at,
});

export const reads: QueriesOf<RobotReader> = {
  async getRobot(db, id) {
    const row = await db.get<RobotRow>(`${SELECT_ROBOT} WHERE r.id = ?`, [id]);
    return row ? toRobot(row) : null;
  },

  // One statement for a capture batch's new robots: the list is one parameter, probed by the robots' key.
  async getRobots(db, ids) {
    const rows = await db.all<RobotRow>(`${SELECT_ROBOT} WHERE ${db.dialect.inList('r.id')}`, [
      db.dialect.listValue(ids),
    ]);
    return new Map(rows.map((row) => [row.id, toRobot(row)]));
  },

  existingRobotIds: async (db, ids) =>
    (
      await db.all<{ id: string }>(`SELECT id FROM robots WHERE ${db.dialect.inList('id')}`, [
        db.dialect.listValue(ids),
      ])
    ).map((row) => row.id),

  async findIssuanceByRequest(db, orgId, requestId) {
    const row = await db.get<IssuanceRow>('SELECT * FROM issuances WHERE org_id = ? AND request_id = ?', [
      orgId,
      requestId,
    ]);
    return row ? toIssuance(row) : null;
  },

  // robots.id compares by bytes in both databases (PostgreSQL's column is COLLATE "C").
  listIssuedIds: async (db, issuanceId) =>
    (
      await db.all<{ id: string }>(
        'SELECT r.id FROM robots r JOIN issuances i ON i.seq = r.issuance WHERE i.id = ? ORDER BY r.id',
        [issuanceId],
      )
    ).map((r) => r.id),
};

export const writes: QueriesOf<RobotWriter> = {
  /** All the IDs in one statement (an issuance may hold 100,000): one list parameter. */
  async insertRobots(db: Db, issuanceId, ids) {
    const issuance = await db.get<{ seq: number }>('SELECT seq FROM issuances WHERE id = ?', [issuanceId]);
    if (!issuance) throw new Error(`issuance ${issuanceId} must be inserted before its robots`);
    await db.run(`INSERT INTO robots (id, issuance) SELECT a.value, ? FROM ${db.dialect.rowsOfList}`, [
      issuance.seq,
      db.dialect.listValue(ids),
    ]);
  },

  // seq joins robots to their issuance; the writers' lock makes max(seq) + 1 safe (PostgreSQL has no sequence).
  async insertIssuance(db, i) {
    await db.run(
      `INSERT INTO issuances
         (seq, id, org_id, key_id, request_id, request_hash, enterprise_code, model_code, serial_source, count, created_at)
       VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM issuances), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        i.id,
        i.orgId,
        i.keyId,
        i.requestId,
        i.requestHash,
        i.enterpriseCode,
        i.modelCode,
        i.serialSource,
        i.count,
        i.createdAt,
      ],
    );
  },
};
