/**
 * The compliance rules as SQL over the whole registry (docs/compliance.md): each rule's check fills a scratch table
 * with what it finds now, then three statements reconcile the stored findings with it. Set-based: the work is the
 * database's, whatever the number of robots; JavaScript only sees the newly opened groups.
 */
import type { CompliancePlan, RuleCode } from '../../domain/safety/compliance.js';
import type { ComplianceFinding, ComplianceRunOutcome, FindingFilter, Page, PageRequest } from '../store.js';
import type { Connection } from './connection.js';
import { toFindingPage, toOpened, type FindingRow, type OpenedRow } from '../rows.js';

// Per connection, emptied at the start of each run (the writer connection runs one unit of work at a time).
const SCRATCH = `CREATE TEMP TABLE IF NOT EXISTS compliance_scan (
  rule TEXT NOT NULL, org_id TEXT NOT NULL, robot_id TEXT, key TEXT NOT NULL, detail TEXT NOT NULL,
  PRIMARY KEY (rule, org_id, key)) WITHOUT ROWID`;

const INTO = 'INSERT OR IGNORE INTO temp.compliance_scan (rule, org_id, robot_id, key, detail)';

/**
 * Each rule's statements: `?`, where there is one, is the check's cutoff (ISO instant, UTC). Reported times keep
 * their offsets, so they are compared as julianday() values, never as text.
 */
const CHECKS: Record<RuleCode, string[]> = {
  'late-reports': [
    `${INTO} SELECT 'late-reports', e.org_id, e.robot_id, e.robot_id || '/' || e.event_id,
       json_object('eventId', e.event_id, 'type', e.type, 'eventTime', e.event_time, 'recordTime', e.record_time)
     FROM events e WHERE e.late = 1 AND e.record_time >= ?`,
  ],
  // Once for the custodian, once for the manufacturer (the scratch key drops the second when they are one).
  'certification-expired': ['s.custodian_id', "json_extract(s.status, '$.manufacturerId')"].map(
    (org) => `${INTO} SELECT 'certification-expired', ${org}, s.robot_id, s.robot_id,
       json_object('state', s.state,
         'reason', CASE WHEN json_type(s.status, '$.certification') IS NOT 'object' THEN 'none'
                        WHEN json_extract(s.status, '$.certification.result') = 'fail' THEN 'failed'
                        ELSE 'expired' END,
         'certificateNumber', json_extract(s.status, '$.certification.certificateNumber'),
         'validUntil', json_extract(s.status, '$.certification.validUntil'))
     FROM robot_status s
     WHERE s.state IN ('sold', 'in_use')
       AND (s.certified_until IS NULL OR julianday(s.certified_until) < julianday(?))`,
  ),
  'service-overdue': [
    `${INTO} SELECT 'service-overdue', s.custodian_id, s.robot_id, s.robot_id,
       json_object('lastServicedAt', s.last_serviced_at, 'activatedAt', s.activated_at)
     FROM robot_status s
     WHERE s.state = 'in_use' AND julianday(coalesce(s.last_serviced_at, s.activated_at)) < julianday(?)`,
  ],
  'not-seen': [
    `${INTO} SELECT 'not-seen', s.custodian_id, s.robot_id, s.robot_id,
       json_object('state', s.state, 'lastEventAt', s.last_event_at)
     FROM robot_status s
     WHERE s.state NOT IN ('recycled', 'exported') AND julianday(s.last_event_at) < julianday(?)`,
  ],
  // Parts still fitted (removed_seq NULL) are those fitted at decommissioning: nothing is serviced after it. A part
  // is accounted for by part number and serial, else by part number and lot, else by part number.
  'recycling-incomplete': [
    `${INTO} SELECT 'recycling-incomplete', e.org_id, s.robot_id, s.robot_id,
       json_object('eventId', e.event_id, 'recycledAt', e.event_time, 'missing', json_group_array(
         json_object('kind', c.kind, 'position', c.position, 'partNumber', c.part_number,
                     'serial', c.serial, 'lot', c.lot)))
     FROM robot_status s
     JOIN events e ON e.seq = (SELECT max(x.seq) FROM events x WHERE x.robot_id = s.robot_id AND x.type = 'recycled')
     JOIN robot_components c ON c.robot_id = s.robot_id AND c.removed_seq IS NULL
     WHERE s.state = 'recycled'
       AND NOT EXISTS (
         SELECT 1 FROM json_each(e.payload, '$.components') j
         WHERE json_extract(j.value, '$.partNumber') = c.part_number
           AND CASE WHEN c.serial IS NOT NULL THEN json_extract(j.value, '$.serial') IS c.serial
                    WHEN c.lot IS NOT NULL THEN json_extract(j.value, '$.lot') IS c.lot
                    ELSE 1 END)
     GROUP BY s.robot_id, e.org_id, e.event_id, e.event_time`,
  ],
  'never-placed': [
    `${INTO} SELECT 'never-placed', json_extract(s.status, '$.manufacturerId'), s.robot_id, s.robot_id,
       json_object('state', s.state, 'productionDate', s.production_date, 'lastEventAt', s.last_event_at)
     FROM robot_status s
     WHERE s.state IN ('manufactured', 'certified') AND julianday(s.last_event_at) < julianday(?)`,
  ],
};

/** An open finding was seen last by the latest run; a resolved one by the run before its resolution. */
const FINDING_COLUMNS = `id, rule, org_id, robot_id, key, detail, first_seen, resolved_at,
  CASE WHEN resolved_at IS NULL THEN coalesce((SELECT max(at) FROM compliance_runs), last_seen)
       ELSE last_seen END AS last_seen`;

const openedCount = (outcome: ComplianceRunOutcome) => outcome.opened.reduce((sum, g) => sum + g.count, 0);

const OPEN_MATCH = `SELECT 1 FROM compliance_findings f
  WHERE f.resolved_at IS NULL AND f.rule = s.rule AND f.org_id = s.org_id AND f.key = s.key`;

export function checkCompliance(c: Connection, plan: CompliancePlan): ComplianceRunOutcome {
  c.db.exec(SCRATCH);
  c.stmt('DELETE FROM temp.compliance_scan').run();
  for (const check of plan.checks)
    for (const sql of CHECKS[check.rule]) c.stmt(sql).run(...(sql.includes('?') ? [check.cutoff] : []));

  const previous = (c.stmt('SELECT max(at) AS at FROM compliance_runs').get() as { at: string | null }).at;
  // A finding kept as it was costs no write: its last_seen is the latest run's (compliance_runs).
  c.stmt(
    `UPDATE compliance_findings AS f SET detail = s.detail
     FROM temp.compliance_scan s
     WHERE f.resolved_at IS NULL AND f.rule = s.rule AND f.org_id = s.org_id AND f.key = s.key
       AND f.detail IS NOT s.detail`,
  ).run();
  const kept = (
    c.stmt(`SELECT count(*) AS n FROM temp.compliance_scan s WHERE EXISTS (${OPEN_MATCH})`).get() as {
      n: number;
    }
  ).n;
  const opened = c
    .stmt(
      `SELECT rule, org_id, robot_id, n FROM (
         SELECT s.rule, s.org_id, s.robot_id, count(*) OVER (PARTITION BY s.rule, s.org_id) AS n,
                row_number() OVER (PARTITION BY s.rule, s.org_id ORDER BY s.robot_id, s.key) AS place
         FROM temp.compliance_scan s WHERE NOT EXISTS (${OPEN_MATCH}))
       WHERE place <= 20 ORDER BY org_id, rule, place`,
    )
    .all() as OpenedRow[];
  c.stmt(
    `INSERT INTO compliance_findings (rule, org_id, robot_id, key, detail, first_seen, last_seen)
     SELECT s.rule, s.org_id, s.robot_id, s.key, s.detail, ?, ? FROM temp.compliance_scan s
     WHERE NOT EXISTS (${OPEN_MATCH}) ORDER BY s.rule, s.org_id, s.key`,
  ).run(plan.at, plan.at);
  const resolved = c
    .stmt(
      `UPDATE compliance_findings SET resolved_at = ?, last_seen = coalesce(?, last_seen)
       WHERE resolved_at IS NULL AND NOT EXISTS (
         SELECT 1 FROM temp.compliance_scan s WHERE s.rule = compliance_findings.rule
           AND s.org_id = compliance_findings.org_id AND s.key = compliance_findings.key)`,
    )
    .run(plan.at, previous).changes;
  c.stmt('DELETE FROM temp.compliance_scan').run();
  const result = { opened: toOpened(opened), kept, resolved };
  c.stmt(
    `INSERT INTO compliance_runs (at, opened, kept, resolved) VALUES (?, ?, ?, ?)
     ON CONFLICT (at) DO UPDATE SET opened = opened + excluded.opened, kept = excluded.kept,
       resolved = resolved + excluded.resolved`,
  ).run(plan.at, openedCount(result), kept, resolved);
  return result;
}

export function listComplianceFindings(
  c: Connection,
  filter: FindingFilter,
  page: PageRequest,
): Page<ComplianceFinding> {
  // With a rule, the (org_id, rule) index gives the rows in id order: no sort of an organisation's findings.
  const rows = c
    .stmt(
      `SELECT ${FINDING_COLUMNS} FROM compliance_findings
       WHERE org_id = ? AND ${filter.rule === undefined ? '' : 'rule = ? AND '}id > ?
         AND CASE WHEN ? THEN resolved_at IS NULL ELSE resolved_at >= ? END
       ORDER BY id LIMIT ?`,
    )
    .all(
      filter.orgId,
      ...(filter.rule === undefined ? [] : [filter.rule]),
      page.after,
      filter.open ? 1 : 0,
      filter.resolvedSince ?? '',
      page.limit + 1,
    ) as FindingRow[];
  return toFindingPage(rows, page.limit);
}

export function countComplianceFindings(
  c: Connection,
  filter: Omit<FindingFilter, 'rule'>,
): Map<RuleCode, number> {
  const rows = c
    .stmt(
      `SELECT rule, count(*) AS n FROM compliance_findings
       WHERE org_id = ? AND CASE WHEN ? THEN resolved_at IS NULL ELSE resolved_at >= ? END
       GROUP BY rule`,
    )
    .all(filter.orgId, filter.open ? 1 : 0, filter.resolvedSince ?? '') as { rule: RuleCode; n: number }[];
  return new Map(rows.map((r) => [r.rule, r.n]));
}
