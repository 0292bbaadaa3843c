import type {
  IncidentDetail,
  IncidentFilter,
  IncidentTrend,
  NewIncident,
  Page,
  PageRequest,
  IncidentSummary,
  TriageChange,
  TrendRequest,
} from '../store.js';
import type { Connection } from './connection.js';
import {
  FITTED_PARTS_SQL,
  INCIDENT_COLUMNS,
  NAMED_PARTS_SQL,
  holderColumns,
  incidentPageSql,
  incidentValues,
  partValues,
  toIncidentPage,
  toIncidentSummary,
  toPart,
  toSoftware,
  toTrend,
  toTriageEntry,
  trendSql,
  type Dialect,
  type IncidentRow,
  type PartRow,
  type TriageRow,
  type TrendRow,
} from '../incident-rows.js';

const SQLITE: Dialect = {
  placeholder: () => '?',
  operatorOf: "json_extract(s.status, '$.operatorId')",
  byteOrder: (expression) => expression,
};

export function insertIncidents(c: Connection, incidents: NewIncident[]): void {
  const insert = c.stmt(
    `INSERT INTO incidents (${INCIDENT_COLUMNS.join(', ')}) VALUES (${INCIDENT_COLUMNS.map(() => '?').join(', ')})`,
  );
  const part = c.stmt(
    `INSERT INTO incident_parts
       (incident_id, ordinal, involved, kind, part_number, serial, lot, counts_part, counts_lot)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const software = c.stmt('INSERT INTO incident_software (incident_id, target, version) VALUES (?, ?, ?)');
  for (const incident of incidents) {
    insert.run(...incidentValues(incident));
    for (const values of partValues(incident)) part.run(incident.id, ...values);
    for (const s of incident.software) software.run(incident.id, s.target, s.version);
  }
}

export function withdrawIncidents(
  c: Connection,
  corrections: { robotId: string; eventId: string; seq: number; at: string }[],
): number[] {
  const withdraw = c.stmt(
    `UPDATE incidents SET withdrawn_seq = ?, withdrawn_at = ?
     WHERE robot_id = ? AND event_id = ? AND withdrawn_seq IS NULL RETURNING id`,
  );
  return corrections.flatMap((x) =>
    (withdraw.all(x.seq, x.at, x.robotId, x.eventId) as { id: number }[]).map((r) => r.id),
  );
}

export function triageIncident(c: Connection, { incidentId, entry }: TriageChange): void {
  c.stmt(
    `UPDATE incidents SET state = ?, root_cause = CASE WHEN ? IS NULL THEN root_cause ELSE ? END WHERE id = ?`,
  ).run(entry.to, entry.rootCause, entry.rootCause, incidentId);
  c.stmt(
    `INSERT INTO incident_triage (incident_id, ordinal, at, org_id, key_id, from_state, to_state, note, root_cause)
     VALUES (?, (SELECT coalesce(max(ordinal), 0) + 1 FROM incident_triage WHERE incident_id = ?), ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    incidentId,
    incidentId,
    entry.at,
    entry.orgId,
    entry.keyId,
    entry.from,
    entry.to,
    entry.note,
    entry.rootCause,
  );
}

export function getIncident(c: Connection, id: number): IncidentDetail | null {
  const row = c
    .stmt(
      `SELECT i.*, ${holderColumns(SQLITE)} FROM incidents i JOIN robot_status s ON s.robot_id = i.robot_id
       WHERE i.id = ?`,
    )
    .get(id) as IncidentRow | undefined;
  if (!row) return null;
  const named = c.stmt(NAMED_PARTS_SQL(SQLITE)).all(id) as PartRow[];
  const fitted = c.stmt(FITTED_PARTS_SQL(SQLITE)).all(id) as PartRow[];
  const software = c
    .stmt('SELECT target, version FROM incident_software WHERE incident_id = ? ORDER BY target')
    .all(id) as { target: string; version: string }[];
  const triage = c
    .stmt('SELECT * FROM incident_triage WHERE incident_id = ? ORDER BY ordinal')
    .all(id) as TriageRow[];
  return {
    ...toIncidentSummary(row),
    components: named.map(toPart),
    fitted: fitted.map(toPart),
    software: software.map(toSoftware),
    triage: triage.map(toTriageEntry),
  };
}

export function findIncidents(
  c: Connection,
  filter: IncidentFilter,
  page: PageRequest,
): Page<IncidentSummary> {
  const { sql, values } = incidentPageSql(filter, page.after, page.limit, SQLITE);
  return toIncidentPage(c.db.prepare(sql).all(...values) as IncidentRow[], page.limit);
}

export function incidentTrends(
  c: Connection,
  filter: IncidentFilter,
  request: TrendRequest,
): IncidentTrend[] {
  const { sql, values, names } = trendSql(filter, request, SQLITE);
  return (c.db.prepare(sql).all(...values) as TrendRow[]).map((row) => toTrend(row, names));
}
