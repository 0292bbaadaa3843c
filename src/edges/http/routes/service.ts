import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { listLateReports } from '../../../app/late-reports.js';
import {
  authoriseService,
  listServiceAuthorisations,
  revokeServiceAuthorisation,
} from '../../../app/service-authorisations.js';
import { decodePage, encodePage } from '../pagination.js';
import { PageQuery, RobotIdParam, pageOf, problemResponses } from '../schemas.js';

const Authorisation = Type.Object({
  id: Type.String(),
  robotId: Type.String(),
  orgId: Type.String({ description: 'The service provider' }),
  grantedBy: Type.String(),
  validFrom: Type.String({ format: 'date-time' }),
  validUntil: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});

const LateReport = Type.Object({
  seq: Type.Integer(),
  robotId: Type.String(),
  eventId: Type.String(),
  type: Type.String(),
  eventTime: Type.String(),
  recordTime: Type.String(),
});

/** Service authorisations (custodian → service provider) and each organisation's late reports. */
export function serviceRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const security = [{ apiKey: [] }];
  const tags = ['lifecycle events'];

  app.post(
    '/v1/robots/:id/service-authorisations',
    {
      schema: {
        operationId: 'grantServiceAuthorisation',
        tags,
        summary:
          'The custodian lets a service provider report service and incidents for this robot, for a period',
        security,
        params: RobotIdParam,
        body: Type.Object(
          {
            serviceProviderId: Type.String({ minLength: 1, maxLength: 40 }),
            validFrom: Type.Optional(Type.String({ format: 'date-time' })),
            validUntil: Type.String({ format: 'date-time' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Authorisation, ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await authoriseService(ctx, request.caller, request.params.id, request.body)),
  );

  app.get(
    '/v1/robots/:id/service-authorisations',
    {
      schema: {
        operationId: 'listServiceAuthorisations',
        tags,
        summary: "A robot's service authorisations (its custodian sees all; a provider its own)",
        security,
        params: RobotIdParam,
        response: {
          200: Type.Object({ items: Type.Array(Authorisation) }),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request) => ({ items: await listServiceAuthorisations(ctx, request.caller, request.params.id) }),
  );

  app.delete(
    '/v1/robots/:id/service-authorisations/:authorisationId',
    {
      schema: {
        operationId: 'revokeServiceAuthorisation',
        tags,
        summary: 'Revoke a service authorisation; it stops working at once',
        security,
        params: Type.Object({
          id: Type.String({ maxLength: 64 }),
          authorisationId: Type.String({ maxLength: 40 }),
        }),
        response: { 200: Authorisation, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) =>
      revokeServiceAuthorisation(ctx, request.caller, request.params.id, request.params.authorisationId),
  );

  app.get(
    '/v1/organisations/:orgId/late-reports',
    {
      schema: {
        operationId: 'listLateReports',
        tags,
        summary: "An organisation's events reported after their deadline (for itself and regulators)",
        security,
        params: Type.Object({ orgId: Type.String({ maxLength: 40 }) }),
        querystring: PageQuery,
        response: { 200: pageOf(LateReport), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) =>
      encodePage(await listLateReports(ctx, request.caller, request.params.orgId, decodePage(request.query))),
  );
}
