import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { changePassword } from '../../../app/people/change-password.js';
import { changeTotp } from '../../../app/people/change-totp.js';
import { startTotpChange } from '../../../app/people/start-totp-change.js';
import { MAX_PASSWORD_LENGTH } from '../../../domain/org/people.js';
import { problemResponses } from '../schemas.js';

const secured = [{ apiKey: [] }];
const Password = Type.String({ maxLength: MAX_PASSWORD_LENGTH });
const UserAnswer = Type.Object({ user: Type.Ref('User') });

/**
 * The signed-in person's password and TOTP secret (docs/people.md, credentials). Each change needs the current
 * password and ends the person's other sessions, as a passkey change does.
 */
export function credentialRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['people'];

  app.put(
    '/v1/me/password',
    {
      schema: {
        operationId: 'changePassword',
        tags,
        summary:
          "Change the signed-in person's password (the current one required; 12 or more characters); the person's other sessions end",
        description:
          'A wrong current password counts against the account as a failed sign-in does (docs/people.md, lock-out).',
        security: secured,
        body: Type.Object(
          { currentPassword: Password, newPassword: Password },
          { additionalProperties: false },
        ),
        response: { 200: UserAnswer, ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request) => ({ user: await changePassword(ctx, request.caller, request.body) }),
  );

  app.post(
    '/v1/me/totp/options',
    {
      schema: {
        operationId: 'startTotpChange',
        tags,
        summary:
          'A new TOTP secret for the signed-in person, shown once; it replaces the old one when confirmed (POST /v1/me/totp) from this session within 10 minutes',
        security: secured,
        body: Type.Object({}, { additionalProperties: false }),
        response: {
          200: Type.Object({
            secret: Type.String({ description: 'base32, for an authenticator app' }),
            uri: Type.String({
              description: 'otpauth:// URI (RFC 6238: SHA1, 6 digits, 30 s), for a QR code',
            }),
            expiresAt: Type.String({ format: 'date-time' }),
          }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request) => startTotpChange(ctx, request.caller),
  );

  app.post(
    '/v1/me/totp',
    {
      schema: {
        operationId: 'changeTotp',
        tags,
        summary:
          "Confirm the new TOTP secret with the current password and a code it shows; the person's other sessions end",
        security: secured,
        body: Type.Object(
          { password: Password, code: Type.String({ maxLength: 10 }) },
          { additionalProperties: false },
        ),
        response: { 200: UserAnswer, ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request) => ({ user: await changeTotp(ctx, request.caller, request.body) }),
  );
}
