/**
 * Incident rows as both databases return them and as they are written, and their mapping to the records of
 * interface.ts.
 */
import type { IncidentAttachment, SoftwareVersion } from '../../domain/lifecycle/events.js';
import type {
  IncidentCategory,
  IncidentPart,
  IncidentSeverity,
  IncidentSource,
  TriageState,
} from '../../domain/safety/incidents.js';
import type { ColumnType } from '../sql/db.js';
import type { IncidentSummary, NewIncident, TriageEntry } from './interface.js';

/** A table's columns as a new incident writes them, with their types (for `jsonRecords`). */
export type Columns = Record<string, ColumnType>;
/** A row to write: a value per column, by column name. */
export type NewRow = Record<string, unknown>;

/** The tables a new incident is written to, in the order they are written (parts and software refer to it). */
export const NEW_INCIDENT_TABLES = {
  incidents: {
    id: 'integer',
    robot_id: 'text',
    event_id: 'text',
    model: 'text',
    manufacturer_id: 'text',
    category: 'text',
    severity: 'text',
    injuries: 'integer',
    region: 'text',
    event_time: 'text',
    month: 'text',
    record_time: 'text',
    reported_by: 'text',
    source: 'text',
    operator_id: 'text',
    description: 'text',
    attachments: 'text',
    state: 'text',
  },
  incident_parts: {
    incident_id: 'integer',
    ordinal: 'integer',
    involved: 'integer',
    kind: 'text',
    part_number: 'text',
    serial: 'text',
    lot: 'text',
    counts_part: 'integer',
    counts_lot: 'integer',
  },
  incident_software: { incident_id: 'integer', target: 'text', version: 'text' },
} as const satisfies Record<string, Columns>;

export type NewIncidentTable = keyof typeof NEW_INCIDENT_TABLES;

const incidentRow = (i: NewIncident): NewRow => ({
  id: i.id,
  robot_id: i.robotId,
  event_id: i.eventId,
  model: i.model,
  manufacturer_id: i.manufacturerId,
  category: i.category,
  severity: i.severity,
  injuries: i.injuries,
  region: i.region,
  event_time: i.eventTime,
  month: i.month,
  record_time: i.recordTime,
  reported_by: i.reportedBy,
  source: i.source,
  operator_id: i.operatorId,
  description: i.description,
  attachments: JSON.stringify(i.attachments),
  state: 'reported',
});

/**
 * The parts the report named, in its order. involved is always 1 (the column dates from when the parts fitted were
 * copied too). counts_* mark the first row of each part number (lot), which trends count.
 */
function partRows(i: NewIncident): NewRow[] {
  const seen = new Set<string>();
  const first = (key: string) => (seen.has(key) ? 0 : (seen.add(key), 1));
  return i.components.map((p, ordinal) => ({
    incident_id: i.id,
    ordinal,
    involved: 1,
    kind: p.kind,
    part_number: p.partNumber,
    serial: p.serial,
    lot: p.lot,
    counts_part: first(p.partNumber),
    counts_lot: p.lot === null ? 0 : first(`${p.partNumber}\u0000${p.lot}`),
  }));
}

/** The rows new incidents add to each table of NEW_INCIDENT_TABLES. */
export const newIncidentRows = (incidents: NewIncident[]): Record<NewIncidentTable, NewRow[]> => ({
  incidents: incidents.map(incidentRow),
  incident_parts: incidents.flatMap(partRows),
  incident_software: incidents.flatMap((i) =>
    i.software.map((s) => ({ incident_id: i.id, target: s.target, version: s.version })),
  ),
});

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

export const toIncidentSummary = (row: IncidentRow): IncidentSummary => ({
  id: row.id,
  robotId: row.robot_id,
  eventId: row.event_id,
  model: row.model,
  manufacturerId: row.manufacturer_id,
  category: row.category as IncidentCategory,
  severity: row.severity as IncidentSeverity,
  injuries: row.injuries,
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
  withdrawn: row.withdrawn_seq === null ? null : { seq: row.withdrawn_seq, at: row.withdrawn_at ?? '' },
  custodianId: row.holder_id,
  currentOperatorId: row.holder_operator_id,
});

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
