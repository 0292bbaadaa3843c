/**
 * Incidents as the registry keeps them: derived from accepted `incident_reported` events, then triaged by a
 * regulator. The triage moves are data, so that a refusal can say which moves are allowed.
 */
import type { ComponentKind, IncidentPayload } from '../lifecycle/events.js';

export const TRIAGE_STATES = ['reported', 'under_investigation', 'root_cause_found', 'closed'] as const;
export type TriageState = (typeof TRIAGE_STATES)[number];

/**
 * Where a regulator may take an incident from each state. Closing needs no root cause (not every report shows a
 * defect); a closed case, or a root cause that proves wrong, is investigated again.
 */
export const TRIAGE_MOVES: Readonly<Record<TriageState, readonly TriageState[]>> = {
  reported: ['under_investigation', 'closed'],
  under_investigation: ['root_cause_found', 'closed'],
  root_cause_found: ['closed', 'under_investigation'],
  closed: ['under_investigation'],
};

export const isTriageState = (value: string): value is TriageState =>
  (TRIAGE_STATES as readonly string[]).includes(value);

export const triageAllowed = (from: TriageState, to: TriageState) => TRIAGE_MOVES[from].includes(to);

export type IncidentCategory = IncidentPayload['category'];
export type IncidentSeverity = IncidentPayload['severity'];
export type IncidentSource = NonNullable<IncidentPayload['source']>;

/** A part recorded with an incident: named in the report (`involved`) or fitted in the robot at the time. */
export interface IncidentPart {
  kind: ComponentKind | null;
  partNumber: string;
  serial: string | null;
  lot: string | null;
}

/** What trends group by. */
export const TREND_DIMENSIONS = ['model', 'part', 'lot', 'firmware', 'month'] as const;
export type TrendDimension = (typeof TREND_DIMENSIONS)[number];

/** The model key of a robot ID: country, enterprise and model code, its first 12 characters. */
export const modelKeyOf = (robotId: string) => robotId.slice(0, 12);

/** The calendar month (UTC) of an instant: what monthly trends group by. */
export const monthOf = (isoInstant: string) => new Date(isoInstant).toISOString().slice(0, 7);
