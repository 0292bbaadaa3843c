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

const POSTGRES: Dialect = {
  placeholder: (n) => `$${n}`,
  operatorOf: "(s.status::json ->> 'operatorId')",
  byteOrder: (expression) => `${expression} COLLATE "C"`,
};

/** Incidents, their parts and software in three statements, each sent as one JSON array (as events are). */
const INSERT_INCIDENTS = `INSERT INTO incidents (${INCIDENT_COLUMNS.join(', ')})
  SELECT ${INCIDENT_COLUMNS.map((_, n) => `v.c${n}`).join(', ')}
  FROM json_to_recordset($1::json) AS v(${INCIDENT_COLUMNS.map(
    (name, n) => `c${n} ${['id', 'injuries'].includes(name) ? 'bigint' : 'text'}`,
  ).join(', ')})`;

export async function insertIncidents(c: Connection, incidents: NewIncident[]): Promise<void> {
  if (incidents.length === 0) return;
  const rows = incidents.map((i) => Object.fromEntries(incidentValues(i).map((v, n) => [`c${n}`, v])));
  await c.run(INSERT_INCIDENTS, [JSON.stringify(rows)]);
  const parts = incidents.flatMap((i) =>
    partValues(i).map(([o, inv, k, n, s, l, cp, cl]) => ({ id: i.id, o, i: inv, k, n, s, l, cp, cl })),
  );
  if (parts.length > 0) {
    await c.run(
      `INSERT INTO incident_parts
         (incident_id, ordinal, involved, kind, part_number, serial, lot, counts_part, counts_lot)
       SELECT p.id, p.o, p.i, p.k, p.n, p.s, p.l, p.cp, p.cl
       FROM json_to_recordset($1::json)
         AS p(id bigint, o int, i int, k text, n text, s text, l text, cp int, cl int)`,
      [JSON.stringify(parts)],
    );
  }
  const software = incidents.flatMap((i) => i.software.map((s) => ({ id: i.id, t: s.target, v: s.version })));
  if (software.length > 0) {
    await c.run(
      `INSERT INTO incident_software (incident_id, target, version)
       SELECT s.id, s.t, s.v FROM json_to_recordset($1::json) AS s(id bigint, t text, v text)`,
      [JSON.stringify(software)],
    );
  }
}

export async function withdrawIncidents(
  c: Connection,
  corrections: { robotId: string; eventId: string; seq: number; at: string }[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const x of corrections) {
    const rows = await c.rows<{ id: number }>(
      `UPDATE incidents SET withdrawn_seq = $1, withdrawn_at = $2
       WHERE robot_id = $3 AND event_id = $4 AND withdrawn_seq IS NULL RETURNING id`,
      [x.seq, x.at, x.robotId, x.eventId],
    );
    ids.push(...rows.map((r) => Number(r.id)));
  }
  return ids;
}

export async function triageIncident(c: Connection, { incidentId, entry }: TriageChange): Promise<void> {
  await c.run('UPDATE incidents SET state = $1, root_cause = coalesce($2, root_cause) WHERE id = $3', [
    entry.to,
    entry.rootCause,
    incidentId,
  ]);
  await c.run(
    `INSERT INTO incident_triage (incident_id, ordinal, at, org_id, key_id, from_state, to_state, note, root_cause)
     VALUES ($1, (SELECT coalesce(max(ordinal), 0) + 1 FROM incident_triage WHERE incident_id = $1),
             $2, $3, $4, $5, $6, $7, $8)`,
    [incidentId, entry.at, entry.orgId, entry.keyId, entry.from, entry.to, entry.note, entry.rootCause],
  );
}

export async function getIncident(c: Connection, id: number): Promise<IncidentDetail | null> {
  const row = await c.row<IncidentRow>(
    `SELECT i.*, ${holderColumns(POSTGRES)} FROM incidents i JOIN robot_status s ON s.robot_id = i.robot_id
     WHERE i.id = $1`,
    [id],
  );
  if (!row) return null;
  const [named, fitted, software, triage] = await Promise.all([
    c.rows<PartRow>(NAMED_PARTS_SQL(POSTGRES), [id]),
    c.rows<PartRow>(FITTED_PARTS_SQL(POSTGRES), [id]),
    c.rows<{ target: string; version: string }>(
      'SELECT target, version FROM incident_software WHERE incident_id = $1 ORDER BY target',
      [id],
    ),
    c.rows<TriageRow>('SELECT * FROM incident_triage WHERE incident_id = $1 ORDER BY ordinal', [id]),
  ]);
  return {
    ...toIncidentSummary(row),
    components: named.map(toPart),
    fitted: fitted.map(toPart),
    software: software.map(toSoftware),
    triage: triage.map(toTriageEntry),
  };
}

export async function findIncidents(
  c: Connection,
  filter: IncidentFilter,
  page: PageRequest,
): Promise<Page<IncidentSummary>> {
  const { sql, values } = incidentPageSql(filter, page.after, page.limit, POSTGRES);
  return toIncidentPage(await c.adHocRows<IncidentRow>(sql, values), page.limit);
}

export async function incidentTrends(
  c: Connection,
  filter: IncidentFilter,
  request: TrendRequest,
): Promise<IncidentTrend[]> {
  const { sql, values, names } = trendSql(filter, request, POSTGRES);
  return (await c.adHocRows<TrendRow>(sql, values)).map((row) => toTrend(row, names));
}
