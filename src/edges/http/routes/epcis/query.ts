import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../../app/context.js';
import { queryEpcisEvents, type EventsPage } from '../../../../app/epcis/query.js';
import { epcisQueryDocument } from '../../../../domain/epcis/export.js';
import { ROBOTID_CONTEXT } from '../../../../domain/epcis/mapping.js';
import { epcisQueryOf } from '../../../../domain/epcis/query-params.js';
import { problemResponses } from '../../schemas.js';
import { EventsQuery } from './query-params.js';

const JSON_LD = 'application/ld+json';
const STANDARD_EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
];

/** Any JSON-LD document: the EPCIS schema is GS1's (docs/epcis.md); written out whole, nothing dropped. */
const JsonLd = (description: string) =>
  Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description });
export const QueryDocument = JsonLd(
  'An EPCISQueryDocument (GS1 EPCIS 2.0): epcisBody.queryResults.resultsBody.eventList',
);
export const bothMediaTypes = (schema: ReturnType<typeof JsonLd>, description: string) => ({
  description,
  content: { [JSON_LD]: { schema }, 'application/json': { schema } },
});
export const PAGE_HEADERS = {
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

export function sendPage(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, page: EventsPage) {
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
      const page = await queryEpcisEvents(ctx, request.caller, epcisQueryOf(rest), {
        perPage,
        nextPageToken,
      });
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
        epcisQueryOf(rest),
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
