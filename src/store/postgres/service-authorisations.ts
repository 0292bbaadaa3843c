import type { ServiceAuthorisation } from '../store.js';
import type { Connection } from './connection.js';
import { type AuthorisationRow, toAuthorisation } from '../rows.js';

export const listServiceAuthorisations = async (c: Connection, robotId: string) =>
  (
    await c.rows<AuthorisationRow>('SELECT * FROM service_authorisations WHERE robot_id = $1 ORDER BY seq', [
      robotId,
    ])
  ).map(toAuthorisation);

export const isAuthorisedForService = async (
  c: Connection,
  robotId: string,
  orgId: string,
  grantedBy: string,
  at: string,
) =>
  (await c.row(
    `SELECT 1 FROM service_authorisations WHERE robot_id = $1 AND org_id = $2 AND granted_by = $3
     AND revoked_at IS NULL AND valid_from <= $4 AND valid_until > $4 LIMIT 1`,
    [robotId, orgId, grantedBy, at],
  )) !== undefined;

export async function insertServiceAuthorisation(c: Connection, a: ServiceAuthorisation): Promise<void> {
  await c.run(
    `INSERT INTO service_authorisations (seq, id, robot_id, org_id, granted_by, valid_from, valid_until, revoked_at)
     VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM service_authorisations), $1, $2, $3, $4, $5, $6, $7)`,
    [a.id, a.robotId, a.orgId, a.grantedBy, a.validFrom, a.validUntil, a.revokedAt],
  );
}

export async function revokeServiceAuthorisation(c: Connection, id: string, at: string): Promise<void> {
  await c.run('UPDATE service_authorisations SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
    at,
    id,
  ]);
}
