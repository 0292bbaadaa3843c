import { invalid } from '../errors.js';

/**
 * Why a regulator or a bulk query reads non-public data: a purpose code, recorded with the read in the read audit
 * (src/app/read-audit.ts), so that every such read can be accounted for afterwards.
 */
export const PURPOSES = [
  'inspection',
  'recall',
  'incident_investigation',
  'market_surveillance',
  'statistics',
  'law_enforcement',
  'customs',
  'data_subject_request',
] as const;
export type Purpose = (typeof PURPOSES)[number];

const KNOWN: ReadonlySet<string> = new Set(PURPOSES);

export const isPurpose = (value: string): value is Purpose => KNOWN.has(value);

/** The request header that carries the purpose, and the field a refusal names. */
export const PURPOSE_HEADER = 'RobotID-Purpose';
export const PURPOSE_FIELD = `header:/${PURPOSE_HEADER}`;

/** The one refusal for a read that needed a purpose and had none (or none that justifies it). */
export const purposeRequired = (detail: string, why: string) =>
  invalid('purpose-required', detail, [{ field: PURPOSE_FIELD, message: why }]);
