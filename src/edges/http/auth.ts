import type { FastifyInstance } from 'fastify';
import { authenticate } from '../../app/api-keys.js';
import type { AppContext, Caller } from '../../app/context.js';
import { DomainError } from '../../domain/errors.js';
import { purposeOf } from './purpose.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

/**
 * Resolves `Authorization: Bearer <key>` to the calling organisation before any handler runs. No header means
 * an anonymous caller, who sees only what is public; a header with a bad key is an error, never anonymity.
 * The key's id names the request's read session (read-scope.ts).
 */
export function installAuthentication(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('caller', null);
  app.addHook('onRequest', async (request) => {
    // Node keeps only the first of several Authorization headers: which one counts would be a guess.
    if (authorizationHeaders(request.raw.rawHeaders) > 1) {
      throw new DomainError(
        'invalid',
        'duplicate-authorization-header',
        'send one Authorization header, not several',
        [{ field: 'header:authorization', message: 'must be sent once' }],
      );
    }
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
    request.caller = { ...caller, purpose: purposeOf(request) };
    request.readScope.session = caller.keyId;
  });
}

/** How many Authorization fields the request has (rawHeaders: name, value, name, value, …). */
function authorizationHeaders(raw: string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'authorization') count++;
  return count;
}
