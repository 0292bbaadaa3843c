import type { IssuanceRecord, RobotRecord } from '../store.js';
import type { Connection } from './connection.js';
import { issuanceValues, toIssuance, type RobotRow, type IssuanceRow } from '../rows.js';

export async function getRobot(c: Connection, id: string): Promise<RobotRecord | null> {
  const row = await c.row<RobotRow>(
    `SELECT r.id, i.id AS issuance_id, i.org_id, i.created_at
     FROM robots r JOIN issuances i ON i.seq = r.issuance WHERE r.id = $1`,
    [id],
  );
  return row
    ? { id: row.id, issuanceId: row.issuance_id, manufacturerId: row.org_id, issuedAt: row.created_at }
    : null;
}

export async function getRobots(c: Connection, ids: string[]): Promise<Map<string, RobotRecord>> {
  const rows = await c.rows<RobotRow>(
    `SELECT r.id, i.id AS issuance_id, i.org_id, i.created_at
     FROM robots r JOIN issuances i ON i.seq = r.issuance WHERE r.id = ANY($1::text[])`,
    [ids],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, issuanceId: row.issuance_id, manufacturerId: row.org_id, issuedAt: row.created_at },
    ]),
  );
}

export const existingRobotIds = async (c: Connection, ids: string[]): Promise<string[]> =>
  (await c.rows<{ id: string }>('SELECT id FROM robots WHERE id = ANY($1::text[])', [ids])).map(
    (row) => row.id,
  );

/** All the IDs in one statement (an issuance may hold 100,000): one array parameter, unnested. */
export async function insertRobots(c: Connection, issuanceId: string, ids: string[]): Promise<void> {
  const issuance = await c.row<{ seq: number }>('SELECT seq FROM issuances WHERE id = $1', [issuanceId]);
  if (!issuance) throw new Error(`issuance ${issuanceId} must be inserted before its robots`);
  await c.run('INSERT INTO robots (id, issuance) SELECT unnest($1::text[]), $2', [ids, issuance.seq]);
}

export async function findIssuanceByRequest(
  c: Connection,
  orgId: string,
  requestId: string,
): Promise<IssuanceRecord | null> {
  const row = await c.row<IssuanceRow>('SELECT * FROM issuances WHERE org_id = $1 AND request_id = $2', [
    orgId,
    requestId,
  ]);
  return row ? toIssuance(row) : null;
}

export async function insertIssuance(c: Connection, i: IssuanceRecord): Promise<void> {
  await c.run(
    `INSERT INTO issuances
       (seq, id, org_id, key_id, request_id, request_hash, enterprise_code, model_code, serial_source, count, created_at)
     VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM issuances), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    issuanceValues(i),
  );
}

export const listIssuedIds = async (c: Connection, issuanceId: string): Promise<string[]> =>
  (
    await c.rows<{ id: string }>(
      'SELECT r.id FROM robots r JOIN issuances i ON i.seq = r.issuance WHERE i.id = $1 ORDER BY r.id',
      [issuanceId],
    )
  ).map((r) => r.id);
