import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import {
  getDelivery,
  listDeliveries,
  listSubscriptionDeliveries,
  redeliver,
} from '../../../app/notifications/deliveries.js';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
} from '../../../app/notifications/subscriptions.js';
import { NOTICE_TOPICS } from '../../../domain/safety/notices.js';
import { WEBHOOK_URL_MAX } from '../../../domain/safety/webhook-url.js';
import { decodePage, encodePage } from '../pagination.js';
import { PageQuery, StringEnum, pageOf, problemResponses } from '../schemas.js';

const Closed = { additionalProperties: false } as const;
const secured = [{ apiKey: [] }];
const STATES = ['pending', 'delivered', 'dead'] as const;
const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

const Topic = StringEnum(NOTICE_TOPICS);

const NewSubscription = Type.Object(
  {
    url: Type.String({
      maxLength: WEBHOOK_URL_MAX,
      description: 'https; plain http only to a loopback host (localhost, 127.x.x.x, [::1])',
    }),
    topics: Type.Array(Type.String({ maxLength: 64 }), {
      minItems: 1,
      maxItems: NOTICE_TOPICS.length,
      description: `Any of: ${NOTICE_TOPICS.join(', ')}`,
    }),
  },
  Closed,
);

export const Subscription = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  url: Type.String(),
  topics: Type.Array(Topic, { description: 'None for an EPCIS query subscription (docs/epcis.md)' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const CreatedSubscription = Type.Object({
  ...Subscription.properties,
  secret: Type.String({
    description: 'whsec_<base64 of 32 bytes>: the HMAC key of webhook-signature. Shown this once only.',
  }),
});

export const RemovedSubscription = Type.Object({
  ...Subscription.properties,
  removedAt: Type.String({ format: 'date-time' }),
});

export const Delivery = Type.Object({
  id: Type.String({ description: 'Sent as webhook-id, the same on every attempt: de-duplicate on it' }),
  subscriptionId: Type.String(),
  orgId: Type.String(),
  noticeId: Type.Integer(),
  state: StringEnum(STATES),
  attempts: Type.Integer({ description: 'Attempts since it was last queued' }),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  lastStatus: Nullable(Type.Integer({ description: "The receiver's last HTTP status" })),
  lastError: Nullable(Type.String()),
});

export const Attempt = Type.Object({
  attempt: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  durationMs: Type.Integer(),
  status: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
});

export const DeliveryWithLog = Type.Object({ ...Delivery.properties, log: Type.Array(Attempt) });

const IdParam = Type.Object({ id: Type.String({ maxLength: 64 }) });
const DeliveryQuery = Type.Object(
  { ...PageQuery.properties, state: Type.Optional(StringEnum(STATES)) },
  Closed,
);

/** Webhook subscriptions and their delivery log (docs/notifications.md). */
export function notificationRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['notifications'];

  app.post(
    '/v1/subscriptions',
    {
      schema: {
        operationId: 'createSubscription',
        tags,
        summary: 'Subscribe a webhook to notice topics; the signing secret is in this answer only',
        description:
          'Notices of these topics that name the caller (regulators: every notice of these topics) are POSTed ' +
          'to the URL, signed per Standard Webhooks.',
        security: secured,
        body: NewSubscription,
        response: { 201: CreatedSubscription, ...problemResponses(400, 401, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createSubscription(ctx, request.caller, request.body)),
  );

  app.get(
    '/v1/subscriptions',
    {
      schema: {
        operationId: 'listSubscriptions',
        tags,
        summary: "The caller's subscriptions",
        security: secured,
        response: { 200: Type.Object({ items: Type.Array(Subscription) }), ...problemResponses(401) },
      },
    },
    async (request) => ({ items: await listSubscriptions(ctx, request.caller) }),
  );

  app.get(
    '/v1/subscriptions/:id',
    {
      schema: {
        operationId: 'getSubscription',
        tags,
        summary: 'One of the caller’s subscriptions',
        security: secured,
        params: IdParam,
        response: { 200: Subscription, ...problemResponses(401, 404) },
      },
    },
    async (request) => getSubscription(ctx, request.caller, request.params.id),
  );

  app.delete(
    '/v1/subscriptions/:id',
    {
      schema: {
        operationId: 'deleteSubscription',
        tags,
        summary: 'Remove a subscription; its pending deliveries end as dead, nothing more is sent',
        security: secured,
        params: IdParam,
        response: { 200: RemovedSubscription, ...problemResponses(401, 404) },
      },
    },
    async (request) => deleteSubscription(ctx, request.caller, request.params.id),
  );

  app.get(
    '/v1/subscriptions/:id/deliveries',
    {
      schema: {
        operationId: 'listSubscriptionDeliveries',
        tags,
        summary: "A subscription's deliveries, oldest first",
        security: secured,
        params: IdParam,
        querystring: DeliveryQuery,
        response: { 200: pageOf(Delivery), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { state, ...page } = request.query;
      return encodePage(
        await listSubscriptionDeliveries(ctx, request.caller, request.params.id, state, decodePage(page)),
      );
    },
  );

  app.get(
    '/v1/deliveries',
    {
      schema: {
        operationId: 'listDeliveries',
        tags,
        summary: "The caller's deliveries, oldest first (regulators and the administrator: everyone's)",
        description: 'state=dead is the dead-letter list.',
        security: secured,
        querystring: DeliveryQuery,
        response: { 200: pageOf(Delivery), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { state, ...page } = request.query;
      return encodePage(await listDeliveries(ctx, request.caller, state, decodePage(page)));
    },
  );

  app.get(
    '/v1/deliveries/:id',
    {
      schema: {
        operationId: 'getDelivery',
        tags,
        summary: 'A delivery and its log: every attempt with its time, HTTP status or error, and duration',
        security: secured,
        params: IdParam,
        response: { 200: DeliveryWithLog, ...problemResponses(401, 404) },
      },
    },
    async (request) => getDelivery(ctx, request.caller, request.params.id),
  );

  app.post(
    '/v1/deliveries/:id/redeliver',
    {
      schema: {
        operationId: 'redeliverDelivery',
        tags,
        summary: 'Put a dead or delivered delivery back in the queue, due now, with a fresh set of attempts',
        security: secured,
        params: IdParam,
        response: { 200: Delivery, ...problemResponses(401, 404, 409) },
      },
    },
    async (request) => redeliver(ctx, request.caller, request.params.id),
  );
}
