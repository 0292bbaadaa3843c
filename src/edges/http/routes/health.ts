import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { DomainError } from '../../../domain/errors.js';
import { sendProblem } from '../problems.js';

const Status = Type.Object({ status: Type.String() });

/** Liveness says the process serves; readiness says its database answers and takes writes too. */
export function healthRoutes(app: FastifyInstance, ctx: AppContext) {
  const tags = ['operations'];
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'checkLiveness',
        tags,
        summary: 'Liveness: the process serves requests',
        response: { 200: Status },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'checkReadiness',
        tags,
        summary: 'Readiness: the database answers and takes writes',
        response: { 200: Status },
      },
    },
    async (request, reply) => {
      // A store that answers but cannot write (a full disk) says why: `storage-full`.
      const fault = await ctx.store.ping().then(
        (answers) => (answers ? null : undefined),
        (error: unknown) =>
          error instanceof DomainError && error.kind === 'unavailable' ? error : undefined,
      );
      if (fault === undefined)
        return sendProblem(request, reply, 503, 'store-unavailable', 'the database does not answer');
      if (fault) return sendProblem(request, reply, 503, fault.code, fault.message);
      return { status: 'ready' };
    },
  );
}
