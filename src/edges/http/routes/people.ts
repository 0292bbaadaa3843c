import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/context.js';
import { acceptInvitation } from '../../../app/people/accept-invitation.js';
import { inviteUser } from '../../../app/people/invite.js';
import { listInvitations } from '../../../app/people/list-invitations.js';
import { listUsers } from '../../../app/people/list-users.js';
import { removeUser } from '../../../app/people/remove-user.js';
import { setUserRole } from '../../../app/people/set-user-role.js';
import { showInvitation } from '../../../app/people/show-invitation.js';
import { unlockUser } from '../../../app/people/unlock-user.js';
import { withdrawInvitation } from '../../../app/people/withdraw-invitation.js';
import { MAX_PASSWORD_LENGTH, USER_ROLES } from '../../../domain/org/people.js';
import { KEY_OPTIONAL, problemResponses, StringEnum } from '../schemas.js';

export const UserRoleSchema = StringEnum(USER_ROLES, {
  description:
    'viewer: reads only; reporter: also reports; administrator: also manages people, keys, webhooks',
});

export const User = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: UserRoleSchema,
    organisationId: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'User' },
);

const Invitation = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: UserRoleSchema,
  expiresAt: Type.String({ format: 'date-time' }),
});

const OrgParams = Type.Object({ orgId: Type.String({ maxLength: 40 }) });
const InvitationParams = Type.Object({
  orgId: Type.String({ maxLength: 40 }),
  invitationId: Type.String({ maxLength: 40 }),
});
const UserParams = Type.Object({
  orgId: Type.String({ maxLength: 40 }),
  userId: Type.String({ maxLength: 40 }),
});
const TokenParams = Type.Object({ token: Type.String({ maxLength: 64 }) });
const secured = [{ apiKey: [] }];
const UserAnswer = Type.Object({ user: Type.Ref('User') });

export function peopleRoutes(server: FastifyInstance, ctx: AppContext) {
  const app = server.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['people'];

  app.post(
    '/v1/organisations/:orgId/invitations',
    {
      schema: {
        operationId: 'inviteUser',
        tags,
        summary:
          'Invite a person to the organisation with a role; the link is in this response only (7 days, once)',
        security: secured,
        params: OrgParams,
        body: Type.Object(
          { email: Type.String({ maxLength: 254 }), role: UserRoleSchema },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ invitation: Invitation, link: Type.String() }),
          ...problemResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await inviteUser(ctx, request.caller, request.params.orgId, request.body)),
  );

  app.get(
    '/v1/organisations/:orgId/invitations',
    {
      schema: {
        operationId: 'listInvitations',
        tags,
        summary: "The organisation's invitations not yet accepted nor expired",
        security: secured,
        params: OrgParams,
        response: { 200: Type.Object({ items: Type.Array(Invitation) }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({ items: await listInvitations(ctx, request.caller, request.params.orgId) }),
  );

  app.delete(
    '/v1/organisations/:orgId/invitations/:invitationId',
    {
      schema: {
        operationId: 'withdrawInvitation',
        tags,
        summary: 'Withdraw a pending invitation: its link stops working',
        security: secured,
        params: InvitationParams,
        response: { 200: Type.Object({ invitation: Invitation }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({
      invitation: await withdrawInvitation(
        ctx,
        request.caller,
        request.params.orgId,
        request.params.invitationId,
      ),
    }),
  );

  app.get(
    '/v1/invitations/:token',
    {
      schema: {
        operationId: 'showInvitation',
        tags,
        summary:
          'What an invitation link offers (the link is the credential); 404 when used, withdrawn or expired',
        security: KEY_OPTIONAL,
        params: TokenParams,
        response: {
          200: Type.Object({
            email: Type.String(),
            role: UserRoleSchema,
            organisation: Type.Object({ id: Type.String(), name: Type.String() }),
            expiresAt: Type.String({ format: 'date-time' }),
          }),
          ...problemResponses(401, 404),
        },
      },
    },
    async (request) => showInvitation(ctx, request.params.token),
  );

  app.post(
    '/v1/invitations/:token/accept',
    {
      schema: {
        operationId: 'acceptInvitation',
        tags,
        summary:
          'Become the invited user: name and password (12 or more characters); answers the TOTP secret, once',
        security: KEY_OPTIONAL,
        params: TokenParams,
        body: Type.Object(
          {
            name: Type.String({ maxLength: 200 }),
            password: Type.String({ maxLength: MAX_PASSWORD_LENGTH }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            user: Type.Ref('User'),
            totp: Type.Object({
              secret: Type.String({ description: 'base32, for an authenticator app' }),
              uri: Type.String({
                description: 'otpauth:// URI (RFC 6238: SHA1, 6 digits, 30 s), for a QR code',
              }),
            }),
          }),
          ...problemResponses(400, 401, 404, 409),
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await acceptInvitation(ctx, request.params.token, request.body)),
  );

  app.get(
    '/v1/organisations/:orgId/users',
    {
      schema: {
        operationId: 'listUsers',
        tags,
        summary: "The organisation's users",
        security: secured,
        params: OrgParams,
        response: {
          200: Type.Object({ items: Type.Array(Type.Ref('User')) }),
          ...problemResponses(401, 403, 404),
        },
      },
    },
    async (request) => ({ items: await listUsers(ctx, request.caller, request.params.orgId) }),
  );

  app.patch(
    '/v1/organisations/:orgId/users/:userId',
    {
      schema: {
        operationId: 'setUserRole',
        tags,
        summary: "Change a user's role; the user's sessions end",
        security: secured,
        params: UserParams,
        body: Type.Object({ role: UserRoleSchema }, { additionalProperties: false }),
        response: { 200: UserAnswer, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => ({
      user: await setUserRole(
        ctx,
        request.caller,
        request.params.orgId,
        request.params.userId,
        request.body.role,
      ),
    }),
  );

  app.delete(
    '/v1/organisations/:orgId/users/:userId',
    {
      schema: {
        operationId: 'removeUser',
        tags,
        summary: 'Remove a user; the user’s sessions end at once',
        security: secured,
        params: UserParams,
        response: { 200: UserAnswer, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({
      user: await removeUser(ctx, request.caller, request.params.orgId, request.params.userId),
    }),
  );

  app.post(
    '/v1/organisations/:orgId/users/:userId/unlock',
    {
      schema: {
        operationId: 'unlockUser',
        tags,
        summary: "Release a user's sign-in locked after failed attempts (docs/people.md)",
        security: secured,
        params: UserParams,
        response: { 200: UserAnswer, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({
      user: await unlockUser(ctx, request.caller, request.params.orgId, request.params.userId),
    }),
  );
}
