import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate } from '../../app/api-keys.js';
import type { AppContext, Caller } from '../../app/context.js';
import { sessionCaller } from '../../app/people/session-caller.js';
import { DomainError, forbidden } from '../../domain/errors.js';
import { purposeOf } from './purpose.js';
import { SESSION_COOKIE } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Resolves `Authorization: Bearer <key>` to the calling organisation before any handler runs, or else a console
 * session cookie to the person signed in (and the person's organisation). No credential means an anonymous caller,
 * who sees only what is public; a header with a bad key is an error, never anonymity; a session cookie that has
 * ended is anonymity (its holder signs in again). The credential names the request's read session (read-scope.ts).
 *
 * A cookie is sent by the browser whoever wrote the page that makes the request, so a request it authenticates
 * that changes anything must come from the registry's own pages: its Origin must be the registry's (SameSite=Strict
 * already keeps the cookie off other sites' requests; this holds even where a browser does not). A bearer key is
 * never sent by a browser on its own, so it needs no such check.
 */
export function installAuthentication(app: FastifyInstance, ctx: AppContext) {
  const ownOrigin = new URL(ctx.publicBaseUrl).origin;
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
    if (header === undefined) return authenticateSession(ctx, request, ownOrigin);
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

async function authenticateSession(ctx: AppContext, request: FastifyRequest, ownOrigin: string) {
  const token = request.cookies?.[SESSION_COOKIE];
  if (!token) return;
  const caller = await sessionCaller(ctx, token);
  if (!caller) return;
  if (STATE_CHANGING.has(request.method) && request.headers.origin !== ownOrigin) {
    throw forbidden(
      'cross-site-request',
      `a change made with a session cookie must come from the registry's own pages (Origin: ${ownOrigin})`,
    );
  }
  request.caller = { ...caller, purpose: purposeOf(request) };
  request.readScope.session = caller.keyId;
}

/** How many Authorization fields the request has (rawHeaders: name, value, name, value, …). */
function authorizationHeaders(raw: string[]): number {
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'authorization') count++;
  return count;
}
