/**
 * A natural person who owns or operates robots. The registry knows the person as a pseudonymous party (an
 * organisation of kind `person`, with the role `operator`); the name and contact details are personal data, kept
 * encrypted in a store of their own and never in the party record, a robot's history or the transparency log.
 */
import { Issues } from '../errors.js';
import type { Purpose } from '../policy/purposes.js';

/** The personal data of one person: a name and at least one way to reach them. */
export interface PersonalData {
  name: string;
  email?: string;
  phone?: string;
  address?: string;
  nationalId?: string;
}

export const CONTACT_FIELDS = ['email', 'phone', 'address', 'nationalId'] as const;

/** What a person's party shows as its name everywhere. */
export const personPseudonym = (id: string) => `person ${id}`;

/** A person's registration number: none exists, and the party's own id keeps (jurisdiction, number) unique. */
export const personRegistrationNumber = (id: string) => `person:${id}`;

/**
 * Trims every field, drops empty optional ones, and checks what a schema cannot: a name that is not blank and
 * at least one contact left after trimming.
 */
export function validatePersonalData(input: PersonalData): PersonalData {
  const issues = new Issues();
  const name = input.name.trim();
  if (name.length === 0) issues.add({ field: '/name', message: 'must not be blank' });
  const data: PersonalData = { name };
  for (const field of CONTACT_FIELDS) {
    const value = input[field]?.trim();
    if (value) data[field] = value;
  }
  if (!CONTACT_FIELDS.some((field) => data[field] !== undefined)) {
    issues.add({ field: '/email', message: `give at least one contact: ${CONTACT_FIELDS.join(', ')}` });
  }
  issues.throwIfAny('invalid-personal-data');
  return data;
}

/**
 * Why a regulator may read a person's personal data: the purpose codes (src/domain/policy/purposes.ts) that can
 * justify it (statistics and customs cannot). Sent as the RobotID-Purpose header and kept in the audit log.
 */
export const READ_PURPOSES = [
  'inspection',
  'recall',
  'incident_investigation',
  'market_surveillance',
  'law_enforcement',
  'data_subject_request',
] as const satisfies readonly Purpose[];
export type ReadPurpose = (typeof READ_PURPOSES)[number];

export const isReadPurpose = (value: string): value is ReadPurpose =>
  (READ_PURPOSES as readonly string[]).includes(value);
