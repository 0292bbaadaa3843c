/**
 * What an organisation has to do (the console's home page): counts and the newest few of its late reports, open
 * compliance findings, open recalls that reach its robots and its robots' open incidents. Records, and this area's
 * part of the store interface (composed in ../store.ts); it only reads.
 */
import type { ComplianceFinding } from '../compliance/interface.js';
import type { StoredEvent } from '../events/interface.js';
import type { IncidentCategory, IncidentSeverity, TriageState } from '../../domain/safety/incidents.js';

export interface CountAndLatest<T> {
  count: number;
  /** The newest, at most the limit asked for. */
  latest: T[];
}

/** An open recall campaign and how many of the organisation's robots in it are still to be remedied. */
export interface OpenRecallOf {
  number: string;
  robots: number;
}

export interface OpenIncidentOf {
  id: number;
  robotId: string;
  category: IncidentCategory;
  severity: IncidentSeverity;
  state: TriageState;
  eventTime: string;
}

export interface TodoReader {
  /** The organisation's events recorded after their reporting deadline. */
  lateReportsOf(orgId: string, limit: number): Promise<CountAndLatest<StoredEvent>>;
  openFindingsOf(orgId: string, limit: number): Promise<CountAndLatest<ComplianceFinding>>;
  /**
   * Open campaigns, newest first, with robots still to remedy (notified or unreachable: recalls.ts OUTSTANDING) that the organisation held when
   * notified, or that it made: its own campaigns, or robots whose ID starts with `idPrefix` (its enterprise's).
   */
  openRecallsOf(orgId: string, idPrefix: string | null): Promise<OpenRecallOf[]>;
  /** Incidents not closed (nor withdrawn) of robots the organisation made, holds or operates. */
  openIncidentsOf(orgId: string, limit: number): Promise<CountAndLatest<OpenIncidentOf>>;
}
