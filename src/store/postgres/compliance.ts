/**
 * The compliance rules as SQL over the whole registry (docs/compliance.md), as in the SQLite adapter: each rule's
 * check fills a scratch table with what it finds now, then three statements reconcile the stored findings with it.
 * Statements on the scratch table are not prepared: it is a temporary table of this session.
 */
import type { CompliancePlan, RuleCode } from '../../domain/safety/compliance.js';
import type { ComplianceFinding, ComplianceRunOutcome, FindingFilter, Page, PageRequest } from '../store.js';
import type { Connection } from './connection.js';
import { toFindingPage, toOpened, type FindingRow, type OpenedRow } from '../rows.js';

const SCRATCH = `CREATE TEMP TABLE IF NOT EXISTS compliance_scan (
  rule TEXT NOT NULL, org_id TEXT NOT NULL, robot_id TEXT COLLATE "C", key TEXT COLLATE "C" NOT NULL,
  detail TEXT NOT NULL, PRIMARY KEY (rule, org_id, key)) ON COMMIT DELETE ROWS`;

const INTO = 'INSERT INTO pg_temp.compliance_scan (rule, org_id, robot_id, key, detail)';
const SKIP_TWICE = 'ON CONFLICT DO NOTHING';

/**
 * Each rule's statements: `$1`, where there is one, is the check's cutoff (ISO instant, UTC). Reported times keep
 * their offsets, so they are compared as timestamptz, never as text.
 */
const CHECKS: Record<RuleCode, string[]> = {
  'late-reports': [
    `${INTO} SELECT 'late-reports', e.org_id, e.robot_id, e.robot_id || '/' || e.event_id,
       jsonb_build_object('eventId', e.event_id, 'type', e.type, 'eventTime', e.event_time,
                          'recordTime', e.record_time)::text
     FROM events e WHERE e.late AND e.record_time >= $1 ${SKIP_TWICE}`,
  ],
  // Once for the custodian, once for the manufacturer (the scratch key drops the second when they are one).
  'certification-expired': ['s.custodian_id', "s.status::jsonb ->> 'manufacturerId'"].map(
    (org) => `${INTO} SELECT 'certification-expired', ${org}, s.robot_id, s.robot_id,
       jsonb_build_object('state', s.state,
         'reason', CASE WHEN jsonb_typeof(s.status::jsonb -> 'certification') IS DISTINCT FROM 'object' THEN 'none'
                        WHEN s.status::jsonb #>> '{certification,result}' = 'fail' THEN 'failed'
                        ELSE 'expired' END,
         'certificateNumber', s.status::jsonb #>> '{certification,certificateNumber}',
         'validUntil', s.status::jsonb #>> '{certification,validUntil}')::text
     FROM robot_status s
     WHERE s.state IN ('sold', 'in_use')
       AND (s.certified_until IS NULL OR s.certified_until::timestamptz < $1::timestamptz) ${SKIP_TWICE}`,
  ),
  'service-overdue': [
    `${INTO} SELECT 'service-overdue', s.custodian_id, s.robot_id, s.robot_id,
       jsonb_build_object('lastServicedAt', s.last_serviced_at, 'activatedAt', s.activated_at)::text
     FROM robot_status s
     WHERE s.state = 'in_use'
       AND coalesce(s.last_serviced_at, s.activated_at)::timestamptz < $1::timestamptz ${SKIP_TWICE}`,
  ],
  'not-seen': [
    `${INTO} SELECT 'not-seen', s.custodian_id, s.robot_id, s.robot_id,
       jsonb_build_object('state', s.state, 'lastEventAt', s.last_event_at)::text
     FROM robot_status s
     WHERE s.state NOT IN ('recycled', 'exported') AND s.last_event_at::timestamptz < $1::timestamptz ${SKIP_TWICE}`,
  ],
  // Parts still fitted (removed_seq NULL) are those fitted at decommissioning: nothing is serviced after it. A part
  // is accounted for by part number and serial, else by part number and lot, else by part number.
  'recycling-incomplete': [
    `${INTO} SELECT 'recycling-incomplete', e.org_id, s.robot_id, s.robot_id,
       jsonb_build_object('eventId', e.event_id, 'recycledAt', e.event_time, 'missing', jsonb_agg(
         jsonb_build_object('kind', c.kind, 'position', c.position, 'partNumber', c.part_number,
                            'serial', c.serial, 'lot', c.lot) ORDER BY c.fitted_seq, c.ordinal))::text
     FROM robot_status s
     JOIN LATERAL (SELECT x.org_id, x.event_id, x.event_time, x.payload FROM events x
                   WHERE x.robot_id = s.robot_id AND x.type = 'recycled' ORDER BY x.seq DESC LIMIT 1) e ON true
     JOIN robot_components c ON c.robot_id = s.robot_id AND c.removed_seq IS NULL
     WHERE s.state = 'recycled'
       AND NOT EXISTS (
         SELECT 1 FROM jsonb_array_elements(e.payload::jsonb -> 'components') j
         WHERE j ->> 'partNumber' = c.part_number
           AND CASE WHEN c.serial IS NOT NULL THEN j ->> 'serial' IS NOT DISTINCT FROM c.serial
                    WHEN c.lot IS NOT NULL THEN j ->> 'lot' IS NOT DISTINCT FROM c.lot
                    ELSE true END)
     GROUP BY s.robot_id, e.org_id, e.event_id, e.event_time ${SKIP_TWICE}`,
  ],
  'never-placed': [
    `${INTO} SELECT 'never-placed', s.status::jsonb ->> 'manufacturerId', s.robot_id, s.robot_id,
       jsonb_build_object('state', s.state, 'productionDate', s.production_date,
                          'lastEventAt', s.last_event_at)::text
     FROM robot_status s
     WHERE s.state IN ('manufactured', 'certified') AND s.last_event_at::timestamptz < $1::timestamptz
     ${SKIP_TWICE}`,
  ],
};

/** An open finding was seen last by the latest run; a resolved one by the run before its resolution. */
const FINDING_COLUMNS = `id, rule, org_id, robot_id, key, detail, first_seen, resolved_at,
  CASE WHEN resolved_at IS NULL THEN coalesce((SELECT max(at) FROM compliance_runs), last_seen)
       ELSE last_seen END AS last_seen`;

const openedCount = (outcome: ComplianceRunOutcome) => outcome.opened.reduce((sum, g) => sum + g.count, 0);

const OPEN_MATCH = `SELECT 1 FROM compliance_findings f
  WHERE f.resolved_at IS NULL AND f.rule = s.rule AND f.org_id = s.org_id AND f.key = s.key`;

const count = async (c: Connection, sql: string, values: unknown[]) =>
  Number(
    (
      await c.adHocRows<{ n: string }>(
        `WITH done AS (${sql} RETURNING 1) SELECT count(*) AS n FROM done`,
        values,
      )
    )[0]!.n,
  );

export async function checkCompliance(c: Connection, plan: CompliancePlan): Promise<ComplianceRunOutcome> {
  await c.exec(SCRATCH);
  await c.exec('DELETE FROM pg_temp.compliance_scan');
  for (const check of plan.checks)
    for (const sql of CHECKS[check.rule]) await c.adHocRows(sql, sql.includes('$1') ? [check.cutoff] : []);

  const previous =
    (await c.row<{ at: string | null }>('SELECT max(at) AS at FROM compliance_runs'))?.at ?? null;
  // A finding kept as it was costs no write: its last_seen is the latest run's (compliance_runs).
  await c.adHocRows(
    `UPDATE compliance_findings f SET detail = s.detail
     FROM pg_temp.compliance_scan s
     WHERE f.resolved_at IS NULL AND f.rule = s.rule AND f.org_id = s.org_id AND f.key = s.key
       AND f.detail IS DISTINCT FROM s.detail`,
    [],
  );
  const kept = Number(
    (
      await c.adHocRows<{ n: string }>(
        `SELECT count(*) AS n FROM pg_temp.compliance_scan s WHERE EXISTS (${OPEN_MATCH})`,
        [],
      )
    )[0]!.n,
  );
  const opened = await c.adHocRows<OpenedRow>(
    `SELECT rule, org_id, robot_id, n FROM (
       SELECT s.rule, s.org_id, s.robot_id, count(*) OVER (PARTITION BY s.rule, s.org_id) AS n,
              row_number() OVER (PARTITION BY s.rule, s.org_id ORDER BY s.robot_id, s.key) AS place
       FROM pg_temp.compliance_scan s WHERE NOT EXISTS (${OPEN_MATCH})) o
     WHERE place <= 20 ORDER BY org_id, rule, place`,
    [],
  );
  await c.adHocRows(
    `INSERT INTO compliance_findings (id, rule, org_id, robot_id, key, detail, first_seen, last_seen)
     SELECT (SELECT coalesce(max(id), 0) FROM compliance_findings)
              + row_number() OVER (ORDER BY s.rule, s.org_id, s.key),
            s.rule, s.org_id, s.robot_id, s.key, s.detail, $1, $1
     FROM pg_temp.compliance_scan s WHERE NOT EXISTS (${OPEN_MATCH})`,
    [plan.at],
  );
  const resolved = await count(
    c,
    `UPDATE compliance_findings f SET resolved_at = $1, last_seen = coalesce($2, f.last_seen)
     WHERE f.resolved_at IS NULL AND NOT EXISTS (
       SELECT 1 FROM pg_temp.compliance_scan s WHERE s.rule = f.rule AND s.org_id = f.org_id AND s.key = f.key)`,
    [plan.at, previous],
  );
  await c.exec('DELETE FROM pg_temp.compliance_scan');
  const result = { opened: toOpened(opened), kept, resolved };
  await c.run(
    `INSERT INTO compliance_runs (at, opened, kept, resolved) VALUES ($1, $2, $3, $4)
     ON CONFLICT (at) DO UPDATE SET opened = compliance_runs.opened + excluded.opened, kept = excluded.kept,
       resolved = compliance_runs.resolved + excluded.resolved`,
    [plan.at, openedCount(result), kept, resolved],
  );
  return result;
}

export async function listComplianceFindings(
  c: Connection,
  filter: FindingFilter,
  page: PageRequest,
): Promise<Page<ComplianceFinding>> {
  // With a rule, the (org_id, rule, id) index gives the rows in order: no sort of an organisation's findings.
  const rows = await c.rows<FindingRow>(
    `SELECT ${FINDING_COLUMNS} FROM compliance_findings
     WHERE org_id = $1 AND ${filter.rule === undefined ? '' : 'rule = $6 AND '}id > $2
       AND CASE WHEN $3 THEN resolved_at IS NULL ELSE resolved_at >= $4 END
     ORDER BY id LIMIT $5`,
    [
      filter.orgId,
      page.after,
      filter.open,
      filter.resolvedSince ?? '',
      page.limit + 1,
      ...(filter.rule === undefined ? [] : [filter.rule]),
    ],
  );
  return toFindingPage(rows, page.limit);
}

export async function countComplianceFindings(
  c: Connection,
  filter: Omit<FindingFilter, 'rule'>,
): Promise<Map<RuleCode, number>> {
  const rows = await c.rows<{ rule: RuleCode; n: string }>(
    `SELECT rule, count(*) AS n FROM compliance_findings
     WHERE org_id = $1 AND CASE WHEN $2 THEN resolved_at IS NULL ELSE resolved_at >= $3 END
     GROUP BY rule`,
    [filter.orgId, filter.open, filter.resolvedSince ?? ''],
  );
  return new Map(rows.map((r) => [r.rule, Number(r.n)]));
}
