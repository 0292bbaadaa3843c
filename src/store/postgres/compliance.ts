/**
 * The compliance rules as PostgreSQL's SQL over the whole registry (docs/compliance.md): each rule's check fills the
 * scratch table with what it finds now; the reconciliation with the stored findings is written once
 * (../compliance/queries.ts). Why these differ from SQLite's: JSON is built with jsonb_build_object and jsonb_agg
 * and read with ->> / jsonb_array_elements, reported times are compared as timestamptz, the latest recycling event
 * is a LATERAL join, and a row found twice is dropped by ON CONFLICT DO NOTHING. The checks are not prepared: each runs
 * once a run, into a temporary table of the session.
 */
import type { CompliancePlan, RuleCode } from '../../domain/safety/compliance.js';
import { checkComplianceWith } from '../compliance/queries.js';
import type { ComplianceWriter } from '../compliance/interface.js';
import type { QueriesOf } from '../sql/queries.js';
import type { Connection } from './connection.js';

// Per session; its rows go at each commit, and it is emptied at the start of each run too.
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

/** Empties the scratch table (made on this session's first run), then runs the plan's checks into it. */
async function scan(c: Connection, plan: CompliancePlan): Promise<void> {
  await c.exec(SCRATCH);
  await c.exec('DELETE FROM pg_temp.compliance_scan');
  for (const check of plan.checks)
    for (const sql of CHECKS[check.rule]) await c.adHocRows(sql, sql.includes('$1') ? [check.cutoff] : []);
}

export const writes: Pick<QueriesOf<ComplianceWriter, Connection>, 'checkCompliance'> = {
  checkCompliance: checkComplianceWith(scan),
};
