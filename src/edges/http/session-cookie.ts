import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { signOut } from '../../app/people/sign-out.js';

/** The console's session: an opaque token, only its hash stored (app/people/sign-in.ts). */
export const SESSION_COOKIE = 'robotid_session';

/** Parses Cookie headers (request.cookies) before authentication reads them. */
export async function installCookies(app: FastifyInstance) {
  await app.register(cookie, { hook: 'onRequest' });
}

/**
 * Not readable by scripts (HttpOnly), never sent on another site's requests (SameSite=Strict), for the whole
 * registry (Path=/), over TLS only when the registry is served over TLS (its public URL is https). No Max-Age: the
 * server ends the session (idle and absolute timeouts); the browser forgets it when it closes.
 */
const attributes = (secure: boolean) => ({ httpOnly: true, sameSite: 'strict', path: '/', secure }) as const;

export function setSessionCookie(reply: FastifyReply, token: string, publicBaseUrl: string) {
  reply.setCookie(SESSION_COOKIE, token, attributes(publicBaseUrl.startsWith('https:')));
}

export function clearSessionCookie(reply: FastifyReply, publicBaseUrl: string) {
  reply.clearCookie(SESSION_COOKIE, attributes(publicBaseUrl.startsWith('https:')));
}

/**
 * Hands the browser the session a sign-in has just made, and ends the one its cookie named until now, if any (a
 * session planted in the browser before sign-in, or one left by whoever used it before): one browser, one session.
 */
export async function replaceSessionCookie(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
) {
  const previous = request.cookies[SESSION_COOKIE];
  if (previous && previous !== token) await signOut(ctx, previous);
  setSessionCookie(reply, token, ctx.publicBaseUrl);
}
