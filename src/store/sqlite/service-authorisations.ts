import type { ServiceAuthorisation } from '../store.js';
import type { Connection } from './connection.js';

interface Row {
  id: string;
  robot_id: string;
  org_id: string;
  granted_by: string;
  valid_from: string;
  valid_until: string;
  revoked_at: string | null;
}

const toAuthorisation = (r: Row): ServiceAuthorisation => ({
  id: r.id,
  robotId: r.robot_id,
  orgId: r.org_id,
  grantedBy: r.granted_by,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  revokedAt: r.revoked_at,
});

export const listServiceAuthorisations = (c: Connection, robotId: string) =>
  (c.stmt('SELECT * FROM service_authorisations WHERE robot_id = ? ORDER BY seq').all(robotId) as Row[]).map(
    toAuthorisation,
  );

export const isAuthorisedForService = (
  c: Connection,
  robotId: string,
  orgId: string,
  grantedBy: string,
  at: string,
) =>
  c
    .stmt(
      `SELECT 1 FROM service_authorisations WHERE robot_id = ? AND org_id = ? AND granted_by = ?
       AND revoked_at IS NULL AND valid_from <= ? AND valid_until > ? LIMIT 1`,
    )
    .get(robotId, orgId, grantedBy, at, at) !== undefined;

export function insertServiceAuthorisation(c: Connection, a: ServiceAuthorisation): void {
  c.stmt(
    `INSERT INTO service_authorisations (id, robot_id, org_id, granted_by, valid_from, valid_until, revoked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(a.id, a.robotId, a.orgId, a.grantedBy, a.validFrom, a.validUntil, a.revokedAt);
}

export function revokeServiceAuthorisation(c: Connection, id: string, at: string): void {
  c.stmt('UPDATE service_authorisations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
}
