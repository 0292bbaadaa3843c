import type { AuditEntry } from '../store.js';
import type { Connection } from './connection.js';

export function insertAudit(c: Connection, e: AuditEntry): void {
  c.stmt(
    'INSERT INTO audit_log (at, org_id, key_id, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(e.at, e.orgId, e.keyId, e.action, e.target, e.outcome, e.detail);
}

export function countAudit(
  c: Connection,
  filter: { action?: string; outcome?: 'success' | 'failure' },
): number {
  const row = c
    .stmt(
      `SELECT count(*) AS n FROM audit_log
       WHERE (@action IS NULL OR action = @action) AND (@outcome IS NULL OR outcome = @outcome)`,
    )
    .get({ action: filter.action ?? null, outcome: filter.outcome ?? null }) as { n: number };
  return row.n;
}
