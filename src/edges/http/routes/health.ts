import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { sendProblem } from '../problems.js';

const Status = Type.Object({ status: Type.String() });

/** Liveness says the process serves; readiness says it can reach its database too. */
export function healthRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/healthz', { schema: { tags: ['operations'], response: { 200: Status } } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { tags: ['operations'], response: { 200: Status } } },
    async (request, reply) => {
      const ready = await ctx.store.ping().catch(() => false);
      if (!ready)
        return sendProblem(request, reply, 503, 'store-unavailable', 'the database does not answer');
      return { status: 'ready' };
    },
  );
}
