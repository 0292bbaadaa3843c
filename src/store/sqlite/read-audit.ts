import type { Page, PageRequest, ReadAuditEntry, ReadAuditFilter, ReadAuditRecord } from '../store.js';
import type { Connection } from './connection.js';
import { readAuditValues, readAuditWhere, toReadAuditPage, type ReadAuditRow } from '../rows.js';

export function insertReadAudit(c: Connection, entries: ReadAuditRecord[]): void {
  const insert = c.stmt(
    `INSERT INTO read_audit (at, org_id, key_id, robot_id, query, classes, purpose, outcome)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const entry of entries) insert.run(...readAuditValues(entry));
}

export function listReadAudit(
  c: Connection,
  filter: ReadAuditFilter,
  page: PageRequest,
): Page<ReadAuditEntry> {
  const { where, values } = readAuditWhere(filter, page.after, () => '?');
  const rows = c
    .stmt(`SELECT * FROM read_audit ${where} ORDER BY id DESC LIMIT ?`)
    .all(...values, page.limit + 1) as ReadAuditRow[];
  return toReadAuditPage(rows, page.limit);
}
