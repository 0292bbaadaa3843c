import type { DataClass } from '../../domain/policy/table.js';
import type { Db } from '../sql/db.js';
import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import type {
  ReadAuditEntry,
  ReadAuditFilter,
  ReadAuditReader,
  ReadAuditRecord,
  ReadAuditWriter,
} from './interface.js';

interface ReadAuditRow {
  id: number;
  at: string;
  org_id: string | null;
  key_id: string | null;
  robot_id: string | null;
  query: string | null;
  /** The data classes, comma-joined ('' for none). */
  classes: string;
  purpose: ReadAuditRecord['purpose'];
  outcome: ReadAuditRecord['outcome'];
}

const toReadAuditEntry = (r: ReadAuditRow): ReadAuditEntry => ({
  id: r.id,
  at: r.at,
  orgId: r.org_id,
  keyId: r.key_id,
  robotId: r.robot_id,
  query: r.query,
  classes: r.classes === '' ? [] : (r.classes.split(',') as DataClass[]),
  purpose: r.purpose,
  outcome: r.outcome,
});

/**
 * The WHERE clause of a read-audit page, with only the conditions asked for (so that each shape is planned for
 * its own index). The shapes are few (one per set of filters), so each is kept as a prepared statement.
 */
function readAuditWhere(filter: ReadAuditFilter, after: number): { where: string; values: unknown[] } {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    conditions.push(sql);
    values.push(value);
  };
  if (after > 0) add('id < ?', after);
  if (filter.robotId !== undefined) add('robot_id = ?', filter.robotId);
  if (filter.orgId !== undefined) add('org_id = ?', filter.orgId);
  if (filter.purpose !== undefined) add('purpose = ?', filter.purpose);
  if (filter.outcome !== undefined) add('outcome = ?', filter.outcome);
  if (filter.from !== undefined) add('at >= ?', filter.from);
  if (filter.to !== undefined) add('at < ?', filter.to);
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', values };
}

export const reads: QueriesOf<ReadAuditReader> = {
  async listReadAudit(db, filter, page) {
    const { where, values } = readAuditWhere(filter, page.after);
    const rows = await db.all<ReadAuditRow>(`SELECT * FROM read_audit ${where} ORDER BY id DESC LIMIT ?`, [
      ...values,
      page.limit + 1,
    ]);
    return pageOf(rows, page.limit, toReadAuditEntry, (row) => row.id);
  },
};

/**
 * The records in one statement, sent as one JSON array. Ids continue after the largest so far in the given order:
 * the writers' lock, held by every unit of work, makes max(id) safe to read, and a copy of the table
 * (migrate-store) needs no sequence set after it.
 */
const insertReads = (db: Db) => `
  INSERT INTO read_audit (id, at, org_id, key_id, robot_id, query, classes, purpose, outcome)
  SELECT (SELECT coalesce(max(id), 0) FROM read_audit) + e.n,
    e.at, e.org_id, e.key_id, e.robot_id, e.query, e.classes, e.purpose, e.outcome
  FROM ${db.dialect.jsonRecords('e', {
    n: 'integer',
    at: 'text',
    org_id: 'text',
    key_id: 'text',
    robot_id: 'text',
    query: 'text',
    classes: 'text',
    purpose: 'text',
    outcome: 'text',
  })}`;

export const writes: QueriesOf<ReadAuditWriter> = {
  async insertReadAudit(db, entries) {
    if (entries.length === 0) return;
    const records = entries.map((e, place) => ({
      n: place + 1,
      at: e.at,
      org_id: e.orgId,
      key_id: e.keyId,
      robot_id: e.robotId,
      query: e.query,
      classes: e.classes.join(','),
      purpose: e.purpose,
      outcome: e.outcome,
    }));
    await db.run(insertReads(db), [JSON.stringify(records)]);
  },
};
