import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { incidentTrends, listIncidents, showIncident } from '../../../app/incidents/read.js';
import { triageIncident } from '../../../app/incidents/triage.js';
import {
  COMPONENT_KINDS,
  INCIDENT_CATEGORIES,
  INCIDENT_SEVERITIES,
  INCIDENT_SOURCES,
} from '../../../domain/lifecycle/events.js';
import { TREND_DIMENSIONS, TRIAGE_STATES } from '../../../domain/safety/incidents.js';
import { decodePage, encodePage } from '../pagination.js';
import { PageQuery, StringEnum, pageOf, problemResponses } from '../schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Part = Type.Object({
  kind: Type.Union([StringEnum(COMPONENT_KINDS), Type.Null()]),
  partNumber: Type.String(),
  serial: Type.Optional(Nullable(Type.String())),
  lot: Type.Optional(Nullable(Type.String({ description: "The manufacturer's supply data" }))),
});
const Triage = Type.Object({
  at: Type.String({ format: 'date-time' }),
  orgId: Type.String({ description: 'The regulator' }),
  from: StringEnum(TRIAGE_STATES),
  to: StringEnum(TRIAGE_STATES),
  note: Nullable(Type.String()),
  rootCause: Nullable(Type.String()),
});

/** An incident as the caller may see it: fields outside the caller's classes are left out (docs/incidents.md). */
const Incident = Type.Object(
  {
    id: Type.Integer({ description: 'The seq of the incident_reported event' }),
    robotId: Type.String(),
    eventId: Type.String(),
    model: Type.String({ description: "The robot ID's first 12 characters: country, enterprise, model" }),
    manufacturerId: Type.String(),
    category: StringEnum(INCIDENT_CATEGORIES),
    severity: StringEnum(INCIDENT_SEVERITIES),
    source: StringEnum(INCIDENT_SOURCES),
    eventTime: Type.String({ format: 'date-time', description: 'When it happened (UTC)' }),
    month: Type.String({ description: 'YYYY-MM (UTC)' }),
    recordTime: Type.String({ format: 'date-time' }),
    reportedBy: Type.String(),
    state: StringEnum(TRIAGE_STATES),
    rootCause: Nullable(Type.String()),
    withdrawn: Type.Union([
      Type.Object({ seq: Type.Integer({ description: 'The correction' }), at: Type.String() }),
      Type.Null(),
    ]),
    injuries: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    region: Type.Optional(Nullable(Type.String())),
    description: Type.Optional(Nullable(Type.String())),
    attachments: Type.Optional(
      Type.Array(
        Type.Object({
          sha256: Type.String(),
          mediaType: Type.String(),
          name: Type.Optional(Type.String()),
          size: Type.Optional(Type.Integer()),
        }),
      ),
    ),
    components: Type.Optional(Type.Array(Part, { description: 'Named in the report' })),
    fitted: Type.Optional(Type.Array(Part, { description: 'Fitted in the robot when it happened' })),
    software: Type.Optional(
      Type.Array(Type.Object({ target: Type.String(), version: Type.String() }), {
        description: 'Installed when it happened',
      }),
    ),
    triage: Type.Optional(Type.Array(Triage)),
  },
  { description: 'Fields outside what the caller may see are left out' },
);

/** The policy cut leaves the fields the caller may see; every viewer sees the technical ones the schema requires. */
type IncidentShape = Static<typeof Incident>;

const Instant = (description: string) => Type.Optional(Type.String({ format: 'date-time', description }));
const Filters = {
  manufacturer: Type.Optional(
    Type.String({ maxLength: 40, description: "The manufacturer's organisation id" }),
  ),
  model: Type.Optional(
    Type.String({ maxLength: 20, description: 'e.g. CN-0001-H1X9B4 (or without hyphens)' }),
  ),
  robot: Type.Optional(Type.String({ maxLength: 64, description: 'A robot ID in any of its forms' })),
  state: Type.Optional(StringEnum(TRIAGE_STATES)),
  category: Type.Optional(StringEnum(INCIDENT_CATEGORIES)),
  severity: Type.Optional(StringEnum(INCIDENT_SEVERITIES)),
  partNumber: Type.Optional(
    Type.String({ maxLength: 80, description: 'A part fitted then or named in the report' }),
  ),
  lot: Type.Optional(Type.String({ maxLength: 80 })),
  softwareTarget: Type.Optional(Type.String({ maxLength: 80, description: 'With softwareVersion' })),
  softwareVersion: Type.Optional(Type.String({ maxLength: 80, description: 'Installed when it happened' })),
  from: Instant('Happened at or after this instant'),
  to: Instant('Happened before this instant'),
};

const ListQuery = Type.Object(
  {
    ...PageQuery.properties,
    ...Filters,
    includeWithdrawn: Type.Optional(
      Type.Boolean({ description: 'Also incidents whose report was corrected' }),
    ),
  },
  { additionalProperties: false },
);

const TrendsQuery = Type.Object(
  {
    ...Filters,
    by: StringEnum(TREND_DIMENSIONS),
    parts: Type.Optional(
      StringEnum(['fitted', 'involved'] as const, {
        description:
          'by=part|lot: the parts fitted when it happened (default), or only those the report named',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

const Trend = Type.Object({
  group: Type.Record(Type.String(), Type.String(), {
    description: 'model | month | partNumber | partNumber, lot | target, version',
  }),
  count: Type.Integer(),
  bySeverity: Type.Object({
    minor: Type.Integer(),
    moderate: Type.Integer(),
    serious: Type.Integer(),
    critical: Type.Integer(),
  }),
  injuries: Type.Integer(),
});

const IdParam = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The incident id' }),
});

/** Incidents derived from reports, their triage by regulators, and trends. */
export function incidentRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const security = [{ apiKey: [] }];
  const tags = ['incidents'];

  app.get(
    '/v1/incidents',
    {
      schema: {
        operationId: 'listIncidents',
        tags,
        summary: 'Incidents you may see, newest first (send RobotID-Purpose)',
        description:
          "Regulators see all; a manufacturer its robots'; a custodian or operator those of the robots it holds " +
          'or operates now. Each is cut to what the caller may see. Withdrawn incidents only with includeWithdrawn.',
        security,
        querystring: ListQuery,
        response: { 200: pageOf(Incident), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { cursor, limit, ...query } = request.query;
      const page = decodePage({ cursor, limit });
      return encodePage(await listIncidents(ctx, request.caller, query, page));
    },
  );

  app.get(
    '/v1/incidents/trends',
    {
      schema: {
        operationId: 'getIncidentTrends',
        tags,
        summary:
          'Incidents counted per model, part, lot, firmware or month, most first (send RobotID-Purpose)',
        description:
          "Regulators count all incidents; a manufacturer its own robots'. Withdrawn incidents never count.",
        security,
        querystring: TrendsQuery,
        response: {
          200: Type.Object({
            by: StringEnum(TREND_DIMENSIONS),
            parts: StringEnum(['fitted', 'involved'] as const),
            groups: Type.Array(Trend),
          }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => incidentTrends(ctx, request.caller, request.query),
  );

  app.get(
    '/v1/incidents/:id',
    {
      schema: {
        operationId: 'getIncident',
        tags,
        summary: 'One incident with its parts, firmware then and triage history',
        description: 'Regulators send RobotID-Purpose. Who may not see it gets 404.',
        security,
        params: IdParam,
        response: { 200: Incident, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => (await showIncident(ctx, request.caller, request.params.id)) as IncidentShape,
  );

  app.post(
    '/v1/incidents/:id/triage',
    {
      schema: {
        operationId: 'triageIncident',
        tags,
        summary: "A regulator moves an incident's triage state",
        description:
          'reported → under_investigation | closed; under_investigation → root_cause_found | closed; ' +
          'root_cause_found → closed | under_investigation; closed → under_investigation. Any other move: 409 ' +
          '`triage-move-not-allowed` with `state` and `allowed`. rootCause is required with root_cause_found.',
        security,
        params: IdParam,
        body: Type.Object(
          {
            state: StringEnum(TRIAGE_STATES),
            note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
            rootCause: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Incident, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      (await triageIncident(ctx, request.caller, request.params.id, request.body)) as IncidentShape,
  );
}
