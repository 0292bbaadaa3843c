import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { addPasskey } from '../../../app/people/add-passkey.js';
import { listPasskeys } from '../../../app/people/list-passkeys.js';
import type {
  AuthenticationResponseJSON,
  RegistrationResponseJSON,
} from '../../../app/people/passkey-party.js';
import { passkeyRegistrationOptions } from '../../../app/people/passkey-registration-options.js';
import { passkeySignInOptions } from '../../../app/people/passkey-sign-in-options.js';
import { passkeySignIn } from '../../../app/people/passkey-sign-in.js';
import { removePasskey } from '../../../app/people/remove-passkey.js';
import { KEY_OPTIONAL, problemResponses } from '../schemas.js';
import { replaceSessionCookie } from '../session-cookie.js';

const open = { additionalProperties: true };
const B64 = Type.String({ maxLength: 16_384, description: 'base64url' });

/** WebAuthn options as the browser's PublicKeyCredential.parse…OptionsFromJSON (or @simplewebauthn/browser) takes them. */
const Options = Type.Object(
  { challenge: Type.String() },
  { ...open, description: 'WebAuthn options (JSON form)' },
);

/** What PublicKeyCredential.toJSON() gives after navigator.credentials.create(). */
const RegistrationResponse = Type.Object(
  {
    id: B64,
    rawId: B64,
    type: Type.Literal('public-key'),
    response: Type.Object({ clientDataJSON: B64, attestationObject: B64 }, open),
    clientExtensionResults: Type.Object({}, open),
    authenticatorAttachment: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

/** What PublicKeyCredential.toJSON() gives after navigator.credentials.get(). */
const AuthenticationResponse = Type.Object(
  {
    id: B64,
    rawId: B64,
    type: Type.Literal('public-key'),
    response: Type.Object({ clientDataJSON: B64, authenticatorData: B64, signature: B64 }, open),
    clientExtensionResults: Type.Object({}, open),
    authenticatorAttachment: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

const Passkey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const secured = [{ apiKey: [] }];

/** Passkeys (WebAuthn): a person's primary way to sign in; password and TOTP remain the fallback (docs/people.md). */
export function passkeyRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['people'];

  app.post(
    '/v1/me/passkeys/options',
    {
      schema: {
        operationId: 'passkeyRegistrationOptions',
        tags,
        summary: 'Options for creating a passkey for the signed-in person (its challenge: 5 minutes, once)',
        security: secured,
        response: { 200: Options, ...problemResponses(401, 403) },
      },
    },
    async (request) => passkeyRegistrationOptions(ctx, request.caller),
  );

  app.post(
    '/v1/me/passkeys',
    {
      schema: {
        operationId: 'addPasskey',
        tags,
        summary: "Add the passkey the browser created from the options; the person's other sessions end",
        security: secured,
        body: Type.Object(
          { name: Type.String({ maxLength: 100 }), response: RegistrationResponse },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ passkey: Passkey }), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        passkey: await addPasskey(ctx, request.caller, {
          name: request.body.name,
          response: request.body.response as unknown as RegistrationResponseJSON,
        }),
      }),
  );

  app.get(
    '/v1/me/passkeys',
    {
      schema: {
        operationId: 'listPasskeys',
        tags,
        summary: "The signed-in person's passkeys",
        security: secured,
        response: { 200: Type.Object({ items: Type.Array(Passkey) }), ...problemResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listPasskeys(ctx, request.caller) }),
  );

  app.delete(
    '/v1/me/passkeys/:passkeyId',
    {
      schema: {
        operationId: 'removePasskey',
        tags,
        summary: "Remove one of the signed-in person's passkeys; the person's other sessions end",
        security: secured,
        params: Type.Object({ passkeyId: Type.String({ maxLength: 200 }) }),
        response: { 200: Type.Object({ passkey: Passkey }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({ passkey: await removePasskey(ctx, request.caller, request.params.passkeyId) }),
  );

  app.post(
    '/v1/session/passkey/options',
    {
      schema: {
        operationId: 'passkeySignInOptions',
        tags,
        summary:
          'Options for signing in with a passkey (no email needed); send the answer with its challengeId',
        security: KEY_OPTIONAL,
        body: Type.Object({}, { additionalProperties: false }),
        response: {
          200: Type.Object({ challengeId: Type.String(), options: Options }),
          ...problemResponses(400, 401),
        },
      },
    },
    async () => passkeySignInOptions(ctx),
  );

  app.post(
    '/v1/session/passkey',
    {
      schema: {
        operationId: 'passkeySignIn',
        tags,
        summary: 'Sign in with a passkey: sets the robotid_session cookie as POST /v1/session does',
        security: KEY_OPTIONAL,
        body: Type.Object(
          { challengeId: Type.String({ maxLength: 40 }), response: AuthenticationResponse },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ user: Type.Ref('User'), organisation: Type.Ref('Organisation') }),
          ...problemResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const signedIn = await passkeySignIn(ctx, {
        challengeId: request.body.challengeId,
        response: request.body.response as unknown as AuthenticationResponseJSON,
      });
      await replaceSessionCookie(ctx, request, reply, signedIn.token);
      return { user: signedIn.user, organisation: signedIn.organisation };
    },
  );
}
