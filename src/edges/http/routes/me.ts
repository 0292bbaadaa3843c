import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { requireActor } from '../../../app/access.js';
import type { AppContext } from '../../../app/context.js';
import { getOrganisation } from '../../../app/organisations.js';
import { currentUser } from '../../../app/people/current-user.js';
import { problemResponses } from '../schemas.js';

/** Who the request acts as: lets a client check its configuration before it writes, and the console its user. */
export function meRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get(
    '/v1/me',
    {
      schema: {
        operationId: 'getMe',
        tags: ['api keys'],
        summary: 'The organisation and the key, or the signed-in user, this request is authenticated as',
        security: [{ apiKey: [] }],
        response: {
          200: Type.Object({
            keyId: Type.Union([Type.String(), Type.Null()], { description: 'null for a signed-in user' }),
            user: Type.Union([Type.Ref('User'), Type.Null()], { description: 'null for an API key' }),
            organisation: Type.Ref('Organisation'),
          }),
          ...problemResponses(401),
        },
      },
    },
    async (request) => {
      const actor = requireActor(request.caller);
      return {
        keyId: actor.user ? null : actor.keyId,
        user: await currentUser(ctx, actor),
        organisation: await getOrganisation(ctx, actor, actor.orgId),
      };
    },
  );
}
