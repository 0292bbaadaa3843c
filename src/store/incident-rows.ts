/**
 * Incidents' rows and SQL shared by both adapters: the column mapping, the filter (which both the list and the
 * trends use) and the trend queries. The dialects differ only in placeholders, in how the robot's current
 * operator is read from its status snapshot and in how text is put in byte order, which the callers pass in.
 *
 * The parts fitted in the robot when it happened are not copied with the incident: they are the rows of
 * robot_components fitted before the report (an incident's id is its report's seq) and not removed by then
 * (`fittedThen`). incident_parts holds only the parts the report named.
 */
import type { IncidentAttachment, SoftwareVersion } from '../domain/lifecycle/events.js';
import type {
  IncidentCategory,
  IncidentPart,
  IncidentSeverity,
  IncidentSource,
  TriageState,
} from '../domain/safety/incidents.js';
import type {
  IncidentFilter,
  IncidentSummary,
  IncidentTrend,
  NewIncident,
  Page,
  TriageEntry,
  TrendRequest,
} from './store.js';

export interface IncidentRow {
  id: number;
  robot_id: string;
  event_id: string;
  model: string;
  manufacturer_id: string;
  category: string;
  severity: string;
  injuries: number | null;
  region: string | null;
  event_time: string;
  month: string;
  record_time: string;
  reported_by: string;
  source: string;
  operator_id: string | null;
  description: string | null;
  attachments: string;
  state: string;
  root_cause: string | null;
  withdrawn_seq: number | null;
  withdrawn_at: string | null;
  holder_id: string;
  holder_operator_id: string | null;
}

export const INCIDENT_COLUMNS = [
  'id',
  'robot_id',
  'event_id',
  'model',
  'manufacturer_id',
  'category',
  'severity',
  'injuries',
  'region',
  'event_time',
  'month',
  'record_time',
  'reported_by',
  'source',
  'operator_id',
  'description',
  'attachments',
  'state',
] as const;

/** A new incident's values in the order of INCIDENT_COLUMNS. */
export const incidentValues = (i: NewIncident) => [
  i.id,
  i.robotId,
  i.eventId,
  i.model,
  i.manufacturerId,
  i.category,
  i.severity,
  i.injuries,
  i.region,
  i.eventTime,
  i.month,
  i.recordTime,
  i.reportedBy,
  i.source,
  i.operatorId,
  i.description,
  JSON.stringify(i.attachments),
  'reported',
];

/**
 * The parts the report named as rows (ordinal, involved, kind, part_number, serial, lot, counts_part, counts_lot);
 * involved is always 1 (the column dates from when the parts fitted were copied too). counts_* mark the first row
 * of each part number (lot), which trends count.
 */
export function partValues(i: NewIncident) {
  const seen = new Set<string>();
  const first = (key: string) => (seen.has(key) ? 0 : (seen.add(key), 1));
  return i.components.map(
    (p, ordinal) =>
      [
        ordinal,
        1,
        p.kind,
        p.partNumber,
        p.serial,
        p.lot,
        first(p.partNumber),
        p.lot === null ? 0 : first(`${p.partNumber}\u0000${p.lot}`),
      ] as const,
  );
}

export function toIncidentSummary(row: IncidentRow): IncidentSummary {
  return {
    id: Number(row.id),
    robotId: row.robot_id,
    eventId: row.event_id,
    model: row.model,
    manufacturerId: row.manufacturer_id,
    category: row.category as IncidentCategory,
    severity: row.severity as IncidentSeverity,
    injuries: row.injuries === null ? null : Number(row.injuries),
    region: row.region,
    eventTime: row.event_time,
    month: row.month,
    recordTime: row.record_time,
    reportedBy: row.reported_by,
    source: row.source as IncidentSource,
    operatorId: row.operator_id,
    description: row.description,
    attachments: JSON.parse(row.attachments) as IncidentAttachment[],
    state: row.state as TriageState,
    rootCause: row.root_cause,
    withdrawn:
      row.withdrawn_seq === null ? null : { seq: Number(row.withdrawn_seq), at: row.withdrawn_at ?? '' },
    custodianId: row.holder_id,
    currentOperatorId: row.holder_operator_id,
  };
}

export interface PartRow {
  kind: string | null;
  part_number: string;
  serial: string | null;
  lot: string | null;
}

export const toPart = (row: PartRow): IncidentPart => ({
  kind: row.kind as IncidentPart['kind'],
  partNumber: row.part_number,
  serial: row.serial,
  lot: row.lot,
});

export interface TriageRow {
  at: string;
  org_id: string;
  key_id: string | null;
  from_state: string;
  to_state: string;
  note: string | null;
  root_cause: string | null;
}

export const toTriageEntry = (row: TriageRow): TriageEntry => ({
  at: row.at,
  orgId: row.org_id,
  keyId: row.key_id,
  from: row.from_state as TriageState,
  to: row.to_state as TriageState,
  note: row.note,
  rootCause: row.root_cause,
});

export const toSoftware = (row: { target: string; version: string }): SoftwareVersion => ({
  target: row.target,
  version: row.version,
});

/**
 * How a dialect writes a placeholder, reads the robot's current operator from `s` (robot_status) and orders text
 * by its bytes (robot_components' text columns have the database's default collation on PostgreSQL).
 */
export interface Dialect {
  placeholder: (n: number) => string;
  operatorOf: string;
  byteOrder: (expression: string) => string;
}

/**
 * The parts `k` (robot_components) fitted in incident `i`'s robot when it happened: fitted by an event before
 * the report and not removed by one before it. Corrections change robot_components only from their own seq on,
 * so this is the robot's status after the report, as it was then.
 */
export const fittedThen = (k: string, i: string) =>
  `${k}.robot_id = ${i}.robot_id AND ${k}.fitted_seq < ${i}.id
   AND (${k}.removed_seq IS NULL OR ${k}.removed_seq > ${i}.id)`;

/** The parts an incident's report named, in the report's order. */
export const NAMED_PARTS_SQL = (d: Dialect) =>
  `SELECT kind, part_number, serial, lot FROM incident_parts WHERE incident_id = ${d.placeholder(1)} ORDER BY ordinal`;
/** The parts fitted in the robot when the incident happened, in the order they were fitted. */
export const FITTED_PARTS_SQL = (d: Dialect) =>
  `SELECT k.kind, k.part_number, k.serial, k.lot FROM incidents i JOIN robot_components k ON ${fittedThen('k', 'i')}
   WHERE i.id = ${d.placeholder(1)} ORDER BY k.fitted_seq, k.ordinal`;

/** The joined robot's current holder and operator, for the access policy. */
export const holderColumns = (d: Dialect) =>
  `s.custodian_id AS holder_id, ${d.operatorOf} AS holder_operator_id`;

/** A filter's conditions on `i` (incidents) and, for `scopeOrgId`, `s` (the robot's status, joined). */
export function incidentWhere(filter: IncidentFilter, d: Dialect, values: unknown[] = []) {
  const conditions: string[] = [];
  const add = (sql: string, ...given: unknown[]) => {
    let text = sql;
    for (const value of given) {
      values.push(value);
      text = text.replace('?', d.placeholder(values.length));
    }
    conditions.push(text);
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
      `(i.manufacturer_id = ? OR s.custodian_id = ? OR (s.status LIKE ? AND ${d.operatorOf} = ?))`,
      org,
      org,
      `%"operatorId":"${org}"%`,
      org,
    );
  }
  return { conditions, values };
}

const where = (conditions: string[]) => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '');

/** A newest-first page of incidents with their robots' current holders; `limit + 1` rows are asked for. */
export function incidentPageSql(filter: IncidentFilter, after: number, limit: number, d: Dialect) {
  const { conditions, values } = incidentWhere(filter, d);
  if (after > 0) {
    values.push(after);
    conditions.push(`i.id < ${d.placeholder(values.length)}`);
  }
  values.push(limit + 1);
  const sql = `SELECT i.*, ${holderColumns(d)} FROM incidents i JOIN robot_status s ON s.robot_id = i.robot_id
    ${where(conditions)} ORDER BY i.id DESC LIMIT ${d.placeholder(values.length)}`;
  return { sql, values };
}

export function toIncidentPage(rows: IncidentRow[], limit: number): Page<IncidentSummary> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(toIncidentSummary), next: more ? Number(kept[kept.length - 1]!.id) : null };
}

/**
 * For each dimension: what it groups by (g1, g2), from which rows joined to `i`, and the names of its keys.
 * `distinct`: the rows may hold a key twice for one incident (a robot with two knees of one part number), so
 * each (incident, key) is counted once.
 */
function trendSource(request: TrendRequest, d: Dialect) {
  switch (request.by) {
    case 'model':
      return { from: 'incidents i', where: [], keys: ['i.model'], names: ['model'], distinct: false };
    case 'month':
      return { from: 'incidents i', where: [], keys: ['i.month'], names: ['month'], distinct: false };
    case 'part':
    case 'lot': {
      const lot = request.by === 'lot';
      const names = lot ? ['partNumber', 'lot'] : ['partNumber'];
      if (request.parts === 'involved') {
        // Named parts: counts_* flag the first row of each part number (lot) of an incident.
        return {
          from: 'incident_parts d JOIN incidents i ON i.id = d.incident_id',
          where: [lot ? 'd.counts_lot = 1' : 'd.counts_part = 1'],
          keys: lot ? ['d.part_number', 'd.lot'] : ['d.part_number'],
          names,
          distinct: false,
        };
      }
      // Parts fitted then, read from robot_components by seq; a part without a lot has no lot to count.
      return {
        from: `incidents i JOIN robot_components k ON ${fittedThen('k', 'i')}`,
        where: lot ? ['k.lot IS NOT NULL'] : [],
        keys: (lot ? ['k.part_number', 'k.lot'] : ['k.part_number']).map(d.byteOrder),
        names,
        distinct: true,
      };
    }
    case 'firmware':
      return {
        from: 'incident_software d JOIN incidents i ON i.id = d.incident_id',
        where: [],
        keys: ['d.target', 'd.version'],
        names: ['target', 'version'],
        distinct: false,
      };
  }
}

const SEVERITY_SUMS = (['minor', 'moderate', 'serious', 'critical'] as const)
  .map((s) => `sum(CASE WHEN i.severity = '${s}' THEN 1 ELSE 0 END) AS ${s}`)
  .join(', ');

/** Incidents counted per group, with their severities and injuries, most first (then by key). */
export function trendSql(filter: IncidentFilter, request: TrendRequest, d: Dialect) {
  const values: unknown[] = [];
  const source = trendSource(request, d);
  const { conditions } = incidentWhere(filter, d, values);
  conditions.unshift(...source.where);
  const join = filter.scopeOrgId !== undefined ? ' JOIN robot_status s ON s.robot_id = i.robot_id' : '';
  const keys = source.keys.map((k, n) => `${k} AS g${n + 1}`).join(', ');
  const groups = source.keys.map((_, n) => `g${n + 1}`).join(', ');
  // Each (incident, key) once. The incident's severity and injuries come along (they are the incident's, so no
  // more rows are told apart): joining incidents back by id afterwards cost PostgreSQL a second pass over them.
  const from = source.distinct
    ? `(SELECT DISTINCT i.id, ${keys}, i.severity, i.injuries FROM ${source.from}${join} ${where(conditions)}) i`
    : `${source.from}${join} ${where(conditions)}`;
  values.push(request.limit);
  const sql = `SELECT ${source.distinct ? groups : keys}, count(*) AS n, ${SEVERITY_SUMS},
      coalesce(sum(i.injuries), 0) AS injuries
    FROM ${from}
    GROUP BY ${groups} ORDER BY n DESC, ${groups} LIMIT ${d.placeholder(values.length)}`;
  return { sql, values, names: source.names };
}

export interface TrendRow {
  g1: string;
  g2?: string;
  n: number | string;
  minor: number | string;
  moderate: number | string;
  serious: number | string;
  critical: number | string;
  injuries: number | string;
}

export function toTrend(row: TrendRow, names: string[]): IncidentTrend {
  const keys = [row.g1, row.g2];
  return {
    group: Object.fromEntries(names.map((name, n) => [name, keys[n] ?? ''])),
    count: Number(row.n),
    bySeverity: {
      minor: Number(row.minor),
      moderate: Number(row.moderate),
      serious: Number(row.serious),
      critical: Number(row.critical),
    },
    injuries: Number(row.injuries),
  };
}
