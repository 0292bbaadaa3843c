import type { IssuanceRecord, RobotRecord } from '../store.js';
import type { Connection } from './connection.js';
import { issuanceValues, toIssuance, type RobotRow, type IssuanceRow } from '../rows.js';

export function getRobot(c: Connection, id: string): RobotRecord | null {
  const row = c
    .stmt(
      `SELECT r.id, i.id AS issuance_id, i.org_id, i.created_at
       FROM robots r JOIN issuances i ON i.seq = r.issuance WHERE r.id = ?`,
    )
    .get(id) as RobotRow | undefined;
  return row
    ? { id: row.id, issuanceId: row.issuance_id, manufacturerId: row.org_id, issuedAt: row.created_at }
    : null;
}

export function getRobots(c: Connection, ids: string[]): Map<string, RobotRecord> {
  const found = new Map<string, RobotRecord>();
  for (const id of ids) {
    const robot = getRobot(c, id);
    if (robot) found.set(id, robot);
  }
  return found;
}

export const existingRobotIds = (c: Connection, ids: string[]): string[] =>
  (
    c.stmt('SELECT id FROM robots WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as {
      id: string;
    }[]
  ).map((row) => row.id);

export function insertRobots(c: Connection, issuanceId: string, ids: string[]): void {
  const issuance = c.stmt('SELECT seq FROM issuances WHERE id = ?').get(issuanceId) as
    { seq: number } | undefined;
  if (!issuance) throw new Error(`issuance ${issuanceId} must be inserted before its robots`);
  const insert = c.stmt('INSERT INTO robots (id, issuance) VALUES (?, ?)');
  for (const id of ids) insert.run(id, issuance.seq);
}

export function findIssuanceByRequest(
  c: Connection,
  orgId: string,
  requestId: string,
): IssuanceRecord | null {
  const row = c.stmt('SELECT * FROM issuances WHERE org_id = ? AND request_id = ?').get(orgId, requestId) as
    IssuanceRow | undefined;
  return row ? toIssuance(row) : null;
}

export function insertIssuance(c: Connection, i: IssuanceRecord): void {
  c.stmt(
    `INSERT INTO issuances (id, org_id, key_id, request_id, request_hash, enterprise_code, model_code, serial_source, count, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(...issuanceValues(i));
}

export const listIssuedIds = (c: Connection, issuanceId: string): string[] =>
  (
    c
      .stmt('SELECT r.id FROM robots r JOIN issuances i ON i.seq = r.issuance WHERE i.id = ? ORDER BY r.id')
      .all(issuanceId) as { id: string }[]
  ).map((r) => r.id);
