import type { QueriesOf } from '../sql/queries.js';
import type {
  ServiceAuthorisation,
  ServiceAuthorisationReader,
  ServiceAuthorisationWriter,
} from './interface.js';

interface AuthorisationRow {
  id: string;
  robot_id: string;
  org_id: string;
  granted_by: string;
  valid_from: string;
  valid_until: string;
  revoked_at: string | null;
}

const toAuthorisation = (r: AuthorisationRow): ServiceAuthorisation => ({
  id: r.id,
  robotId: r.robot_id,
  orgId: r.org_id,
  grantedBy: r.granted_by,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  revokedAt: r.revoked_at,
});

export const reads: QueriesOf<ServiceAuthorisationReader> = {
  listServiceAuthorisations: async (db, robotId) =>
    (
      await db.all<AuthorisationRow>('SELECT * FROM service_authorisations WHERE robot_id = ? ORDER BY seq', [
        robotId,
      ])
    ).map(toAuthorisation),

  // Instants compare as text, by bytes in both databases (PostgreSQL's validity columns are COLLATE "C").
  isAuthorisedForService: async (db, robotId, orgId, grantedBy, at) =>
    (await db.get(
      `SELECT 1 FROM service_authorisations WHERE robot_id = ? AND org_id = ? AND granted_by = ?
       AND revoked_at IS NULL AND valid_from <= ? AND valid_until > ? LIMIT 1`,
      [robotId, orgId, grantedBy, at, at],
    )) !== undefined,
};

export const writes: QueriesOf<ServiceAuthorisationWriter> = {
  // seq orders listings; the writers' lock makes max(seq) + 1 safe (PostgreSQL's table has no sequence).
  async insertServiceAuthorisation(db, a) {
    await db.run(
      `INSERT INTO service_authorisations (seq, id, robot_id, org_id, granted_by, valid_from, valid_until, revoked_at)
       VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM service_authorisations), ?, ?, ?, ?, ?, ?, ?)`,
      [a.id, a.robotId, a.orgId, a.grantedBy, a.validFrom, a.validUntil, a.revokedAt],
    );
  },

  async revokeServiceAuthorisation(db, id, at) {
    await db.run('UPDATE service_authorisations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [
      at,
      id,
    ]);
  },
};
