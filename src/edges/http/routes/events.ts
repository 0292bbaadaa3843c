import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MAX_BATCH, captureEvents, type CaptureMode } from '../../../app/capture/index.js';
import type { AppContext } from '../../../app/context.js';
import { getHistory } from '../../../app/robots.js';
import { invalid } from '../../../domain/errors.js';
import { LARGEST_BODY } from '../limits.js';
import { Access, RobotIdParam, problemResponses } from '../schemas.js';

/**
 * One event of the body: the route takes any objects, and the capture checks each against this schema on its own
 * (app/event-schemas.ts), so that in proceed mode a malformed event rejects only itself. Clients build events to it.
 */
export type { IncomingEvent } from '../../../app/event-schemas.js';

export const EventResult = Type.Object({
  index: Type.Integer(),
  eventId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String({ enum: ['accepted', 'duplicate', 'rejected'] }),
  seq: Type.Optional(Type.Integer({ description: 'Place in the registry’s total order of events' })),
  recordTime: Type.Optional(Type.String()),
  late: Type.Optional(Type.Boolean()),
  problem: Type.Optional(
    Type.Object({
      kind: Type.String(),
      code: Type.String(),
      message: Type.String(),
      fields: Type.Array(
        Type.Object({
          field: Type.String(),
          message: Type.String(),
          position: Type.Optional(Type.Integer()),
        }),
      ),
      state: Type.Optional(Type.String()),
      allowed: Type.Optional(Type.Array(Type.String())),
    }),
  ),
});

export const CaptureResult = Type.Object({
  mode: Type.String(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(EventResult),
});

export const HistoryEntry = Type.Object({
  seq: Type.Integer(),
  eventId: Type.String(),
  type: Type.String(),
  eventTime: Type.String(),
  recordTime: Type.String(),
  reportedBy: Type.String(),
  late: Type.Boolean(),
  payload: Type.Unknown(),
  correctedBy: Type.Union([Type.String(), Type.Null()]),
});

export const History = Type.Object({
  robotId: Type.String(),
  jurisdiction: Type.String({ description: 'Country whose registry holds the record' }),
  state: Type.String(),
  access: Access,
  events: Type.Array(HistoryEntry),
});

const HEADER = 'gs1-capture-error-behaviour';

/** The capture mode a GS1-Capture-Error-Behaviour header asks for (rollback when absent). */
export function captureModeOf(header: string | string[] | undefined): CaptureMode {
  if (header === undefined || header === 'rollback') return 'rollback';
  if (header === 'proceed') return 'proceed';
  throw invalid('invalid-capture-mode', `${HEADER} must be rollback or proceed`, [
    { field: `header:${HEADER}`, message: 'must be rollback or proceed' },
  ]);
}

export function eventRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v1/events',
    {
      bodyLimit: LARGEST_BODY,
      schema: {
        operationId: 'captureEvents',
        tags: ['lifecycle events'],
        summary: 'Report lifecycle events: one to 10,000, in order, for the same or different robots',
        description:
          'Header `GS1-Capture-Error-Behaviour`: `rollback` (default) records all or nothing; `proceed` records ' +
          'the good events and reports the bad ones. Each event: `type`, `robotId`, `eventTime`, `payload` ' +
          '(per type, see IncomingEvent and docs/lifecycle.md) and optionally your own `eventId` (a retry with ' +
          'the same id and content is answered as the first time).',
        security: [{ apiKey: [] }],
        headers: Type.Object({ [HEADER]: Type.Optional(Type.String({ enum: ['rollback', 'proceed'] })) }),
        body: Type.Object(
          {
            events: Type.Array(Type.Object({}, { additionalProperties: true }), {
              minItems: 1,
              maxItems: MAX_BATCH,
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: CaptureResult,
          200: CaptureResult,
          ...problemResponses(400, 401, 403, 404, 409, 413),
        },
      },
    },
    async (request, reply) => {
      const mode = captureModeOf(request.headers[HEADER]);
      const result = await captureEvents(ctx, request.caller, request.body.events, mode);
      return reply.code(result.accepted > 0 && result.rejected === 0 ? 201 : 200).send(result);
    },
  );

  app.get(
    '/v1/robots/:id/events',
    {
      schema: {
        operationId: 'getRobotHistory',
        tags: ['lifecycle events'],
        summary: "A robot's history, as far as the caller may see it (docs/access.md)",
        description:
          'Its manufacturer, operator and regulators see every event (an operator not earlier owners’ usage); its ' +
          'holder the chain of custody and technical events; a service provider or recycler it authorised the ' +
          'technical events (components, firmware, service, dismantling). Anyone else: 404.',
        security: [{ apiKey: [] }],
        params: RobotIdParam,
        response: {
          200: History,
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request) => getHistory(ctx, request.caller, request.params.id),
  );
}
