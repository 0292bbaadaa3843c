import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { nextEvents } from '../../../app/next-events.js';
import { eventTypeCatalogue } from '../../../domain/lifecycle/catalogue.js';
import { EVENT_TYPES } from '../../../domain/lifecycle/events.js';
import { STATES } from '../../../domain/lifecycle/status.js';
import { ROLES } from '../../../domain/org/roles.js';
import { RobotIdParam, StringEnum, problemResponses } from '../schemas.js';

const EventTypeName = StringEnum(EVENT_TYPES);

export const EventTypes = Type.Object({
  eventTypes: Type.Array(
    Type.Object({
      type: EventTypeName,
      title: Type.String({ examples: ['Serviced'] }),
      titleZh: Type.String({ examples: ['维修保养'] }),
      payloadSchema: Type.Record(Type.String(), Type.Unknown(), {
        description: 'JSON Schema of the payload: the one the registry validates the event’s payload with',
      }),
      reportedBy: Type.Object({
        roles: Type.Array(StringEnum(ROLES), {
          description: 'The reporting organisation holds one of these roles; empty: any role',
        }),
        parties: Type.Array(Type.String(), {
          description:
            'What the reporter is to the robot, any of: custodian, authorised-service-provider, regulator, ' +
            'recipient, manufacturer-of-record, any-organisation, original-reporter (corrections)',
        }),
        description: Type.String({
          examples: ['the custodian or a service provider the custodian has authorised'],
        }),
      }),
    }),
  ),
});

export const NextEvents = Type.Object({
  robotId: Type.String(),
  state: StringEnum(STATES),
  events: Type.Array(
    Type.Object({
      type: EventTypeName,
      allowed: Type.Boolean(),
      code: Type.Optional(
        Type.String({
          description: 'When not allowed: the code POST /v1/events would refuse with',
          examples: ['event-not-allowed'],
        }),
      ),
      reason: Type.Optional(Type.String({ description: 'When not allowed: why, in words' })),
    }),
  ),
});

/** What a client needs to build report forms: the event types, and what the caller may report on a robot now. */
export function eventTypeRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  // Plain JSON Schema (TypeBox's own symbol keys left behind), made once.
  const catalogue = {
    eventTypes: eventTypeCatalogue().map((entry) => ({
      ...entry,
      payloadSchema: JSON.parse(JSON.stringify(entry.payloadSchema)) as Record<string, unknown>,
    })),
  };

  app.get(
    '/v1/event-types',
    {
      schema: {
        operationId: 'listEventTypes',
        tags: ['lifecycle events'],
        summary: 'The lifecycle event types: titles (en, zh), payload schemas and who may report each',
        description:
          'Made from what the registry decides by: the payload schemas POST /v1/events validates with and the ' +
          'lifecycle transition table (docs/lifecycle.md). A form per type can be generated from it.',
        response: { 200: EventTypes },
      },
    },
    async () => catalogue,
  );

  app.get(
    '/v1/robots/:id/next-events',
    {
      schema: {
        operationId: 'getNextEvents',
        tags: ['lifecycle events'],
        summary: 'What the caller could report about this robot now, type by type, and if not, why not',
        description:
          'The same judgement POST /v1/events makes before it looks at the payload: the robot’s state, a ' +
          'stop-use order, the caller’s relation to the robot and roles, certification, and a signed-in ' +
          'person’s role. Rules that depend on the payload (the organisation named, the parts fitted) are ' +
          'checked on reporting.',
        security: [{ apiKey: [] }],
        params: RobotIdParam,
        response: { 200: NextEvents, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => nextEvents(ctx, request.caller, request.params.id),
  );
}
