import type { Page, PageRequest, ReadAuditEntry, ReadAuditFilter, ReadAuditRecord } from '../store.js';
import type { Connection } from './connection.js';
import { readAuditWhere, toReadAuditPage, type ReadAuditRow } from '../rows.js';

/**
 * The records in one statement, sent as one JSON array (as events are). Ids continue after the largest so far in
 * the given order: the writers' lock, held by every unit of work, makes max(id) safe to read, and a copy of the
 * table (migrate-store) needs no sequence set after it.
 */
const INSERT_READS = `
  INSERT INTO read_audit (id, at, org_id, key_id, robot_id, query, classes, purpose, outcome)
  SELECT (SELECT coalesce(max(id), 0) FROM read_audit) + e.n, e.a, e.o, e.k, e.r, e.q, e.c, e.p, e.x
  FROM json_to_recordset($1::json)
    AS e(n bigint, a text, o text, k text, r text, q text, c text, p text, x text)`;

export async function insertReadAudit(c: Connection, entries: ReadAuditRecord[]): Promise<void> {
  if (entries.length === 0) return;
  await c.run(INSERT_READS, [
    JSON.stringify(
      entries.map((e, place) => ({
        n: place + 1,
        a: e.at,
        o: e.orgId,
        k: e.keyId,
        r: e.robotId,
        q: e.query,
        c: e.classes.join(','),
        p: e.purpose,
        x: e.outcome,
      })),
    ),
  ]);
}

export async function listReadAudit(
  c: Connection,
  filter: ReadAuditFilter,
  page: PageRequest,
): Promise<Page<ReadAuditEntry>> {
  const { where, values } = readAuditWhere(filter, page.after, (n) => `$${n}`);
  const rows = await c.rows<ReadAuditRow>(
    `SELECT * FROM read_audit ${where} ORDER BY id DESC LIMIT $${values.length + 1}`,
    [...values, page.limit + 1],
  );
  return toReadAuditPage(rows, page.limit);
}
