import type { AuditEntry } from '../store.js';
import type { Connection } from './connection.js';

export async function insertAudit(c: Connection, e: AuditEntry): Promise<void> {
  await c.run(
    `INSERT INTO audit_log (seq, at, org_id, key_id, action, target, outcome, detail)
     VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM audit_log), $1, $2, $3, $4, $5, $6, $7)`,
    [e.at, e.orgId, e.keyId, e.action, e.target, e.outcome, e.detail],
  );
}

export async function countAudit(
  c: Connection,
  filter: { action?: string; outcome?: 'success' | 'failure' },
): Promise<number> {
  const row = await c.row<{ n: number }>(
    `SELECT count(*) AS n FROM audit_log
     WHERE ($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR outcome = $2)`,
    [filter.action ?? null, filter.outcome ?? null],
  );
  return row!.n;
}
