import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { requestComplianceCheck } from '../../../app/compliance/check.js';
import { complianceReport } from '../../../app/compliance/report.js';
import type { AppContext } from '../../../app/context.js';
import { RULE_CODES } from '../../../domain/safety/compliance.js';
import { complianceReportHtml } from '../compliance-html.js';
import { acceptsHtml } from '../html.js';
import { StringEnum, problemResponses, withMediaType } from '../schemas.js';

const tags = ['compliance'];
const security = [{ apiKey: [] }];
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const Finding = Type.Object({
  id: Type.Integer(),
  robotId: Nullable(Type.String()),
  key: Type.String({ description: 'What the finding is about: the robot ID, or robot/event for an event' }),
  detail: Type.Record(Type.String(), Type.Unknown(), { description: 'The facts that broke the rule' }),
  firstSeen: Type.String({ format: 'date-time' }),
  lastSeen: Type.String({ format: 'date-time' }),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
});

const Findings = Type.Object({
  count: Type.Integer({ description: 'All of them; `findings` lists the first `limit`' }),
  findings: Type.Array(Finding),
});

export const Report = Type.Object({
  organisation: Type.Object({ id: Type.String(), name: Type.String() }),
  generatedAt: Type.String({ format: 'date-time' }),
  resolvedSince: Type.String({ format: 'date-time' }),
  limit: Type.Integer(),
  rules: Type.Array(
    Type.Object({
      code: StringEnum(RULE_CODES),
      description: Type.String(),
      concerns: Type.String(),
      enabled: Type.Boolean(),
      parameters: Type.Record(Type.String(), Type.Integer()),
      open: Findings,
      resolved: Findings,
    }),
  ),
});

export const Run = Type.Object({
  at: Type.String({ format: 'date-time' }),
  rules: Type.Array(StringEnum(RULE_CODES), { description: 'The rules checked (those switched on)' }),
  opened: Type.Integer(),
  kept: Type.Integer(),
  resolved: Type.Integer(),
  notices: Type.Integer({ description: 'compliance.finding notices written: one per organisation and rule' }),
});

const ReportQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Findings listed per rule' }),
    ),
    resolvedDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 3650,
        default: 30,
        description: 'How far back "resolved" reaches',
      }),
    ),
  },
  { additionalProperties: false },
);

const OrgParam = Type.Object({ orgId: Type.String({ maxLength: 40 }) });

/** The compliance rules' findings: an organisation's report (JSON or a printable page) and runs on demand. */
export function complianceRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const description =
    'For the organisation itself and regulators (who send RobotID-Purpose); anyone else gets 404. Every read ' +
    'is recorded in the read audit.';

  app.get(
    '/v1/organisations/:orgId/compliance',
    {
      schema: {
        operationId: 'getComplianceReport',
        tags,
        summary: "An organisation's compliance report: per rule, open findings and those resolved recently",
        description: `${description} With \`Accept: text/html\` the same as a printable page.`,
        security,
        params: OrgParam,
        querystring: ReportQuery,
        response: {
          200: {
            description: 'The report: JSON, or with `Accept: text/html` a printable page',
            content: { 'application/json': { schema: Report }, 'text/html': { schema: Type.String() } },
          },
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const report = await complianceReport(ctx, request.caller, request.params.orgId, request.query);
      return acceptsHtml(request.headers.accept) ? sendHtml(reply, report) : report;
    },
  );

  app.get(
    '/v1/organisations/:orgId/compliance.html',
    {
      schema: {
        operationId: 'getComplianceReportHtml',
        tags,
        summary: "An organisation's compliance report as a printable HTML page",
        description,
        security,
        params: OrgParam,
        querystring: ReportQuery,
        response: {
          200: withMediaType('text/html', Type.String(), 'The printable page'),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) =>
      sendHtml(reply, await complianceReport(ctx, request.caller, request.params.orgId, request.query)),
  );

  app.post(
    '/v1/compliance/runs',
    {
      schema: {
        operationId: 'runComplianceCheck',
        tags,
        summary: 'Run the compliance rules now (regulators and the administrator)',
        description:
          'The same run as the periodic one: findings open, stay or resolve, and new ones are announced ' +
          '(one compliance.finding notice per organisation and rule).',
        security,
        response: { 200: Run, ...problemResponses(401, 403) },
      },
    },
    async (request) => requestComplianceCheck(ctx, request.caller),
  );
}

const sendHtml = (reply: FastifyReply, report: Parameters<typeof complianceReportHtml>[0]) =>
  reply.type('text/html; charset=utf-8').send(complianceReportHtml(report));
