import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { closeRecall, openRecall } from '../../../app/recalls/open.js';
import { getPublicRobot } from '../../../app/robots.js';
import {
  getRecallProgress,
  getRecallView,
  listAffectedRobots,
  listRecallViews,
  setAffectedRobotState,
} from '../../../app/recalls/queries.js';
import { RECALL_ROBOT_STATES } from '../../../domain/safety/recalls.js';
import { decodeKeyPage, decodePage, encodePage } from '../pagination.js';
import { PageQuery, RobotIdParam, RobotRecall, pageOf, problemResponses, KEY_OPTIONAL } from '../schemas.js';

const Closed = { additionalProperties: false } as const;
const Text = (max = 200) => Type.String({ minLength: 1, maxLength: max });
const Code = (max = 80) => Type.String({ minLength: 1, maxLength: max });
const RobotState = Type.Unsafe<(typeof RECALL_ROBOT_STATES)[number]>({
  type: 'string',
  enum: [...RECALL_ROBOT_STATES],
});
const Software = Type.Object({ target: Code(), version: Code() }, Closed);

const Criteria = Type.Object(
  {
    models: Type.Optional(
      Type.Array(
        Type.String({ minLength: 1, maxLength: 12, description: 'country + enterprise + model code' }),
        {
          maxItems: 200,
        },
      ),
    ),
    producedFrom: Type.Optional(Type.String({ format: 'date' })),
    producedTo: Type.Optional(Type.String({ format: 'date' })),
    components: Type.Optional(
      Type.Array(
        Type.Object(
          {
            partNumber: Code(),
            lots: Type.Optional(Type.Array(Code(), { maxItems: 1000 })),
            serials: Type.Optional(Type.Object({ from: Code(), to: Code() }, Closed)),
          },
          Closed,
        ),
        { maxItems: 50 },
      ),
    ),
    software: Type.Optional(
      Type.Array(Type.Object({ target: Code(), versions: Type.Array(Code(), { maxItems: 200 }) }, Closed), {
        maxItems: 50,
      }),
    ),
  },
  {
    ...Closed,
    description: 'Every criterion given narrows; within components or software any one entry suffices',
  },
);

const Remedy = Type.Object(
  { description: Text(2000), overTheAir: Type.Boolean(), software: Type.Optional(Software) },
  Closed,
);

const Draft = {
  component: Text(),
  summary: Text(2000),
  consequence: Text(2000),
  remedy: Remedy,
  stopUse: Type.Boolean({
    description: 'Affected robots get a stop-use order until remedied (regulators only)',
  }),
  criteria: Criteria,
};

const Progress = Type.Object({
  remedied: Type.Integer(),
  outstanding: Type.Integer(),
  completion: Type.Number({ description: '(remedied + exempt) / affected; 1 when nothing is affected' }),
});

const Recall = Type.Object({
  number: Type.String(),
  component: Type.String(),
  summary: Type.String(),
  consequence: Type.String(),
  remedy: Remedy,
  stopUse: Type.Boolean(),
  criteria: Type.Optional(Criteria),
  manufacturerId: Type.Union([Type.String(), Type.Null()]),
  openedBy: Type.String(),
  openedAt: Type.String(),
  status: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  affectedSet: Type.String({ description: "'computing' until the affected robots are found, then 'ready'" }),
  computedAt: Type.Union([Type.String(), Type.Null()]),
  affected: Type.Integer(),
  progress: Progress,
});

const AffectedRobot = Type.Object({
  recall: Type.String(),
  robotId: Type.String(),
  custodianId: Type.String(),
  custodianName: Type.Union([Type.String(), Type.Null()], { description: "the holder's registered name" }),
  state: Type.String(),
  matchedAt: Type.String(),
  changedAt: Type.String(),
  remedySeq: Type.Union([Type.Integer(), Type.Null()]),
  suspensionSeq: Type.Union([Type.Integer(), Type.Null()]),
  stopUse: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});

const NumberParam = Type.Object({ number: Type.String({ pattern: '^RC-[0-9]{4}-[0-9]{6}$' }) });

/** Recall campaigns: opening, reading, progress, the affected robots and a robot's recalls. */
export function recallRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const security = [{ apiKey: [] }];
  const tags = ['recalls'];

  app.post(
    '/v1/recalls',
    {
      schema: {
        operationId: 'openRecall',
        tags,
        summary: 'Open a recall campaign; its affected robots are found in the background (affectedSet)',
        security,
        body: Type.Object(
          { ...Draft, manufacturerId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })) },
          Closed,
        ),
        response: { 201: Recall, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const recall = await openRecall(ctx, request.caller, request.body);
      reply.code(201).header('location', `/v1/recalls/${recall.number}`);
      return getRecallView(ctx, request.caller, recall.number);
    },
  );

  app.get(
    '/v1/recalls',
    {
      schema: {
        operationId: 'listRecalls',
        security: KEY_OPTIONAL,
        tags,
        summary: 'Recall campaigns, newest first (public; criteria only for regulators and the manufacturer)',
        querystring: Type.Object(
          {
            ...PageQuery.properties,
            status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
            manufacturer: Type.Optional(Type.String({ maxLength: 40 })),
          },
          Closed,
        ),
        response: { 200: pageOf(Recall), ...problemResponses(400) },
      },
    },
    async (request) => {
      const { status, manufacturer, ...page } = request.query;
      const filter = {
        ...(status ? { status } : {}),
        ...(manufacturer ? { manufacturerId: manufacturer } : {}),
      };
      return encodePage(await listRecallViews(ctx, request.caller, filter, decodePage(page)));
    },
  );

  app.get(
    '/v1/recalls/:number',
    {
      schema: {
        operationId: 'getRecall',
        security: KEY_OPTIONAL,
        tags,
        summary: 'A recall campaign',
        params: NumberParam,
        response: { 200: Recall, ...problemResponses(400, 404) },
      },
    },
    async (request) => getRecallView(ctx, request.caller, request.params.number),
  );

  app.get(
    '/v1/recalls/:number/progress',
    {
      schema: {
        operationId: 'getRecallProgress',
        tags,
        summary: 'Completion over time: robots per state, and day by day how many were affected and remedied',
        params: NumberParam,
        response: {
          200: Type.Object({
            recall: Type.String(),
            affectedSet: Type.String(),
            affected: Type.Integer(),
            remedied: Type.Integer(),
            outstanding: Type.Integer(),
            completion: Type.Number(),
            byState: Type.Record(Type.String(), Type.Integer()),
            series: Type.Array(
              Type.Object({ date: Type.String(), affected: Type.Integer(), remedied: Type.Integer() }),
            ),
          }),
          ...problemResponses(400, 404),
        },
      },
    },
    async (request) => getRecallProgress(ctx, request.params.number),
  );

  app.get(
    '/v1/recalls/:number/robots',
    {
      schema: {
        operationId: 'listRecallRobots',
        tags,
        summary:
          "A campaign's affected robots: a regulator all, a manufacturer its own, others those they held when notified",
        security,
        params: NumberParam,
        querystring: Type.Object({ ...PageQuery.properties, state: Type.Optional(RobotState) }, Closed),
        response: { 200: pageOf(AffectedRobot), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { state, ...page } = request.query;
      const found = await listAffectedRobots(
        ctx,
        request.caller,
        request.params.number,
        state ? { state } : {},
        decodeKeyPage(page),
      );
      return encodePage(found);
    },
  );

  app.put(
    '/v1/recalls/:number/robots/:id',
    {
      schema: {
        operationId: 'setRecallRobotState',
        tags,
        summary: 'Set an affected robot unreachable, notified again, or exempt (regulators; with a note)',
        security,
        params: Type.Object({ ...NumberParam.properties, ...RobotIdParam.properties }),
        body: Type.Object({ state: RobotState, note: Type.Optional(Text(2000)) }, Closed),
        response: { 200: AffectedRobot, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      setAffectedRobotState(ctx, request.caller, request.params.number, request.params.id, request.body),
  );

  app.post(
    '/v1/recalls/:number/close',
    {
      schema: {
        operationId: 'closeRecall',
        tags,
        summary: 'Close a campaign: no more robots join it',
        security,
        params: NumberParam,
        response: { 200: Recall, ...problemResponses(401, 404, 409) },
      },
    },
    async (request) => {
      await closeRecall(ctx, request.caller, request.params.number);
      return getRecallView(ctx, request.caller, request.params.number);
    },
  );

  app.get(
    '/v1/robots/:id/recalls',
    {
      schema: {
        operationId: 'listRobotRecalls',
        tags,
        summary: 'The recalls a robot is in and its remedy state in each (public, like a recall lookup)',
        params: RobotIdParam,
        response: { 200: Type.Object({ items: Type.Array(RobotRecall) }), ...problemResponses(400, 404) },
      },
    },
    async (request) => ({ items: (await getPublicRobot(ctx, request.params.id)).recalls }),
  );
}
