import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../../../app/context.js';
import {
  DEFAULT_PER_PAGE,
  MAX_PER_PAGE,
  queryEpcisEvents,
  type EventsPage,
} from '../../../../app/epcis/query.js';
import { epcisQueryDocument } from '../../../../domain/epcis/export.js';
import { ROBOTID_CONTEXT } from '../../../../domain/epcis/mapping.js';
import type { EpcisQuery } from '../../../../domain/epcis/query.js';
import { problemResponses } from '../../schemas.js';

const JSON_LD = 'application/ld+json';
const STANDARD_EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
];

/** A parameter the binding writes pipe-delimited (`a|b`): any of the values. */
const Piped = (description: string, pattern?: string) =>
  Type.Optional(Type.String({ minLength: 1, maxLength: 4000, description, ...(pattern ? { pattern } : {}) }));
const Time = (description: string) => Type.Optional(Type.String({ format: 'date-time', description }));
const ACTION = '(ADD|OBSERVE|DELETE)';

/** The binding's query parameters the registry takes; any other is refused, named (400). */
const EventsQuery = Type.Object(
  {
    eventType: Piped('EPCIS event types, `|`-separated: ObjectEvent, AssociationEvent, …'),
    GE_eventTime: Time('eventTime at or after'),
    LT_eventTime: Time('eventTime before'),
    GE_recordTime: Time('recordTime at or after'),
    LT_recordTime: Time('recordTime before'),
    EQ_action: Piped('ADD, OBSERVE or DELETE, `|`-separated', `^${ACTION}(\\|${ACTION})*$`),
    EQ_bizStep: Piped('CBV business steps (bare words or URIs) or the registry’s URNs, `|`-separated'),
    EQ_disposition: Piped('CBV dispositions or URIs, `|`-separated'),
    MATCH_epc: Piped('EPCs in epcList or childEPCs (a robot by any of its names; parts by their URNs)'),
    MATCH_anyEPC: Piped('EPCs in epcList, childEPCs or parentID'),
    MATCH_parentID: Piped('parentID (a robot, for the parts fitted to or removed from it)'),
    EQ_bizLocation: Piped('bizLocation ids, `|`-separated'),
    EQ_readPoint: Piped('readPoint ids, `|`-separated'),
    EQ_eventID: Piped('eventIDs, `|`-separated'),
    EXISTS_errorDeclaration: Type.Optional(
      Type.Boolean({ description: 'true: only events declared erroneous (by a correction)' }),
    ),
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
  },
  { additionalProperties: false },
);
type EventsQuery = Static<typeof EventsQuery>;

const split = (v: string | undefined) => (v === undefined ? undefined : v.split('|'));
const ms = (v: string | undefined) => (v === undefined ? undefined : Date.parse(v));

function queryOf(p: EventsQuery): EpcisQuery {
  const q: EpcisQuery = {
    eventTypes: split(p.eventType),
    eventTimeFrom: ms(p.GE_eventTime),
    eventTimeBefore: ms(p.LT_eventTime),
    recordTimeFrom: ms(p.GE_recordTime),
    recordTimeBefore: ms(p.LT_recordTime),
    actions: split(p.EQ_action),
    bizSteps: split(p.EQ_bizStep),
    dispositions: split(p.EQ_disposition),
    epcs: split(p.MATCH_epc),
    anyEpcs: split(p.MATCH_anyEPC),
    parentIds: split(p.MATCH_parentID),
    bizLocations: split(p.EQ_bizLocation),
    readPoints: split(p.EQ_readPoint),
    eventIds: split(p.EQ_eventID),
    // The binding: false, or no parameter, means whether or not declared erroneous.
    errorDeclared: p.EXISTS_errorDeclaration === true ? true : undefined,
  };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as EpcisQuery;
}

/** Any JSON-LD document: the EPCIS schema is GS1's (docs/epcis.md); written out whole, nothing dropped. */
const JsonLd = (description: string) =>
  Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description });
const QueryDocument = JsonLd(
  'An EPCISQueryDocument (GS1 EPCIS 2.0): epcisBody.queryResults.resultsBody.eventList',
);
const bothMediaTypes = (schema: ReturnType<typeof JsonLd>, description: string) => ({
  description,
  content: { [JSON_LD]: { schema }, 'application/json': { schema } },
});
const PAGE_HEADERS = {
  link: {
    type: 'string',
    description:
      'The next page, as the binding gives it: `<…?…&nextPageToken=…>; rel="next"`; absent on the last',
  },
  'gs1-epcis-version': { type: 'string', description: '2.0.0' },
};

/** JSON-LD when the client's Accept prefers it to JSON (a higher q, or the same and listed first), else JSON. */
export function preferredType(accept: string | undefined): typeof JSON_LD | 'application/json' {
  let best: { type: string; q: number } | undefined;
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (type !== JSON_LD && type !== 'application/json') continue;
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    if (!best || q > best.q) best = { type: type!, q };
  }
  return best?.type === JSON_LD && best.q > 0 ? JSON_LD : 'application/json';
}

/** The binding serves both media types; the body is the same. */
function sendDocument(request: FastifyRequest, reply: FastifyReply, body: unknown) {
  const type = preferredType(request.headers.accept);
  return reply.header('gs1-epcis-version', '2.0.0').type(`${type}; charset=utf-8`).send(JSON.stringify(body));
}

/** The address of the next page: this request's own query, with the next page's token. */
function nextLink(ctx: AppContext, request: FastifyRequest, token: string): string {
  const url = new URL(request.url, ctx.publicBaseUrl);
  url.searchParams.set('nextPageToken', token);
  return `<${ctx.publicBaseUrl.replace(/\/+$/, '')}${url.pathname}${url.search}>; rel="next"`;
}

function sendPage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, page: EventsPage) {
  if (page.next !== null) reply.header('link', nextLink(ctx, request, page.next));
  const doc = epcisQueryDocument(page.events, {
    creationDate: ctx.now().toISOString(),
    queryName: 'SimpleEventQuery',
  });
  return sendDocument(request, reply, doc);
}

/** The GS1 EPCIS 2.0 REST binding's query interface, under /epcis (docs/epcis.md, Query). */
export function epcisQueryRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const description =
    'The events you may see, as the native history shows them to you (docs/access.md), exported as EPCIS 2.0 ' +
    '(docs/epcis.md): parameters as the GS1 REST binding names them, `|` between values; exact matches (no EPC ' +
    'patterns). Pages: `perPage`, and `nextPageToken` from the `Link: <…>; rel="next"` header. A query that names ' +
    `no robot or part reads up to 2,000 stored events a page, so a page may hold fewer than perPage events.`;

  app.get(
    '/epcis/events',
    {
      schema: {
        operationId: 'queryEpcisEvents',
        tags: ['EPCIS'],
        summary: 'EPCIS events you may see (GS1 EPCIS 2.0 query)',
        description,
        security: [{ apiKey: [] }],
        querystring: EventsQuery,
        response: {
          200: { ...bothMediaTypes(QueryDocument, 'An EPCISQueryDocument'), headers: PAGE_HEADERS },
          ...problemResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const { perPage, nextPageToken, ...rest } = request.query;
      const page = await queryEpcisEvents(ctx, request.caller, queryOf(rest), { perPage, nextPageToken });
      return sendPage(ctx, request, reply, page);
    },
  );

  app.get(
    '/epcis/epcs/:epc/events',
    {
      schema: {
        operationId: 'queryEpcisEventsOfEpc',
        tags: ['EPCIS'],
        summary: 'EPCIS events of one EPC you may see: a robot (any of its names) or a part',
        description: `${description} A robot you may not see: 404, as in the native API.`,
        security: [{ apiKey: [] }],
        params: Type.Object({
          epc: Type.String({ minLength: 1, maxLength: 400, description: 'The EPC, URL-encoded' }),
        }),
        querystring: EventsQuery,
        response: {
          200: { ...bothMediaTypes(QueryDocument, 'An EPCISQueryDocument'), headers: PAGE_HEADERS },
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { perPage, nextPageToken, ...rest } = request.query;
      const page = await queryEpcisEvents(
        ctx,
        request.caller,
        queryOf(rest),
        { perPage, nextPageToken },
        request.params.epc,
      );
      return sendPage(ctx, request, reply, page);
    },
  );

  app.get(
    '/epcis/eventTypes',
    {
      schema: {
        operationId: 'listEpcisEventTypes',
        tags: ['EPCIS'],
        summary: 'The EPCIS event types this repository holds (the five of the standard)',
        response: {
          200: bothMediaTypes(JsonLd('A Collection of event type names'), 'A Collection'),
        },
      },
    },
    async (request, reply) =>
      sendDocument(request, reply, {
        '@context': ROBOTID_CONTEXT,
        type: 'Collection',
        member: STANDARD_EVENT_TYPES,
      }),
  );
}
