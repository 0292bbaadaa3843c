/**
 * The compliance rules as SQLite's SQL over the whole registry (docs/compliance.md): each rule's check fills the
 * scratch table with what it finds now; the reconciliation with the stored findings is written once
 * (../compliance/queries.ts). Why these differ from PostgreSQL's: JSON is built with json_object and
 * json_group_array and read with json_extract / json_each, reported times are compared as julianday() values, and
 * a row found twice is dropped by INSERT OR IGNORE.
 */
import type { CompliancePlan, RuleCode } from '../../domain/safety/compliance.js';
import { checkComplianceWith } from '../compliance/queries.js';
import type { ComplianceWriter } from '../compliance/interface.js';
import type { QueriesOf } from '../sql/queries.js';
import type { Connection } from './connection.js';

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

/** Empties the scratch table (made on this connection's first run), then runs the plan's checks into it. */
async function scan(c: Connection, plan: CompliancePlan): Promise<void> {
  c.db.exec(SCRATCH);
  c.stmt('DELETE FROM temp.compliance_scan').run();
  for (const check of plan.checks)
    for (const sql of CHECKS[check.rule]) c.stmt(sql).run(...(sql.includes('?') ? [check.cutoff] : []));
}

export const writes: Pick<QueriesOf<ComplianceWriter, Connection>, 'checkCompliance'> = {
  checkCompliance: checkComplianceWith(scan),
};
