import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { signIn } from '../../../app/people/sign-in.js';
import { signOut } from '../../../app/people/sign-out.js';
import { MAX_PASSWORD_LENGTH } from '../../../domain/org/people.js';
import { KEY_OPTIONAL, problemResponses } from '../schemas.js';
import { clearSessionCookie, replaceSessionCookie, SESSION_COOKIE } from '../session-cookie.js';

/** A person's sign-in to the console: a session in an HttpOnly cookie (docs/people.md). */
export function sessionRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['people'];

  app.post(
    '/v1/session',
    {
      schema: {
        operationId: 'signIn',
        tags,
        summary:
          'Sign in with email, password and TOTP code: sets the robotid_session cookie; 429 sign-in-locked after repeated failures',
        security: KEY_OPTIONAL,
        body: Type.Object(
          {
            email: Type.String({ maxLength: 254 }),
            password: Type.String({ maxLength: MAX_PASSWORD_LENGTH }),
            totp: Type.String({ maxLength: 10, description: 'the 6-digit code of the authenticator app' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ user: Type.Ref('User'), organisation: Type.Ref('Organisation') }),
          ...problemResponses(400, 401, 429),
        },
      },
    },
    async (request, reply) => {
      const signedIn = await signIn(ctx, request.body, request.ip);
      await replaceSessionCookie(ctx, request, reply, signedIn.token);
      return { user: signedIn.user, organisation: signedIn.organisation };
    },
  );

  app.delete(
    '/v1/session',
    {
      schema: {
        operationId: 'signOut',
        tags,
        summary: 'Sign out: ends the session and clears its cookie',
        security: KEY_OPTIONAL,
        response: { 204: Type.Null(), ...problemResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await signOut(ctx, token);
      clearSessionCookie(reply, ctx.publicBaseUrl);
      return reply.code(204).send(null);
    },
  );
}
