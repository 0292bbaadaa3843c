import type { FastifyInstance } from 'fastify';
import { authenticate } from '../../app/api-keys.js';
import type { AppContext, Caller } from '../../app/context.js';
import { DomainError } from '../../domain/errors.js';
import { withReadSession } from '../../store/read-session.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
    /** The read session the request runs in (its API key's id): see src/store/read-session.ts. */
    readSession: string | null;
  }
}

/**
 * Resolves `Authorization: Bearer <key>` to the calling organisation before any handler runs. No header means
 * an anonymous caller, who sees only what is public; a header with a bad key is an error, never anonymity.
 *
 * The handler then runs in a read session named after the key: with a read replica, what one key wrote it reads
 * back at once, whichever requests it comes in (src/store/read-session.ts). Opened in preHandler, after the body
 * was read: stream events do not carry the async context from onRequest to the handler.
 */
export function installAuthentication(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('caller', null);
  app.decorateRequest('readSession', null);
  app.addHook('preHandler', (request, _reply, done) => {
    if (request.readSession === null) done();
    else withReadSession(request.readSession, done);
  });
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header === undefined) return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      throw new DomainError(
        'unauthenticated',
        'invalid-authorization-header',
        'use "Authorization: Bearer <API key>"',
      );
    }
    const caller = await authenticate(ctx, match[1]!);
    request.caller = caller;
    request.readSession = caller.keyId;
  });
}
