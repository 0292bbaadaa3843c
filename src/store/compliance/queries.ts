/**
 * Compliance findings, and the reconciliation half of `checkCompliance` (docs/compliance.md). The rules themselves
 * are each dialect's own SQL (src/store/<dialect>/compliance.ts: JSON building, instants and JSON arrays are spelt
 * apart in every line): they fill the session's temporary table `compliance_scan` with what they find now, then the
 * statements here reconcile the stored findings with it. Set-based: the work is the database's, whatever the number
 * of robots; JavaScript only sees the newly opened groups.
 */
import type { CompliancePlan, RuleCode } from '../../domain/safety/compliance.js';
import type { Db } from '../sql/db.js';
import { pageOf } from '../sql/page.js';
import type { QueriesOf } from '../sql/queries.js';
import type {
  ComplianceFinding,
  ComplianceReader,
  ComplianceRunOutcome,
  ComplianceWriter,
  OpenedFindings,
} from './interface.js';

export interface FindingRow {
  id: number;
  rule: string;
  org_id: string;
  robot_id: string | null;
  key: string;
  detail: string;
  first_seen: string;
  last_seen: string;
  resolved_at: string | null;
}

export const toFinding = (row: FindingRow): ComplianceFinding => ({
  id: row.id,
  rule: row.rule as RuleCode,
  orgId: row.org_id,
  robotId: row.robot_id,
  key: row.key,
  detail: JSON.parse(row.detail) as Record<string, unknown>,
  firstSeen: row.first_seen,
  lastSeen: row.last_seen,
  resolvedAt: row.resolved_at,
});

interface OpenedRow {
  rule: string;
  org_id: string;
  robot_id: string | null;
  n: number;
}

/** Newly opened findings per rule and organisation, from rows of (rule, org, one of its first robots, count). */
function toOpened(rows: OpenedRow[]): OpenedFindings[] {
  const groups = new Map<string, OpenedFindings>();
  for (const row of rows) {
    const key = `${row.rule}\u0000${row.org_id}`;
    let group = groups.get(key);
    if (!group) {
      group = { rule: row.rule as RuleCode, orgId: row.org_id, count: row.n, robotIds: [] };
      groups.set(key, group);
    }
    if (row.robot_id !== null) group.robotIds.push(row.robot_id);
  }
  return [...groups.values()];
}

/** An open finding was seen last by the latest run; a resolved one by the run before its resolution. */
export const FINDING_COLUMNS = `id, rule, org_id, robot_id, key, detail, first_seen, resolved_at,
  CASE WHEN resolved_at IS NULL THEN coalesce((SELECT max(at) FROM compliance_runs), last_seen)
       ELSE last_seen END AS last_seen`;

/** Open findings, or those resolved since: its parameters are `filter.open` and `filter.resolvedSince ?? ''`. */
const OPEN_OR_RESOLVED_SINCE = 'CASE WHEN ? THEN resolved_at IS NULL ELSE resolved_at >= ? END';

export const reads: QueriesOf<ComplianceReader> = {
  async listComplianceFindings(db, filter, page) {
    // With a rule, the (org_id, rule) index gives the rows in id order: no sort of an organisation's findings.
    const rows = await db.all<FindingRow>(
      `SELECT ${FINDING_COLUMNS} FROM compliance_findings
       WHERE org_id = ? AND ${filter.rule === undefined ? '' : 'rule = ? AND '}id > ?
         AND ${OPEN_OR_RESOLVED_SINCE}
       ORDER BY id LIMIT ?`,
      [
        filter.orgId,
        ...(filter.rule === undefined ? [] : [filter.rule]),
        page.after,
        filter.open,
        filter.resolvedSince ?? '',
        page.limit + 1,
      ],
    );
    return pageOf(rows, page.limit, toFinding, (row) => row.id);
  },

  async countComplianceFindings(db, filter) {
    const rows = await db.all<{ rule: RuleCode; n: number }>(
      `SELECT rule, count(*) AS n FROM compliance_findings
       WHERE org_id = ? AND ${OPEN_OR_RESOLVED_SINCE}
       GROUP BY rule`,
      [filter.orgId, filter.open, filter.resolvedSince ?? ''],
    );
    return new Map(rows.map((r) => [r.rule, r.n]));
  },
};

/** `checkCompliance` is each dialect's: its rules fill the scratch table, then `reconcileWith` runs (below). */
export const writes: Omit<QueriesOf<ComplianceWriter>, 'checkCompliance'> = {};

/**
 * Fills the session's temporary table `compliance_scan (rule, org_id, robot_id, key, detail)` with what the plan's
 * rules find now, one row per (rule, org_id, key), after emptying it: the dialect's own SQL.
 */
export type ComplianceScan<C extends Db> = (db: C, plan: CompliancePlan) => Promise<void>;

/** `checkCompliance` over a dialect's scan: the scan, then the reconciliation of the stored findings with it. */
export const checkComplianceWith =
  <C extends Db>(scan: ComplianceScan<C>) =>
  async (db: C, plan: CompliancePlan): Promise<ComplianceRunOutcome> => {
    await scan(db, plan);
    return reconcile(db, plan.at);
  };

/** A finding of the scan open already (the scan's row is `s`). */
const OPEN_MATCH = `SELECT 1 FROM compliance_findings f
  WHERE f.resolved_at IS NULL AND f.rule = s.rule AND f.org_id = s.org_id AND f.key = s.key`;

async function reconcile(db: Db, at: string): Promise<ComplianceRunOutcome> {
  const previous = (await db.get<{ at: string | null }>('SELECT max(at) AS at FROM compliance_runs'))?.at;
  // A finding kept as it was costs no write: its last_seen is the latest run's (compliance_runs).
  await db.run(
    `UPDATE compliance_findings AS f SET detail = s.detail
     FROM compliance_scan s
     WHERE f.resolved_at IS NULL AND f.rule = s.rule AND f.org_id = s.org_id AND f.key = s.key
       AND f.detail IS DISTINCT FROM s.detail`,
  );
  const kept = await db.get<{ n: number }>(
    `SELECT count(*) AS n FROM compliance_scan s WHERE EXISTS (${OPEN_MATCH})`,
  );
  const opened = toOpened(await openedNow(db));
  // Ids continue after the largest, in (rule, org, key) order: the writers' lock makes max + n safe.
  await db.run(
    `INSERT INTO compliance_findings (id, rule, org_id, robot_id, key, detail, first_seen, last_seen)
     SELECT (SELECT coalesce(max(id), 0) FROM compliance_findings)
              + row_number() OVER (ORDER BY s.rule, s.org_id, s.key),
            s.rule, s.org_id, s.robot_id, s.key, s.detail, ?, ?
     FROM compliance_scan s WHERE NOT EXISTS (${OPEN_MATCH})`,
    [at, at],
  );
  const { changes: resolved } = await db.run(
    `UPDATE compliance_findings SET resolved_at = ?, last_seen = coalesce(?, last_seen)
     WHERE resolved_at IS NULL AND NOT EXISTS (
       SELECT 1 FROM compliance_scan s WHERE s.rule = compliance_findings.rule
         AND s.org_id = compliance_findings.org_id AND s.key = compliance_findings.key)`,
    [at, previous ?? null],
  );
  await db.run('DELETE FROM compliance_scan');
  const outcome = { opened, kept: kept?.n ?? 0, resolved };
  await recordRun(db, at, outcome);
  return outcome;
}

/** Groups of findings not open yet, each with its count and its first 20 robots (by ID, in byte order). */
function openedNow(db: Db): Promise<OpenedRow[]> {
  const { byteOrder } = db.dialect;
  return db.all<OpenedRow>(
    `SELECT rule, org_id, robot_id, n FROM (
       SELECT s.rule, s.org_id, s.robot_id, count(*) OVER (PARTITION BY s.rule, s.org_id) AS n,
              row_number() OVER (PARTITION BY s.rule, s.org_id
                                 ORDER BY ${byteOrder('s.robot_id')}, ${byteOrder('s.key')}) AS place
       FROM compliance_scan s WHERE NOT EXISTS (${OPEN_MATCH})) o
     WHERE place <= 20 ORDER BY org_id, rule, place`,
  );
}

/** The run's counts; a second run at the same instant adds to the first's (and its kept count stands). */
async function recordRun(db: Db, at: string, outcome: ComplianceRunOutcome): Promise<void> {
  const opened = outcome.opened.reduce((sum, g) => sum + g.count, 0);
  await db.run(
    `INSERT INTO compliance_runs (at, opened, kept, resolved) VALUES (?, ?, ?, ?)
     ON CONFLICT (at) DO UPDATE SET opened = compliance_runs.opened + excluded.opened, kept = excluded.kept,
       resolved = compliance_runs.resolved + excluded.resolved`,
    [at, opened, outcome.kept, outcome.resolved],
  );
}
