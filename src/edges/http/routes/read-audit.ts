import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { listRobotReads, searchReadAudit } from '../../../app/read-audit-queries.js';
import { PURPOSES } from '../../../domain/policy/purposes.js';
import { DATA_CLASSES } from '../../../domain/policy/table.js';
import { decodePage, encodePage } from '../pagination.js';
import { purposeOf } from '../purpose.js';
import { PageQuery, RobotIdParam, StringEnum, pageOf, problemResponses } from '../schemas.js';

const OUTCOMES = ['granted', 'denied'] as const;
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const PurposeOrNull = Type.Union([StringEnum(PURPOSES), Type.Null()]);

export const RobotRead = Type.Object({
  at: Type.String({ format: 'date-time' }),
  orgId: Nullable(Type.String({ description: 'The reading organisation' })),
  orgName: Nullable(Type.String()),
  classes: Type.Array(StringEnum(DATA_CLASSES), { description: 'Data classes of the fields read' }),
  purpose: PurposeOrNull,
  outcome: StringEnum(OUTCOMES, { description: 'denied: the reader was told there is no such robot' }),
  keyId: Type.Optional(Nullable(Type.String({ description: 'Regulators only: the API key used' }))),
});

export const ReadAuditLine = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  orgId: Nullable(Type.String()),
  orgName: Nullable(Type.String()),
  keyId: Nullable(Type.String()),
  robotId: Nullable(Type.String({ description: 'The robot read; null for a query over many' })),
  query: Nullable(Type.String({ description: 'A query over many: its canonical query string' })),
  classes: Type.Array(StringEnum(DATA_CLASSES)),
  purpose: PurposeOrNull,
  outcome: StringEnum(OUTCOMES),
});

const Instant = (description: string) => Type.Optional(Type.String({ format: 'date-time', description }));

const ReadAuditQuery = Type.Object(
  {
    ...PageQuery.properties,
    robotId: Type.Optional(Type.String({ maxLength: 64, description: 'A robot ID in any of its forms' })),
    orgId: Type.Optional(Type.String({ maxLength: 40, description: 'The reading organisation' })),
    purpose: Type.Optional(StringEnum(PURPOSES, { description: 'The purpose the reader stated' })),
    outcome: Type.Optional(StringEnum(OUTCOMES)),
    from: Instant('Reads at or after this instant'),
    to: Instant('Reads before this instant'),
  },
  { additionalProperties: false },
);

/** Who read what: a robot's read audit for those who hold it, and the regulators' search over all reads. */
export function readAuditRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/v1/robots/:id/reads',
    {
      schema: {
        operationId: 'listRobotReads',
        tags: ['read audit'],
        summary: "Who read this robot's non-public data, newest first",
        description:
          "For the robot's current custodian or operator, and regulators (who send RobotID-Purpose). Anyone " +
          'else gets 404, and the attempt is recorded. Reads appear here within about 100 ms.',
        security: [{ apiKey: [] }],
        params: RobotIdParam,
        querystring: PageQuery,
        response: { 200: pageOf(RobotRead), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) =>
      encodePage(
        await listRobotReads(
          ctx,
          request.caller,
          request.params.id,
          purposeOf(request),
          decodePage(request.query),
        ),
      ),
  );

  app.get(
    '/v1/read-audit',
    {
      schema: {
        operationId: 'searchReadAudit',
        tags: ['read audit'],
        summary: 'Search every read of non-public data (regulators, with RobotID-Purpose), newest first',
        description: 'The search is itself recorded, with its canonical query string.',
        security: [{ apiKey: [] }],
        querystring: ReadAuditQuery,
        response: { 200: pageOf(ReadAuditLine), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { cursor, limit, ...query } = request.query;
      const page = decodePage({ cursor, limit });
      return encodePage(await searchReadAudit(ctx, request.caller, query, purposeOf(request), page));
    },
  );
}
