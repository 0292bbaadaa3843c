import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { getModel, listModels, registerModel } from '../../../app/models.js';
import { decodePage, encodePage } from '../pagination.js';
import { NewModel, PageQuery, pageOf, problemResponses } from '../schemas.js';

export function modelRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['models'];

  app.post(
    '/v1/models',
    {
      schema: {
        operationId: 'registerModel',
        tags,
        summary: 'Register a robot model under the manufacturer’s enterprise code',
        security: [{ apiKey: [] }],
        body: NewModel,
        response: { 201: Type.Ref('Model'), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await registerModel(ctx, request.caller, request.body)),
  );

  app.get(
    '/v1/models',
    {
      schema: {
        operationId: 'listModels',
        tags,
        summary: 'List models, optionally of one enterprise (public)',
        querystring: Type.Object(
          {
            ...PageQuery.properties,
            enterpriseCode: Type.Optional(Type.String({ maxLength: 4, minLength: 4 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: pageOf(Type.Ref('Model')), ...problemResponses(400) },
      },
    },
    async (request) => {
      const { enterpriseCode, ...pageQuery } = request.query;
      return encodePage(await listModels(ctx, enterpriseCode, decodePage(pageQuery)));
    },
  );

  app.get(
    '/v1/models/:enterpriseCode/:modelCode',
    {
      schema: {
        operationId: 'getModel',
        tags,
        summary: 'One model (public)',
        params: Type.Object({
          enterpriseCode: Type.String({ maxLength: 8 }),
          modelCode: Type.String({ maxLength: 8 }),
        }),
        response: { 200: Type.Ref('Model'), ...problemResponses(400, 404) },
      },
    },
    async (request) => getModel(ctx, request.params.enterpriseCode, request.params.modelCode),
  );
}
