/**
 * The REST binding's query parameters (GET /epcis/events, a named query's `query`) read into an EpcisQuery. A
 * multi-valued parameter is written `a|b` in a URL and may be an array of strings in a named query's JSON (GS1's
 * query schema writes arrays); both mean any of the values. The edge's schema has already refused unknown names.
 */
import type { EpcisQuery } from './query.js';

export type QueryParamValue = string | readonly string[] | boolean;
export type QueryParams = Readonly<Record<string, QueryParamValue | undefined>>;

const values = (v: QueryParamValue | undefined) =>
  v === undefined || typeof v === 'boolean' ? undefined : typeof v === 'string' ? v.split('|') : [...v];
const ms = (v: QueryParamValue | undefined) => (typeof v === 'string' ? Date.parse(v) : undefined);

export function epcisQueryOf(p: QueryParams): EpcisQuery {
  const q: EpcisQuery = {
    eventTypes: values(p.eventType),
    eventTimeFrom: ms(p.GE_eventTime),
    eventTimeBefore: ms(p.LT_eventTime),
    recordTimeFrom: ms(p.GE_recordTime),
    recordTimeBefore: ms(p.LT_recordTime),
    actions: values(p.EQ_action),
    bizSteps: values(p.EQ_bizStep),
    dispositions: values(p.EQ_disposition),
    epcs: values(p.MATCH_epc),
    anyEpcs: values(p.MATCH_anyEPC),
    parentIds: values(p.MATCH_parentID),
    bizLocations: values(p.EQ_bizLocation),
    readPoints: values(p.EQ_readPoint),
    eventIds: values(p.EQ_eventID),
    // The binding: false, or no parameter, means whether or not declared erroneous.
    errorDeclared: p.EXISTS_errorDeclaration === true ? true : undefined,
  };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as EpcisQuery;
}

/** A named query's name: one path segment of unreserved characters (the binding's /queries/{queryName}). */
export const QUERY_NAME_PATTERN = '^[A-Za-z0-9._~-]{1,100}$';
/** The same in words, for a fault a person reads (app/validation.ts PATTERN_MEANINGS). */
export const QUERY_NAME_MEANINGS: Readonly<Record<string, string>> = {
  [QUERY_NAME_PATTERN]: 'must be 1 to 100 letters, digits and . _ ~ - (it is a path segment)',
};
