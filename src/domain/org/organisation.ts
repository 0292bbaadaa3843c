import { invalid } from '../errors.js';
import { validateCountryCode } from '../id/index.js';
import { validateCreditCode, validateForeignRegistrationNumber } from './credit-code.js';
import { isRole, type Role } from './roles.js';

export interface Organisation {
  id: string;
  name: string;
  roles: Role[];
  /** ISO 3166-1 alpha-2 country whose law the organisation is registered under. */
  jurisdiction: string;
  /** Chinese organisations: the 18-character unified social credit code; others: their own register's number. */
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
  const name = input.name.trim();
  if (name.length === 0)
    throw invalid('invalid-organisation', 'name is empty', [
      { field: '/name', message: 'must not be blank' },
    ]);
  const jurisdiction = validateCountryCode(input.jurisdiction, '/jurisdiction');
  const registrationNumber =
    jurisdiction === 'CN'
      ? validateCreditCode(input.registrationNumber, '/registrationNumber')
      : validateForeignRegistrationNumber(input.registrationNumber, '/registrationNumber');
  const roles = [...new Set(input.roles)];
  roles.forEach((role, i) => {
    if (!isRole(role))
      throw invalid('invalid-organisation', `unknown role '${role}'`, [
        { field: `/roles/${i}`, message: `unknown role '${role}'` },
      ]);
  });
  if (roles.includes('admin')) {
    throw invalid('invalid-organisation', 'the admin role belongs to the platform operator only', [
      { field: '/roles', message: 'admin cannot be granted' },
    ]);
  }
  return { name, jurisdiction, registrationNumber, roles: roles as Role[] };
}
