import type { IssuanceRecord, RobotRecord } from '../store.js';
import type { Connection } from './connection.js';

interface RobotRow {
  id: string;
  enterprise_code: string;
  model_code: string;
  serial: string;
  manufacturer_id: string;
  issuance_id: string;
  issued_at: string;
}

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

export function getRobot(c: Connection, id: string): RobotRecord | null {
  const row = c.stmt('SELECT * FROM robots WHERE id = ?').get(id) as RobotRow | undefined;
  if (!row) return null;
  return {
    id: row.id,
    enterpriseCode: row.enterprise_code,
    modelCode: row.model_code,
    serial: row.serial,
    manufacturerId: row.manufacturer_id,
    issuanceId: row.issuance_id,
    issuedAt: row.issued_at,
  };
}

export const existingRobotIds = (c: Connection, ids: string[]): string[] =>
  (c.stmt('SELECT id FROM robots WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: string }[]).map(
    (row) => row.id,
  );

export function insertRobots(c: Connection, robots: RobotRecord[]): void {
  const insert = c.stmt(
    `INSERT INTO robots (id, enterprise_code, model_code, serial, manufacturer_id, issuance_id, issued_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of robots) insert.run(r.id, r.enterpriseCode, r.modelCode, r.serial, r.manufacturerId, r.issuanceId, r.issuedAt);
}

export function findIssuanceByRequest(c: Connection, orgId: string, requestId: string): IssuanceRecord | null {
  const row = c.stmt('SELECT * FROM issuances WHERE org_id = ? AND request_id = ?').get(orgId, requestId) as
    | IssuanceRow
    | undefined;
  if (!row) return null;
  return {
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
  };
}

export function insertIssuance(c: Connection, i: IssuanceRecord): void {
  c.stmt(
    `INSERT INTO issuances (id, org_id, key_id, request_id, request_hash, enterprise_code, model_code, serial_source, count, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(i.id, i.orgId, i.keyId, i.requestId, i.requestHash, i.enterpriseCode, i.modelCode, i.serialSource, i.count, i.createdAt);
}

export const listIssuedIds = (c: Connection, issuanceId: string): string[] =>
  (c.stmt('SELECT id FROM robots WHERE issuance_id = ? ORDER BY seq').all(issuanceId) as { id: string }[]).map((r) => r.id);
