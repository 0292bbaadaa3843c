import { conflict, invalid } from '../../domain/errors.js';
import { checkPassword, userCredential } from '../../domain/org/people.js';
import type { UserRecord } from '../../store/store.js';
import { audited } from '../audit.js';
import { randomId, type Actor, type AppContext } from '../context.js';
import { hashPassword } from './password.js';
import { peopleSettings } from './settings.js';
import { pendingInvitation } from './show-invitation.js';
import { newTotp, sealTotpSecret } from './totp.js';
import { viewUser, type UserView } from './views.js';

export interface Accepted {
  user: UserView;
  /** The TOTP secret for the person's authenticator app: shown once, stored sealed. */
  totp: { secret: string; uri: string };
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw invalid('invalid-name', 'name: must be 1 to 200 characters', [
      { field: 'name', message: 'must be 1 to 200 characters' },
    ]);
  }
  return trimmed;
}

/**
 * The person holding the link becomes a user of the organisation, with the invited email and role, a password
 * and a TOTP secret. The link works once. Recorded in the audit as the new user, for the organisation.
 */
export async function acceptInvitation(
  ctx: AppContext,
  token: string,
  input: { name: string; password: string },
): Promise<Accepted> {
  const name = checkName(input.name);
  checkPassword(input.password);
  const invitation = await ctx.store.read((r) => pendingInvitation(r, token, ctx.now()));
  // Hashing takes a fraction of a second on purpose: outside the unit of work, which holds the writers' lock.
  const passwordHash = await hashPassword(input.password, peopleSettings(ctx).passwordCost);
  const id = randomId('usr_');
  const totp = newTotp(invitation.email);
  const newcomer: Actor = { orgId: invitation.orgId, keyId: userCredential(id), roles: new Set() };
  return audited(
    ctx,
    newcomer,
    'invitation.accept',
    async (tx) => {
      // Again inside the unit of work: two acceptances of one link at once make one user.
      const pending = await pendingInvitation(tx, token, ctx.now());
      if (await tx.findUserByEmail(pending.email)) {
        throw conflict('user-exists', `a user with the email ${pending.email} exists already`);
      }
      await tx.markInvitationAccepted(pending.id, ctx.now().toISOString());
      const user: UserRecord = {
        id,
        orgId: pending.orgId,
        email: pending.email,
        name,
        role: pending.role,
        passwordHash,
        totp: sealTotpSecret(ctx, id, totp.secret),
        totpLastStep: null,
        createdAt: ctx.now().toISOString(),
      };
      await tx.insertUser(user);
      return { user: viewUser(user), totp };
    },
    (accepted) => accepted.user.id,
    invitation.id,
  );
}
