/**
 * What the incident list and the trends share: the filter as SQL conditions, and the parts fitted when an incident
 * happened.
 *
 * The parts fitted in the robot when it happened are not copied with the incident: they are the rows of
 * robot_components fitted before the report (an incident's id is its report's seq) and not removed by then
 * (`fittedThen`). incident_parts holds only the parts the report named.
 */
import type { Dialect } from '../sql/db.js';
import type { IncidentFilter } from './interface.js';

/**
 * The parts `k` (robot_components) fitted in incident `i`'s robot when it happened: fitted by an event before
 * the report and not removed by one before it. Corrections change robot_components only from their own seq on,
 * so this is the robot's status after the report, as it was then.
 */
export const fittedThen = (k: string, i: string) =>
  `${k}.robot_id = ${i}.robot_id AND ${k}.fitted_seq < ${i}.id
   AND (${k}.removed_seq IS NULL OR ${k}.removed_seq > ${i}.id)`;

/** The robot's current operator, from `s` (its robot_status row's snapshot). */
const operatorOf = (d: Dialect) => d.jsonText('s.status', 'operatorId');

/** The joined robot's current holder and operator, for the access policy. */
export const holderColumns = (d: Dialect) =>
  `s.custodian_id AS holder_id, ${operatorOf(d)} AS holder_operator_id`;

/**
 * A filter's conditions on `i` (incidents) and, for `scopeOrgId`, `s` (the robot's status, joined); their values
 * are pushed onto `values` in the order of their placeholders.
 */
export function incidentWhere(filter: IncidentFilter, d: Dialect, values: unknown[]): string[] {
  const conditions: string[] = [];
  const add = (sql: string, ...given: unknown[]) => {
    values.push(...given);
    conditions.push(sql);
  };
  if (filter.includeWithdrawn !== true) conditions.push('i.withdrawn_seq IS NULL');
  if (filter.manufacturerId !== undefined) add('i.manufacturer_id = ?', filter.manufacturerId);
  if (filter.scopeManufacturerId !== undefined) add('i.manufacturer_id = ?', filter.scopeManufacturerId);
  if (filter.model !== undefined) add('i.model = ?', filter.model);
  if (filter.robotId !== undefined) add('i.robot_id = ?', filter.robotId);
  if (filter.state !== undefined) add('i.state = ?', filter.state);
  if (filter.category !== undefined) add('i.category = ?', filter.category);
  if (filter.severity !== undefined) add('i.severity = ?', filter.severity);
  if (filter.from !== undefined) add('i.event_time >= ?', filter.from);
  if (filter.to !== undefined) add('i.event_time < ?', filter.to);
  // A part named in the report or one fitted then; the second read from robot_components' lot or part index and
  // joined to that robot's incidents (incidents_by_event leads with robot_id), not tested incident by incident.
  const partTests: [string, unknown][] = [];
  if (filter.lot !== undefined) partTests.push(['lot', filter.lot]);
  if (filter.partNumber !== undefined) partTests.push(['part_number', filter.partNumber]);
  if (partTests.length > 0) {
    const on = (alias: string) => partTests.map(([column]) => `${alias}.${column} = ?`).join(' AND ');
    const given = partTests.map(([, value]) => value);
    add(
      `i.id IN (SELECT p.incident_id FROM incident_parts p WHERE ${on('p')}
        UNION ALL SELECT i2.id FROM robot_components k JOIN incidents i2 ON ${fittedThen('k', 'i2')}
        WHERE ${on('k')})`,
      ...given,
      ...given,
    );
  }
  if (filter.software !== undefined) {
    add(
      'i.id IN (SELECT incident_id FROM incident_software WHERE target = ? AND version = ?)',
      filter.software.target,
      filter.software.version,
    );
  }
  if (filter.scopeOrgId !== undefined) {
    const org = filter.scopeOrgId;
    // The operator is read from the status snapshot's JSON; a plain substring test first spares parsing the
    // snapshots of robots that are not the caller's (most of them).
    add(
      `(i.manufacturer_id = ? OR s.custodian_id = ? OR (s.status LIKE ? AND ${operatorOf(d)} = ?))`,
      org,
      org,
      `%"operatorId":"${org}"%`,
      org,
    );
  }
  return conditions;
}

/** `WHERE` and the conditions, or nothing. */
export const whereOf = (conditions: string[]) =>
  conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
