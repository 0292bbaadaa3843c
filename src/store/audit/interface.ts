/**
 * The audit of writes. Records, and this area's part of the store interface (composed in ../store.ts).
 */

export interface AuditEntry {
  at: string;
  orgId: string | null;
  keyId: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure';
  /** Error code on failure; a short note on success. */
  detail: string | null;
}

export interface AuditReader {
  countAudit(filter: { action?: string; outcome?: 'success' | 'failure' }): Promise<number>;
}

export interface AuditWriter {
  insertAudit(entry: AuditEntry): Promise<void>;
}
