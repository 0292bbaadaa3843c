/**
 * Organisations (and the named counters). Records, and this area's part of the store interface (composed in
 * ../store.ts).
 */
import type { Organisation } from '../../domain/org/organisation.js';
import type { Role } from '../../domain/org/roles.js';
import type { Page, PageRequest } from '../page.js';

export interface OrganisationFilter {
  role?: Role;
  /** Names that contain this text, letter case ignored. */
  name?: string;
}

export interface OrganisationReader {
  getOrganisation(id: string): Promise<Organisation | null>;
  findOrganisationByRegistration(
    jurisdiction: string,
    registrationNumber: string,
  ): Promise<Organisation | null>;
  findOrganisationByEnterpriseCode(enterpriseCode: string): Promise<Organisation | null>;
  listOrganisations(filter: OrganisationFilter, page: PageRequest): Promise<Page<Organisation>>;
}

export interface OrganisationWriter {
  insertOrganisation(org: Organisation): Promise<void>;
  /** Next value of a named counter (starting at 1); never hands the same value out twice. */
  nextCounter(name: string): Promise<number>;
}
