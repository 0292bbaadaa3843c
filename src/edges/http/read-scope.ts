import type { FastifyInstance } from 'fastify';
import { withReadScope, type ReadScope } from '../../store/read-session.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's read scope (src/store/read-session.ts): its session is the API key, set on authentication. */
    readScope: ReadScope;
  }
}

/** Sent after a write: the commit's position, for a client to bring back to any server process. */
export const COMMIT_POSITION_HEADER = 'robotid-commit-position';
/** Brought back by a client: this request's reads must show that commit (served by the primary until they can). */
export const READ_AFTER_HEADER = 'robotid-read-after';

/**
 * With a read replica, what a key wrote it reads back at once (its read session), and a client that talks to
 * several server processes brings the position of its last write back in RobotID-Read-After. The handler runs in
 * the scope from preHandler on, after the body was read: stream events do not carry the async context from
 * onRequest to the handler.
 */
export function installReadScope(app: FastifyInstance) {
  app.decorateRequest('readScope', null as unknown as ReadScope);
  app.addHook('onRequest', async (request) => {
    const after = request.headers[READ_AFTER_HEADER];
    request.readScope = typeof after === 'string' ? { after: after.trim() } : {};
  });
  app.addHook('preHandler', (request, _reply, done) => {
    withReadScope(request.readScope, done);
  });
  app.addHook('onSend', async (request, reply) => {
    const position = request.readScope?.committedAt;
    if (position !== undefined) reply.header(COMMIT_POSITION_HEADER, position);
  });
}
