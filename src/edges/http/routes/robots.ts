import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { issueIds } from '../../../app/issuance.js';
import { exportRobot, getPublicRobot, getRobot } from '../../../app/robots.js';
import { renderLabelPng, renderLabelSvg } from '../../label/label.js';
import { findRobots } from '../../../app/robot-search.js';
import { STATES } from '../../../domain/lifecycle/status.js';
import { decodeKeyPage, encodePage } from '../pagination.js';
import {
  IssueRequest,
  IssueResult,
  PageQuery,
  RobotIdParam,
  StringEnum,
  pageOf,
  problemResponses,
  withMediaType,
  Binary,
  KEY_OPTIONAL,
} from '../schemas.js';

const LabelQuery = Type.Object(
  {
    scale: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 64, description: 'PNG only: pixels per QR module' }),
    ),
  },
  { additionalProperties: false },
);

const Text = (description: string) =>
  Type.Optional(Type.String({ minLength: 1, maxLength: 80, description }));

const RobotQuery = Type.Object(
  {
    ...PageQuery.properties,
    enterpriseCode: Text('Manufacturer’s enterprise code'),
    modelCode: Text('Model code (with enterpriseCode)'),
    state: Type.Optional(StringEnum(STATES)),
    region: Text('Region where the robot is in use'),
    componentPartNumber: Text('Carries a component with this part number'),
    componentSerial: Text('… with this serial'),
    componentLot: Text('… from this lot (including parts fitted later in service)'),
    includeRemoved: Type.Optional(Type.Boolean({ description: 'Also robots that carried it once' })),
    softwareTarget: Text('Firmware/software target, e.g. motion_os'),
    softwareVersion: Text('Installed version'),
    certification: Type.Optional(StringEnum(['valid', 'invalid'] as const)),
    producedFrom: Type.Optional(Type.String({ format: 'date' })),
    producedTo: Type.Optional(Type.String({ format: 'date' })),
  },
  { additionalProperties: false },
);

export const RobotSummary = Type.Object({
  id: Type.String(),
  state: Type.String(),
  region: Type.Union([Type.String(), Type.Null()]),
  productionDate: Type.Union([Type.String(), Type.Null()]),
  certifiedUntil: Type.Union([Type.String(), Type.Null()]),
});

export function robotRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/v1/robots',
    {
      schema: {
        operationId: 'findRobots',
        tags: ['robots'],
        summary:
          'Find robots: by manufacturer, model, state, region, component part/serial/lot, firmware, certification, production date',
        description:
          'Regulators search every robot; a manufacturer its own; other organisations the robots they hold. ' +
          'Robots appear here once they have at least one lifecycle event.',
        security: [{ apiKey: [] }],
        querystring: RobotQuery,
        response: { 200: pageOf(RobotSummary), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { cursor, limit, ...query } = request.query;
      return encodePage(await findRobots(ctx, request.caller, query, decodeKeyPage({ cursor, limit })));
    },
  );

  app.post(
    '/v1/ids',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        operationId: 'issueRobotIds',
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
        operationId: 'getRobot',
        security: KEY_OPTIONAL,
        tags: ['robots'],
        summary: 'A robot by its ID (canonical, printed or display form)',
        params: RobotIdParam,
        response: { 200: Type.Ref('Robot'), ...problemResponses(400, 404) },
      },
    },
    async (request) => getRobot(ctx, request.caller, request.params.id),
  );

  app.get(
    '/v1/robots/:id/export',
    {
      schema: {
        operationId: 'exportRobot',
        security: KEY_OPTIONAL,
        tags: ['robots'],
        summary:
          'The robot’s record as it may be sent abroad: for another country’s registry or an inspector',
        description:
          'Only the data classes the export policy (ROBOTID_EXPORT_POLICY) lets leave for the destination, and ' +
          'only those the caller may see; by default the public tier. Custody, supply, usage and personal data ' +
          'never leave (docs/access.md).',
        params: RobotIdParam,
        querystring: Type.Object(
          { destination: Type.String({ minLength: 2, maxLength: 2, description: 'ISO 3166-1 alpha-2' }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            destination: Type.String(),
            from: Type.String({ description: 'The registry’s country' }),
            allowed: Type.Array(Type.String(), { description: 'Data classes that may go there' }),
            robot: Type.Ref('Robot'),
          }),
          ...problemResponses(400, 404),
        },
      },
    },
    async (request) => exportRobot(ctx, request.caller, request.params.id, request.query.destination),
  );

  app.get(
    '/v1/robots/:id/label.svg',
    {
      schema: {
        operationId: 'getRobotLabelSvg',
        tags: ['robots'],
        summary: 'The nameplate label: QR code of the robot URL with the display form under it (SVG)',
        params: RobotIdParam,
        response: {
          200: withMediaType('image/svg+xml', Type.String(), 'The label as SVG'),
          ...problemResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const robot = await getPublicRobot(ctx, request.params.id);
      return reply.type('image/svg+xml').send(renderLabelSvg({ url: robot.url, caption: robot.display }));
    },
  );

  app.get(
    '/v1/robots/:id/label.png',
    {
      schema: {
        operationId: 'getRobotLabelPng',
        tags: ['robots'],
        summary: 'The nameplate label as PNG',
        params: RobotIdParam,
        querystring: LabelQuery,
        response: {
          200: withMediaType('image/png', Binary, 'The label as PNG'),
          ...problemResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const robot = await getPublicRobot(ctx, request.params.id);
      const png = renderLabelPng({ url: robot.url, caption: robot.display }, { scale: request.query.scale });
      return reply.type('image/png').send(png);
    },
  );
}
