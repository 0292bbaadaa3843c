import type { ServiceAuthorisation } from '../store.js';
import type { Connection } from './connection.js';
import { type AuthorisationRow, toAuthorisation } from '../rows.js';

export const listServiceAuthorisations = (c: Connection, robotId: string) =>
  (
    c
      .stmt('SELECT * FROM service_authorisations WHERE robot_id = ? ORDER BY seq')
      .all(robotId) as AuthorisationRow[]
  ).map(toAuthorisation);

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
