/**
 * The GS1 EPCIS 2.0 REST binding's named queries and their webhook subscriptions, under /epcis (docs/epcis.md,
 * Query subscriptions): /epcis/queries, /epcis/queries/{queryName}, …/events, …/subscriptions.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../../app/context.js';
import {
  createNamedQuery,
  deleteNamedQuery,
  getNamedQuery,
  listNamedQueries,
  QUERY_NAME_PATTERN,
  queryNamedEvents,
} from '../../../../app/epcis/named-queries.js';
import {
  getQuerySubscription,
  listQuerySubscriptions,
  subscribeToQuery,
  unsubscribeFromQuery,
} from '../../../../app/epcis/query-subscriptions.js';
import type { QueryParams } from '../../../../domain/epcis/query-params.js';
import { WEBHOOK_URL_MAX } from '../../../../domain/safety/webhook-url.js';
import { problemResponses } from '../../schemas.js';
import { bothMediaTypes, PAGE_HEADERS, QueryDocument, sendPage } from './query.js';
import { NamedQueryParams, PagingQuery } from './query-params.js';

const secured = [{ apiKey: [] }];
const tags = ['EPCIS'];

const QueryName = Type.String({
  pattern: QUERY_NAME_PATTERN,
  description: 'The query’s name, unique in your organisation: letters, digits, and . _ ~ -',
});
const NamedQuery = Type.Object({ name: QueryName, query: NamedQueryParams }, { additionalProperties: false });
const NamedQueryAnswer = Type.Object({
  name: Type.String(),
  query: Type.Record(Type.String(), Type.Unknown(), { description: 'The parameters as given' }),
  createdAt: Type.String({ format: 'date-time' }),
});
const ByName = Type.Object({ queryName: QueryName });
const BySubscription = Type.Object({
  queryName: QueryName,
  subscriptionID: Type.String({ maxLength: 100 }),
});

const NewSubscription = Type.Object(
  {
    dest: Type.String({
      maxLength: WEBHOOK_URL_MAX,
      description:
        'Where matching events are POSTed: https; plain http only to a loopback host (localhost, 127.x.x.x, [::1])',
    }),
    stream: Type.Optional(Type.Boolean({ description: 'Must be true: every new matching event is sent' })),
    schedule: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Refused: scheduled queries are not offered',
      }),
    ),
    reportIfEmpty: Type.Optional(Type.Boolean({ description: 'Refused when true (scheduled queries only)' })),
    signatureToken: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'Refused: deliveries are signed with the secret of the answer (Standard Webhooks)',
      }),
    ),
    initialRecordTime: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Send events recorded from this time on (now or later; default now)',
      }),
    ),
  },
  { additionalProperties: false },
);
const QuerySubscription = Type.Object({
  subscriptionID: Type.String({
    description: 'Also the webhook subscription’s id (GET /v1/subscriptions/{id})',
  }),
  queryName: Type.String(),
  dest: Type.String(),
  stream: Type.Literal(true),
  initialRecordTime: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
});
const CreatedQuerySubscription = Type.Object({
  ...QuerySubscription.properties,
  secret: Type.String({
    description: 'whsec_<base64 of 32 bytes>: the HMAC key of webhook-signature. Shown this once only.',
  }),
});

const location = (ctx: AppContext, path: string) => `${ctx.publicBaseUrl.replace(/\/+$/, '')}${path}`;
const queryPath = (name: string) => `/epcis/queries/${encodeURIComponent(name)}`;

/** Named queries (POST, GET, DELETE /epcis/queries…) and their events. */
function namedQueryRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/epcis/queries',
    {
      schema: {
        operationId: 'createEpcisQuery',
        tags,
        summary: 'Keep an EPCIS query under a name (GS1 EPCIS 2.0 named query)',
        description:
          'The `query` takes the parameters of GET /epcis/events by the same names and rules (an unknown one is ' +
          'refused, named); a value is a string as in a URL (`a|b`) or an array of strings.',
        security: secured,
        body: NamedQuery,
        response: {
          201: { ...NamedQueryAnswer, headers: { location: { type: 'string' } } },
          ...problemResponses(400, 401, 409),
        },
      },
    },
    async (request, reply) => {
      // The schema has checked each parameter's name and form (NamedQueryParams).
      const { name, query } = request.body as { name: string; query: QueryParams };
      const created = await createNamedQuery(ctx, request.caller, { name, query });
      return reply
        .code(201)
        .header('location', location(ctx, queryPath(created.name)))
        .send(created);
    },
  );

  app.get(
    '/epcis/queries',
    {
      schema: {
        operationId: 'listEpcisQueries',
        tags,
        summary: 'Your organisation’s named EPCIS queries',
        security: secured,
        response: { 200: Type.Array(NamedQueryAnswer), ...problemResponses(401) },
      },
    },
    async (request) => listNamedQueries(ctx, request.caller),
  );

  app.get(
    '/epcis/queries/:queryName',
    {
      schema: {
        operationId: 'getEpcisQuery',
        tags,
        summary: 'A named EPCIS query of your organisation',
        security: secured,
        params: ByName,
        response: { 200: NamedQueryAnswer, ...problemResponses(401, 404) },
      },
    },
    async (request) => getNamedQuery(ctx, request.caller, request.params.queryName),
  );

  app.delete(
    '/epcis/queries/:queryName',
    {
      schema: {
        operationId: 'deleteEpcisQuery',
        tags,
        summary: 'Remove a named EPCIS query and end every subscription to it',
        security: secured,
        params: ByName,
        response: { 204: Type.Null({ description: 'Removed' }), ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      await deleteNamedQuery(ctx, request.caller, request.params.queryName);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/epcis/queries/:queryName/events',
    {
      schema: {
        operationId: 'queryEpcisQueryEvents',
        tags,
        summary: 'The events of a named EPCIS query you may see, as GET /epcis/events answers them',
        security: secured,
        params: ByName,
        querystring: PagingQuery,
        response: {
          200: { ...bothMediaTypes(QueryDocument, 'An EPCISQueryDocument'), headers: PAGE_HEADERS },
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const page = await queryNamedEvents(ctx, request.caller, request.params.queryName, request.query);
      return sendPage(ctx, request, reply, page);
    },
  );
}

/** Webhook subscriptions to a named query (streaming only). */
function subscriptionRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/epcis/queries/:queryName/subscriptions',
    {
      schema: {
        operationId: 'subscribeEpcisQuery',
        tags,
        summary: 'Subscribe a webhook to a named EPCIS query: each new matching event is POSTed to `dest`',
        description:
          'Each stored event that matches, as you may see it, is POSTed to `dest` as an EPCISQueryDocument, ' +
          'signed per Standard Webhooks with the secret of this answer (shown this once), with the retries and ' +
          'delivery log of the webhooks (docs/notifications.md). `stream: true` only: `schedule`, ' +
          '`reportIfEmpty: true` and `signatureToken` are refused by name (docs/epcis.md).',
        security: secured,
        params: ByName,
        body: NewSubscription,
        response: {
          201: { ...CreatedQuerySubscription, headers: { location: { type: 'string' } } },
          ...problemResponses(400, 401, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { queryName } = request.params;
      const created = await subscribeToQuery(ctx, request.caller, queryName, request.body);
      const path = `${queryPath(queryName)}/subscriptions/${created.subscriptionID}`;
      return reply.code(201).header('location', location(ctx, path)).send(created);
    },
  );

  app.get(
    '/epcis/queries/:queryName/subscriptions',
    {
      schema: {
        operationId: 'listEpcisQuerySubscriptions',
        tags,
        summary: 'The live subscriptions to a named EPCIS query',
        security: secured,
        params: ByName,
        response: { 200: Type.Array(QuerySubscription), ...problemResponses(401, 404) },
      },
    },
    async (request) => listQuerySubscriptions(ctx, request.caller, request.params.queryName),
  );

  app.get(
    '/epcis/queries/:queryName/subscriptions/:subscriptionID',
    {
      schema: {
        operationId: 'getEpcisQuerySubscription',
        tags,
        summary: 'A live subscription to a named EPCIS query',
        security: secured,
        params: BySubscription,
        response: { 200: QuerySubscription, ...problemResponses(401, 404) },
      },
    },
    async (request) =>
      getQuerySubscription(ctx, request.caller, request.params.queryName, request.params.subscriptionID),
  );

  app.delete(
    '/epcis/queries/:queryName/subscriptions/:subscriptionID',
    {
      schema: {
        operationId: 'unsubscribeEpcisQuery',
        tags,
        summary:
          'End a subscription to a named EPCIS query: its pending deliveries end, nothing more is sent',
        security: secured,
        params: BySubscription,
        response: { 204: Type.Null({ description: 'Unsubscribed' }), ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const { queryName, subscriptionID } = request.params;
      await unsubscribeFromQuery(ctx, request.caller, queryName, subscriptionID);
      return reply.code(204).send(null);
    },
  );
}

export function epcisNamedQueryRoutes(server: FastifyInstance, ctx: AppContext) {
  namedQueryRoutes(server, ctx);
  subscriptionRoutes(server, ctx);
}
