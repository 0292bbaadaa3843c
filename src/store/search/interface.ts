/**
 * Robot search. Records, and this area's part of the store interface (composed in ../store.ts).
 */
import type { Page, PageRequest } from '../page.js';

/** Robot search. Every field narrows; `scope*` are set by the access policy, never by the caller. */
export interface RobotFilter {
  /** Country + enterprise (+ model) code: the first 6 (or 12) characters of the ID. */
  idPrefix?: string;
  state?: string;
  region?: string;
  custodianId?: string;
  component?: { partNumber?: string; serial?: string; lot?: string; includeRemoved?: boolean };
  software?: { target?: string; version: string };
  /** Certification valid at `at`, or not. */
  certified?: { valid: boolean; at: string };
  producedFrom?: string;
  producedTo?: string;
  /** Only robots whose ID starts with one of these (a manufacturer's own). */
  scopeIdPrefixes?: string[];
  /** Only robots this organisation holds. */
  scopeCustodianId?: string;
  /** Only robots this organisation operates (owns); with scopeCustodianId, those it also holds (indexed). */
  scopeOperatorId?: string;
}

export interface RobotSummary {
  id: string;
  state: string;
  region: string | null;
  productionDate: string | null;
  certifiedUntil: string | null;
}

export interface SearchReader {
  findRobots(filter: RobotFilter, page: PageRequest<string>): Promise<Page<RobotSummary, string>>;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SearchWriter {}
