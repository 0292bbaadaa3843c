import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { issueIds } from '../../../app/issuance.js';
import { exportRobot, getPublicRobot, getRobot } from '../../../app/robots.js';
import { DomainError } from '../../../domain/errors.js';
import {
  DEFAULT_DPI,
  DEFAULT_SIZE_MM,
  MAX_DPI,
  MAX_SIZE_MM,
  MIN_DPI,
  MIN_SIZE_MM,
  parseMillimetres,
  renderLabelPng,
  renderLabelSvg,
  type LabelContent,
  type LabelSize,
} from '../../label/label.js';
import { renderLabelZpl } from '../../label/zpl.js';
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
    size: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,4}(\\.[0-9]{1,2})?(mm)?$',
        description: `Label width in millimetres, ${MIN_SIZE_MM}mm to ${MAX_SIZE_MM}mm (default ${DEFAULT_SIZE_MM}mm)`,
        examples: ['30mm'],
      }),
    ),
    dpi: Type.Optional(
      Type.Integer({
        minimum: MIN_DPI,
        maximum: MAX_DPI,
        description: `The printer's dots per inch (default ${DEFAULT_DPI}): 203, 300 and 600 are common`,
      }),
    ),
  },
  { additionalProperties: false },
);

type LabelRender = (content: LabelContent, size: LabelSize) => string | Buffer;

/**
 * The label's formats. ZPL has no registered media type (and RFC 6648 retired `x-` names): it is UTF-8 text that a
 * printer takes as it is, so `text/plain`, named `.zpl` by Content-Disposition.
 */
const LABEL_FORMATS: {
  extension: string;
  mediaType: string;
  schema: typeof Binary | ReturnType<typeof Type.String>;
  operationId: string;
  summary: string;
  description: string;
  render: LabelRender;
}[] = [
  {
    extension: 'svg',
    mediaType: 'image/svg+xml',
    schema: Type.String(),
    operationId: 'getRobotLabelSvg',
    summary: 'The nameplate label as SVG: QR code of the robot URL, the ID, "Scan to verify at" the registry',
    description: 'The label as SVG, its size in millimetres, its text as outlines',
    render: renderLabelSvg,
  },
  {
    extension: 'png',
    mediaType: 'image/png',
    schema: Binary,
    operationId: 'getRobotLabelPng',
    summary: 'The nameplate label as PNG, one pixel a printer dot',
    description: 'The label as PNG, its pHYs chunk giving the dpi',
    render: renderLabelPng,
  },
  {
    extension: 'zpl',
    mediaType: 'text/plain',
    schema: Type.String(),
    operationId: 'getRobotLabelZpl',
    summary: 'The nameplate label in ZPL II, for industrial label printers',
    description: 'The label as ZPL II (^XA … ^XZ), in the printer’s dots',
    render: renderLabelZpl,
  },
];

const labelSize = (query: { size?: string; dpi?: number }): LabelSize => ({
  sizeMm: query.size === undefined ? undefined : parseMillimetres(query.size),
  dpi: query.dpi,
});

/** A label fault in a query parameter, named as the schema names such faults (`query:/size`). */
function inQuery<T>(render: () => T): T {
  try {
    return render();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const fields = error.fields.map((f) =>
      ['size', 'dpi'].includes(f.field) ? { ...f, field: `query:/${f.field}` } : f,
    );
    throw new DomainError(error.kind, error.code, error.message, fields, error.extensions);
  }
}

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

  for (const format of LABEL_FORMATS) {
    app.get(
      `/v1/robots/:id/label.${format.extension}`,
      {
        schema: {
          tags: ['robots'],
          operationId: format.operationId,
          summary: format.summary,
          security: KEY_OPTIONAL,
          params: RobotIdParam,
          querystring: LabelQuery,
          response: {
            200: withMediaType(format.mediaType, format.schema, format.description),
            ...problemResponses(400, 404),
          },
        },
      },
      async (request, reply) => {
        const robot = await getPublicRobot(ctx, request.params.id);
        const content = { url: robot.url, caption: robot.display };
        const label = inQuery(() => format.render(content, labelSize(request.query)));
        return reply
          .type(format.mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : format.mediaType)
          .header('content-disposition', `inline; filename="${robot.printed}.${format.extension}"`)
          .send(label);
      },
    );
  }
}
