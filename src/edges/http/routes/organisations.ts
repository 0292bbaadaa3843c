import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { createKey, listKeys, revokeKey } from '../../../app/api-keys.js';
import type { AppContext } from '../../../app/context.js';
import { admitOrganisation, getOrganisation, listOrganisations } from '../../../app/organisations.js';
import { decodePage, encodePage } from '../pagination.js';
import {
  ApiKey,
  NewApiKey,
  NewOrganisation,
  Organisation,
  PageQuery,
  RoleSchema,
  pageOf,
  problemResponses,
  KEY_OPTIONAL,
} from '../schemas.js';

const OrgParams = Type.Object({ orgId: Type.String({ maxLength: 40 }) });
const KeyParams = Type.Object({
  orgId: Type.String({ maxLength: 40 }),
  keyId: Type.String({ maxLength: 40 }),
});
const secured = [{ apiKey: [] }];

export function organisationRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['organisations'];

  app.post(
    '/v1/organisations',
    {
      schema: {
        operationId: 'admitOrganisation',
        tags,
        summary: 'Admit an organisation (administrator); manufacturers receive their enterprise code',
        security: secured,
        body: NewOrganisation,
        response: { 201: Type.Ref('Organisation'), ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await admitOrganisation(ctx, request.caller, request.body)),
  );

  app.get(
    '/v1/organisations',
    {
      schema: {
        operationId: 'listOrganisations',
        tags,
        summary: 'List organisations',
        security: secured,
        querystring: Type.Object(
          {
            ...PageQuery.properties,
            role: Type.Optional(RoleSchema),
            name: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 200,
                description: 'Only organisations whose name contains this text, letter case ignored',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: pageOf(Type.Ref('Organisation')), ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { role, name, ...pageQuery } = request.query;
      const filter = { ...(role ? { role } : {}), ...(name !== undefined ? { name } : {}) };
      return encodePage(await listOrganisations(ctx, request.caller, filter, decodePage(pageQuery)));
    },
  );

  app.get(
    '/v1/organisations/:orgId',
    {
      schema: {
        operationId: 'getOrganisation',
        security: KEY_OPTIONAL,
        tags,
        summary: 'One organisation (manufacturers are public)',
        params: OrgParams,
        response: { 200: Type.Ref('Organisation'), ...problemResponses(401, 404) },
      },
    },
    async (request) => getOrganisation(ctx, request.caller, request.params.orgId),
  );

  app.post(
    '/v1/organisations/:orgId/keys',
    {
      schema: {
        operationId: 'createApiKey',
        tags: ['api keys'],
        summary: 'Create an API key; the key itself is in this response only',
        security: secured,
        params: OrgParams,
        body: NewApiKey,
        response: {
          201: Type.Object({ ...ApiKey.properties, token: Type.String() }),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createKey(ctx, request.caller, request.params.orgId, request.body.name)),
  );

  app.get(
    '/v1/organisations/:orgId/keys',
    {
      schema: {
        operationId: 'listApiKeys',
        tags: ['api keys'],
        summary: "List an organisation's API keys (never their secrets)",
        security: secured,
        params: OrgParams,
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('ApiKey')) }),
          ...problemResponses(401, 404),
        },
      },
    },
    async (request) => ({ items: await listKeys(ctx, request.caller, request.params.orgId) }),
  );

  app.delete(
    '/v1/organisations/:orgId/keys/:keyId',
    {
      schema: {
        operationId: 'revokeApiKey',
        tags: ['api keys'],
        summary: 'Revoke an API key; it stops working at once and stays listed',
        security: secured,
        params: KeyParams,
        response: { 200: Type.Ref('ApiKey'), ...problemResponses(401, 404) },
      },
    },
    async (request) => revokeKey(ctx, request.caller, request.params.orgId, request.params.keyId),
  );
}

export const organisationSchemas = [Organisation, ApiKey];
