import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../../app/context.js';
import { removeRobotGs1Key, setRobotGs1Key } from '../../../../app/epcis/robot-gs1-keys.js';
import { RobotIdParam, problemResponses } from '../../schemas.js';

const Gs1Key = Type.Object({
  robotId: Type.String(),
  gs1Key: Type.String({
    description: 'Canonical GS1 Digital Link URI: https://id.gs1.org/01/<GTIN-14>/21/<serial>',
  }),
  registeredBy: Type.String(),
  registeredAt: Type.String({ format: 'date-time' }),
});

/** A robot's GS1 key (SGTIN), registered by its manufacturer so that EPCIS documents may name the robot by it. */
export function robotGs1KeyRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const security = [{ apiKey: [] }];
  const tags = ['robots'];

  app.put(
    '/v1/robots/:id/gs1-key',
    {
      schema: {
        operationId: 'setRobotGs1Key',
        tags,
        summary: "The robot's manufacturer registers the GS1 key (SGTIN) it serialises the robot with",
        description:
          'As an EPC URN (urn:epc:id:sgtin:…) or a GS1 Digital Link URI on any host; stored in canonical Digital ' +
          'Link form, so that EPCIS documents naming the robot in either form resolve to it. Replaces the key the ' +
          'robot had. A key names one robot: 409 gs1-key-taken when another robot has it.',
        security,
        params: RobotIdParam,
        body: Type.Object(
          {
            gs1Key: Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'SGTIN EPC URN or GS1 Digital Link URI',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Gs1Key, ...problemResponses(400, 401, 404, 409) },
      },
    },
    async (request) => setRobotGs1Key(ctx, request.caller, request.params.id, request.body.gs1Key),
  );

  app.delete(
    '/v1/robots/:id/gs1-key',
    {
      schema: {
        operationId: 'removeRobotGs1Key',
        tags,
        summary: "The robot's manufacturer removes its GS1 key",
        security,
        params: RobotIdParam,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await removeRobotGs1Key(ctx, request.caller, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
