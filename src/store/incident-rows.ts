/**
 * Incidents' rows and SQL shared by both adapters: the column mapping, the filter (which both the list and the
 * trends use) and the trend queries. The dialects differ only in placeholders and in how the robot's current
 * operator is read from its status snapshot, which the callers pass in.
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
 * Its parts as rows (ordinal, involved, kind, part_number, serial, lot, counts_part, counts_lot): those named first,
 * then those fitted; counts_* mark the first row of each part number (lot) of each kind, which trends count.
 */
export function partValues(i: NewIncident) {
  const seen = new Set<string>();
  const first = (key: string) => (seen.has(key) ? 0 : (seen.add(key), 1));
  return [...i.components.map((p) => [1, p] as const), ...i.fitted.map((p) => [0, p] as const)].map(
    ([involved, p], ordinal) =>
      [
        ordinal,
        involved,
        p.kind,
        p.partNumber,
        p.serial,
        p.lot,
        first(`${involved}\u0000${p.partNumber}`),
        p.lot === null ? 0 : first(`${involved}\u0000${p.partNumber}\u0000${p.lot}`),
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
  involved: number | boolean;
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

/** How a dialect writes a placeholder and reads the robot's current operator from `s` (robot_status). */
export interface Dialect {
  placeholder: (n: number) => string;
  operatorOf: string;
}

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
  if (filter.partNumber !== undefined && filter.lot !== undefined) {
    add(
      'i.id IN (SELECT incident_id FROM incident_parts WHERE part_number = ? AND lot = ?)',
      filter.partNumber,
      filter.lot,
    );
  } else if (filter.partNumber !== undefined) {
    add('i.id IN (SELECT incident_id FROM incident_parts WHERE part_number = ?)', filter.partNumber);
  } else if (filter.lot !== undefined) {
    add('i.id IN (SELECT incident_id FROM incident_parts WHERE lot = ?)', filter.lot);
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

/** For each dimension: what it groups by (g1, g2), from which rows joined to `i`, and the names of its keys. */
function trendSource(request: TrendRequest, d: Dialect, values: unknown[]) {
  const involved = () => {
    values.push(request.parts === 'involved' ? 1 : 0);
    return `d.involved = ${d.placeholder(values.length)}`;
  };
  switch (request.by) {
    case 'model':
      return { from: 'incidents i', where: [], keys: ['i.model'], names: ['model'] };
    case 'month':
      return { from: 'incidents i', where: [], keys: ['i.month'], names: ['month'] };
    // A robot with two parts of a number (two knees) counts once: only the first row of each is counted.
    case 'part':
      return {
        from: `incident_parts d JOIN incidents i ON i.id = d.incident_id`,
        where: [involved(), 'd.counts_part = 1'],
        keys: ['d.part_number'],
        names: ['partNumber'],
      };
    case 'lot':
      return {
        from: `incident_parts d JOIN incidents i ON i.id = d.incident_id`,
        where: [involved(), 'd.counts_lot = 1'],
        keys: ['d.part_number', 'd.lot'],
        names: ['partNumber', 'lot'],
      };
    case 'firmware':
      return {
        from: 'incident_software d JOIN incidents i ON i.id = d.incident_id',
        where: [],
        keys: ['d.target', 'd.version'],
        names: ['target', 'version'],
      };
  }
}

const SEVERITY_SUMS = (['minor', 'moderate', 'serious', 'critical'] as const)
  .map((s) => `sum(CASE WHEN i.severity = '${s}' THEN 1 ELSE 0 END) AS ${s}`)
  .join(', ');

/** Incidents counted per group, with their severities and injuries, most first (then by key). */
export function trendSql(filter: IncidentFilter, request: TrendRequest, d: Dialect) {
  const values: unknown[] = [];
  const source = trendSource(request, d, values);
  const { conditions } = incidentWhere(filter, d, values);
  conditions.unshift(...source.where);
  const join = filter.scopeOrgId !== undefined ? ' JOIN robot_status s ON s.robot_id = i.robot_id' : '';
  const keys = source.keys.map((k, n) => `${k} AS g${n + 1}`).join(', ');
  const groups = source.keys.map((_, n) => `g${n + 1}`).join(', ');
  values.push(request.limit);
  const sql = `SELECT ${keys}, count(*) AS n, ${SEVERITY_SUMS}, coalesce(sum(i.injuries), 0) AS injuries
    FROM ${source.from}${join} ${where(conditions)}
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
