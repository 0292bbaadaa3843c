import type { QueriesOf } from '../sql/queries.js';
import type { AuditReader, AuditWriter } from './interface.js';

export const reads: QueriesOf<AuditReader> = {
  // A filter left out is NULL; CAST types it for PostgreSQL, which cannot infer a type from `? IS NULL`.
  async countAudit(db, filter) {
    const action = filter.action ?? null;
    const outcome = filter.outcome ?? null;
    const row = await db.get<{ n: number }>(
      `SELECT count(*) AS n FROM audit_log
       WHERE (CAST(? AS TEXT) IS NULL OR action = ?) AND (CAST(? AS TEXT) IS NULL OR outcome = ?)`,
      [action, action, outcome, outcome],
    );
    return Number(row!.n);
  },
};

export const writes: QueriesOf<AuditWriter> = {
  // seq orders the audit; the writers' lock makes max(seq) + 1 safe (PostgreSQL's table has no sequence).
  async insertAudit(db, e) {
    await db.run(
      `INSERT INTO audit_log (seq, at, org_id, key_id, action, target, outcome, detail)
       VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM audit_log), ?, ?, ?, ?, ?, ?, ?)`,
      [e.at, e.orgId, e.keyId, e.action, e.target, e.outcome, e.detail],
    );
  },
};
