import { conflict, invalid, notFound } from '../../domain/errors.js';
import { isUserRole, normaliseEmail, USER_ROLES, type UserRole } from '../../domain/org/people.js';
import type { InvitationRecord, Tx } from '../../store/store.js';
import { actsFor, requireActor } from '../access.js';
import { audited } from '../audit.js';
import { randomId, type AppContext, type Caller } from '../context.js';
import { hashToken, newToken } from './tokens.js';
import { viewInvitation, type InvitationView } from './views.js';

/** An invitation link is good for a week, and once. */
export const INVITATION_LIFETIME_MS = 7 * 24 * 3_600_000;

export interface Invited {
  invitation: InvitationView;
  /** The console page that accepts it; shown once (only its hash is stored). */
  link: string;
}

export function checkUserRole(role: string, field = 'role'): UserRole {
  if (!isUserRole(role)) {
    const message = `must be one of ${USER_ROLES.join(', ')}`;
    throw invalid('invalid-role', `${field}: ${message}`, [{ field, message }]);
  }
  return role;
}

/** Makes an invitation inside a unit of work (also `admin init`'s, for the first administrator). */
export async function makeInvitation(
  ctx: AppContext,
  tx: Tx,
  orgId: string,
  email: string,
  role: UserRole,
  createdBy: string | null,
): Promise<Invited> {
  if (await tx.findUserByEmail(email)) {
    throw conflict('user-exists', `a user with the email ${email} exists already`, [
      { field: 'email', message: 'belongs to a user already' },
    ]);
  }
  const token = newToken();
  const now = ctx.now();
  const record: InvitationRecord = {
    id: randomId('inv_'),
    orgId,
    email,
    role,
    tokenHash: hashToken(token),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + INVITATION_LIFETIME_MS).toISOString(),
    createdBy,
    acceptedAt: null,
  };
  await tx.insertInvitation(record);
  return { invitation: viewInvitation(record), link: `${ctx.publicBaseUrl}/console/invitations/${token}` };
}

/** An organisation's administrator (or its API key) invites a person with a role. */
export async function inviteUser(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  input: { email: string; role: string },
): Promise<Invited> {
  return audited(
    ctx,
    caller,
    'invitation.create',
    async (tx) => {
      const actor = requireActor(caller);
      const org = await tx.getOrganisation(orgId);
      if (!actsFor(actor, orgId) || !org || org.kind !== 'organisation') {
        throw notFound('organisation-not-found', `no organisation ${orgId}`);
      }
      const email = normaliseEmail(input.email);
      return makeInvitation(ctx, tx, orgId, email, checkUserRole(input.role), actor.keyId);
    },
    (invited) => invited.invitation.id,
    orgId,
  );
}
