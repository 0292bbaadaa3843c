import { Issues } from '../errors.js';
import { validateCountryCode } from '../id/index.js';
import { validateCreditCode, validateForeignRegistrationNumber } from './credit-code.js';
import { isRole, type Role } from './roles.js';

/** A party is an organisation, or a natural person who owns or operates robots (pseudonymous: see persons.ts). */
export const PARTY_KINDS = ['organisation', 'person'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

export interface Organisation {
  id: string;
  kind: PartyKind;
  /** A person's is a pseudonym (`person <id>`), never the real name: that is in the personal-data store only. */
  name: string;
  roles: Role[];
  /** ISO 3166-1 alpha-2 country whose law the organisation is registered under. */
  jurisdiction: string;
  /**
   * Chinese organisations: the 18-character unified social credit code; others: their own register's number.
   * A person has none: it holds `person:<id>` so that (jurisdiction, registration number) stays unique.
   */
  registrationNumber: string;
  /** Allocated by the registry when a manufacturer is admitted; never changes. */
  enterpriseCode: string | null;
  createdAt: string;
}

export interface NewOrganisation {
  name: string;
  roles: string[];
  jurisdiction: string;
  registrationNumber: string;
}

/** Checks what a schema cannot: the country, the registration number's own check character, the roles. */
export function validateNewOrganisation(input: NewOrganisation): NewOrganisation & { roles: Role[] } {
  const issues = new Issues();
  const name = input.name.trim();
  if (name.length === 0) issues.add({ field: '/name', message: 'must not be blank' });
  const jurisdiction = issues.check(() => validateCountryCode(input.jurisdiction, '/jurisdiction'));
  const registrationNumber = issues.check(() =>
    jurisdiction === 'CN' ||
    (jurisdiction === undefined && /^[0-9A-Z]{18}$/i.test(input.registrationNumber.trim()))
      ? validateCreditCode(input.registrationNumber, '/registrationNumber')
      : validateForeignRegistrationNumber(input.registrationNumber, '/registrationNumber'),
  );
  const roles = [...new Set(input.roles)];
  roles.forEach((role, i) => {
    if (!isRole(role)) issues.add({ field: `/roles/${i}`, message: `unknown role '${role}'` });
    if (role === 'admin')
      issues.add({ field: `/roles/${i}`, message: 'admin belongs to the platform operator only' });
  });
  issues.throwIfAny('invalid-organisation');
  return {
    name,
    jurisdiction: jurisdiction!,
    registrationNumber: registrationNumber!,
    roles: roles as Role[],
  };
}
