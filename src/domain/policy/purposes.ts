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
