/**
 * Incidents, their triage, search and trends. Records, and this area's part of the store interface (composed in
 * ../store.ts).
 */
import type { IncidentAttachment, SoftwareVersion } from '../../domain/lifecycle/events.js';
import type {
  IncidentCategory,
  IncidentPart,
  IncidentSeverity,
  IncidentSource,
  TrendDimension,
  TriageState,
} from '../../domain/safety/incidents.js';
import type { Page, PageRequest } from '../page.js';

/** An incident as derived from an accepted `incident_reported` event (src/app/incidents/record.ts). */
export interface IncidentRecord {
  /** The seq of the event that reported it. */
  id: number;
  robotId: string;
  eventId: string;
  /** The robot ID's first 12 characters: country, enterprise and model code. */
  model: string;
  manufacturerId: string;
  category: IncidentCategory;
  severity: IncidentSeverity;
  injuries: number | null;
  /** Where it happened: as reported, else the robot's site region then, else unknown. */
  region: string | null;
  /** When it happened, in UTC. */
  eventTime: string;
  /** YYYY-MM of eventTime (UTC). */
  month: string;
  recordTime: string;
  reportedBy: string;
  source: IncidentSource;
  /** The robot's operator when it happened: whose usage data the incident is. */
  operatorId: string | null;
  description: string | null;
  attachments: IncidentAttachment[];
  state: TriageState;
  rootCause: string | null;
  /** A correction of the report withdrew the incident. */
  withdrawn: { seq: number; at: string } | null;
}

/** An incident as recorded from its report: triage starts at `reported`. */
export type NewIncident = Omit<IncidentRecord, 'state' | 'rootCause' | 'withdrawn'> & {
  /** Parts named in the report. (Those fitted then are not copied: robot_components has them by seq.) */
  components: IncidentPart[];
  /** Firmware and software installed when it happened. */
  software: SoftwareVersion[];
};

/** One triage move, as kept in the incident's history. */
export interface TriageEntry {
  at: string;
  orgId: string;
  keyId: string | null;
  from: TriageState;
  to: TriageState;
  note: string | null;
  rootCause: string | null;
}

/** An incident with who holds and operates its robot now (what the access policy decides by). */
export interface IncidentSummary extends IncidentRecord {
  custodianId: string;
  currentOperatorId: string | null;
}

/** An incident with everything recorded with it. */
export interface IncidentDetail extends IncidentSummary {
  components: IncidentPart[];
  /** Parts fitted in the robot when it happened, in the order they were fitted. */
  fitted: IncidentPart[];
  software: SoftwareVersion[];
  triage: TriageEntry[];
}

/** Incident search and trends; every field narrows. `scope*` are set by the access policy, never by the caller. */
export interface IncidentFilter {
  manufacturerId?: string;
  model?: string;
  robotId?: string;
  state?: TriageState;
  category?: IncidentCategory;
  severity?: IncidentSeverity;
  /** Incidents of robots that carried the part then (fitted or named in the report). */
  partNumber?: string;
  lot?: string;
  software?: { target: string; version: string };
  /** eventTime from (inclusive) and to (exclusive), UTC instants. */
  from?: string;
  to?: string;
  includeWithdrawn?: boolean;
  /** Only the robots of this manufacturer. */
  scopeManufacturerId?: string;
  /** Only robots this organisation made, holds now or operates now. */
  scopeOrgId?: string;
}

/** One group of a trend: its key fields by name, the incidents in it by severity, and injuries in all. */
export interface IncidentTrend {
  group: Record<string, string>;
  count: number;
  bySeverity: Record<IncidentSeverity, number>;
  injuries: number;
}

export interface TrendRequest {
  by: TrendDimension;
  /** part and lot: count the parts fitted then (default) or only those the reports named. */
  parts: 'fitted' | 'involved';
  limit: number;
}

export interface TriageChange {
  incidentId: number;
  entry: TriageEntry;
}

export interface IncidentReader {
  getIncident(id: number): Promise<IncidentDetail | null>;
  /** Incidents newest first; `page.after` is the id to continue below (0: from the newest). */
  findIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<IncidentSummary>>;
  /** Incidents counted per group, most first, months oldest first (withdrawn ones never count). */
  incidentTrends(filter: IncidentFilter, request: TrendRequest): Promise<IncidentTrend[]>;
}

export interface IncidentWriter {
  insertIncidents(incidents: NewIncident[]): Promise<void>;
  /** Marks the incidents these corrections void as withdrawn; returns the ids of those it withdrew. */
  withdrawIncidents(
    corrections: { robotId: string; eventId: string; seq: number; at: string }[],
  ): Promise<number[]>;
  /** Moves an incident to `entry.to` (a root cause found sets it) and appends the move to its history. */
  triageIncident(change: TriageChange): Promise<void>;
}
