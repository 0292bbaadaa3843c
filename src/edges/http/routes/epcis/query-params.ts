/**
 * The binding's query parameters, once, in the two forms the registry reads them: a URL's query string
 * (GET /epcis/events: several values as `a|b`) and a named query's JSON `query` (POST /epcis/queries: a string
 * as in a URL, or an array of strings as GS1's query schema writes them). Any other name is refused, named (400).
 */
import { Type, type TSchema } from 'typebox';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE } from '../../../../app/epcis/query.js';

const ACTION = '(ADD|OBSERVE|DELETE)';

/** A parameter the binding writes pipe-delimited (`a|b`): any of the values. */
const pipedString = (description: string, pattern?: string) =>
  Type.String({ minLength: 1, maxLength: 4000, description, ...(pattern ? { pattern } : {}) });

/** Each parameter: a multi-valued one (`a|b`) with its description and pattern, a time, or a flag. */
type Parameter =
  | { kind: 'piped'; description: string; pattern?: string }
  | { kind: 'time'; description: string }
  | { kind: 'flag'; description: string };

const piped = (description: string, pattern?: string): Parameter => ({
  kind: 'piped',
  description,
  ...(pattern ? { pattern } : {}),
});
const time = (description: string): Parameter => ({ kind: 'time', description });

/** In the order the binding lists them. */
const PARAMETERS: Record<string, Parameter> = {
  eventType: piped('EPCIS event types, `|`-separated: ObjectEvent, AssociationEvent, …'),
  GE_eventTime: time('eventTime at or after'),
  LT_eventTime: time('eventTime before'),
  GE_recordTime: time('recordTime at or after'),
  LT_recordTime: time('recordTime before'),
  EQ_action: piped('ADD, OBSERVE or DELETE, `|`-separated', `^${ACTION}(\\|${ACTION})*$`),
  EQ_bizStep: piped('CBV business steps (bare words or URIs) or the registry’s URNs, `|`-separated'),
  EQ_disposition: piped('CBV dispositions or URIs, `|`-separated'),
  MATCH_epc: piped('EPCs in epcList or childEPCs (a robot by any of its names; parts by their URNs)'),
  MATCH_anyEPC: piped('EPCs in epcList, childEPCs or parentID'),
  MATCH_parentID: piped('parentID (a robot, for the parts fitted to or removed from it)'),
  EQ_bizLocation: piped('bizLocation ids, `|`-separated'),
  EQ_readPoint: piped('readPoint ids, `|`-separated'),
  EQ_eventID: piped('eventIDs, `|`-separated'),
  EXISTS_errorDeclaration: {
    kind: 'flag',
    description: 'true: only events declared erroneous (by a correction)',
  },
};

function schemaOf(p: Parameter, form: 'url' | 'json'): TSchema {
  if (p.kind === 'time') return Type.String({ format: 'date-time', description: p.description });
  if (p.kind === 'flag') return Type.Boolean({ description: p.description });
  const one = pipedString(p.description, p.pattern);
  if (form === 'url') return one;
  const each = pipedString('one value', p.pattern && `^${ACTION}$`);
  return Type.Union([one, Type.Array(each, { minItems: 1, maxItems: 100 })]);
}

/** The parameters that select events, in a URL's form or a named query's JSON form. */
const selectingParameters = (form: 'url' | 'json') =>
  Object.fromEntries(Object.entries(PARAMETERS).map(([name, p]) => [name, Type.Optional(schemaOf(p, form))]));

const PAGING = {
  perPage: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_PER_PAGE,
      default: DEFAULT_PER_PAGE,
      description: `Events per page (at most ${MAX_PER_PAGE})`,
    }),
  ),
  nextPageToken: Type.Optional(
    Type.String({ maxLength: 200, description: 'From the previous page’s `Link: <…>; rel="next"` header' }),
  ),
};

/** GET /epcis/events and the like: the selecting parameters and the page. */
export const EventsQuery = Type.Object(
  { ...selectingParameters('url'), ...PAGING },
  { additionalProperties: false },
);

/** A named query's `query`: the same parameters (no paging), a string or an array of strings each. */
export const NamedQueryParams = Type.Object(selectingParameters('json'), {
  additionalProperties: false,
  description:
    'GET /epcis/events parameters, by the same names and rules: a value as in a URL (`a|b`) or an array of strings',
});

/** GET /epcis/queries/{name}/events: the named query's own parameters, paged. */
export const PagingQuery = Type.Object(PAGING, { additionalProperties: false });
