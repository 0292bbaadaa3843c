import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { TODO_LATEST, organisationTodo } from '../../../app/todo.js';
import { EVENT_TYPES, INCIDENT_CATEGORIES, INCIDENT_SEVERITIES } from '../../../domain/lifecycle/events.js';
import { TRIAGE_STATES } from '../../../domain/safety/incidents.js';
import { RULE_CODES } from '../../../domain/safety/compliance.js';
import { StringEnum, problemResponses } from '../schemas.js';

const Nullable = (schema: TSchema) => Type.Union([schema, Type.Null()]);
const CountAndLatest = (item: TSchema, what: string) =>
  Type.Object({
    count: Type.Integer({ description: `How many ${what} there are` }),
    latest: Type.Array(item, { description: `The newest ${TODO_LATEST}, newest first` }),
  });

export const Todo = Type.Object({
  lateReports: CountAndLatest(
    Type.Object({
      seq: Type.Integer(),
      robotId: Type.String(),
      eventId: Type.String(),
      type: StringEnum(EVENT_TYPES),
      eventTime: Type.String({ format: 'date-time' }),
      recordTime: Type.String({ format: 'date-time' }),
      deadlineDays: Type.Integer({ description: 'The reporting deadline of its type, in days' }),
    }),
    'events the organisation reported after their deadline',
  ),
  openFindings: CountAndLatest(
    Type.Object({
      id: Type.Integer(),
      rule: StringEnum(RULE_CODES),
      robotId: Nullable(Type.String()),
      key: Type.String(),
      detail: Type.Record(Type.String(), Type.Unknown()),
      firstSeen: Type.String({ format: 'date-time' }),
      lastSeen: Type.String({ format: 'date-time' }),
      resolvedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
    'open compliance findings',
  ),
  recalls: CountAndLatest(
    Type.Object({
      number: Type.String({ examples: ['RC-2026-000001'] }),
      component: Type.String(),
      summary: Type.String(),
      stopUse: Type.Boolean(),
      openedAt: Type.String({ format: 'date-time' }),
      robots: Type.Integer({ description: 'The organisation’s robots in it still to be remedied' }),
    }),
    'open recall campaigns with robots the organisation holds (held when notified) or made, still to remedy',
  ),
  openIncidents: CountAndLatest(
    Type.Object({
      id: Type.Integer(),
      robotId: Type.String(),
      category: StringEnum(INCIDENT_CATEGORIES),
      severity: StringEnum(INCIDENT_SEVERITIES),
      state: StringEnum(TRIAGE_STATES),
      eventTime: Type.String({ format: 'date-time' }),
    }),
    'incidents not closed of robots the organisation made, holds or operates',
  ),
});

export function todoRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/v1/organisations/:orgId/todo',
    {
      schema: {
        operationId: 'getOrganisationTodo',
        tags: ['organisations'],
        summary:
          'What the organisation has to do: late reports, open compliance findings, recalls of its robots, open incidents',
        description:
          'Counts and the newest few of each. For the organisation itself and regulators (who send ' +
          'RobotID-Purpose); anyone else gets 404. Every read is recorded in the read audit.',
        security: [{ apiKey: [] }],
        params: Type.Object({ orgId: Type.String({ maxLength: 40 }) }),
        response: { 200: Todo, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => organisationTodo(ctx, request.caller, request.params.orgId),
  );
}
