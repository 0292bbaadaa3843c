import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../../app/access.js';
import type { AppContext } from '../../../app/context.js';
import { getOrganisation } from '../../../app/organisations.js';
import { problemResponses } from '../schemas.js';

/** Who the presented key acts for: lets a client check its configuration before it writes. */
export function meRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get(
    '/v1/me',
    {
      schema: {
        operationId: 'getMe',
        tags: ['api keys'],
        summary: 'The organisation and key this request is authenticated as',
        security: [{ apiKey: [] }],
        response: {
          200: Type.Object({ keyId: Type.String(), organisation: Type.Ref('Organisation') }),
          ...problemResponses(401),
        },
      },
    },
    async (request) => {
      const actor = requireActor(request.caller);
      return { keyId: actor.keyId, organisation: await getOrganisation(ctx, actor, actor.orgId) };
    },
  );
}
