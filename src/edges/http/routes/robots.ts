import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { issueIds } from '../../../app/issuance.js';
import { getRobot } from '../../../app/robots.js';
import { renderLabelPng, renderLabelSvg } from '../../label/label.js';
import { IssueRequest, IssueResult, RobotIdParam, problemResponses } from '../schemas.js';

const LabelQuery = Type.Object(
  {
    scale: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 64, description: 'PNG only: pixels per QR module' }),
    ),
  },
  { additionalProperties: false },
);

export function robotRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/v1/ids',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['robot IDs'],
        summary: 'Issue robot IDs for a model: a block of registry serials (count) or your own serials',
        security: [{ apiKey: [] }],
        body: IssueRequest,
        response: { 201: IssueResult, 200: IssueResult, ...problemResponses(400, 401, 403, 404, 409, 413) },
      },
    },
    async (request, reply) => {
      const result = await issueIds(ctx, request.caller, request.body);
      return reply.code(result.replayed ? 200 : 201).send(result);
    },
  );

  app.get(
    '/v1/robots/:id',
    {
      schema: {
        tags: ['robots'],
        summary: 'A robot by its ID (canonical, printed or display form)',
        params: RobotIdParam,
        response: { 200: Type.Ref('Robot'), ...problemResponses(400, 404) },
      },
    },
    async (request) => getRobot(ctx, request.caller, request.params.id),
  );

  app.get(
    '/v1/robots/:id/label.svg',
    {
      schema: {
        tags: ['robots'],
        summary: 'The nameplate label: QR code of the robot URL with the display form under it (SVG)',
        params: RobotIdParam,
        response: { 200: Type.String({ description: 'image/svg+xml' }), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const robot = await getRobot(ctx, request.caller, request.params.id);
      return reply.type('image/svg+xml').send(renderLabelSvg({ url: robot.url, caption: robot.display }));
    },
  );

  app.get(
    '/v1/robots/:id/label.png',
    {
      schema: {
        tags: ['robots'],
        summary: 'The nameplate label as PNG',
        params: RobotIdParam,
        querystring: LabelQuery,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'image/png' }),
          ...problemResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const robot = await getRobot(ctx, request.caller, request.params.id);
      const png = renderLabelPng({ url: robot.url, caption: robot.display }, { scale: request.query.scale });
      return reply.type('image/png').send(png);
    },
  );
}
