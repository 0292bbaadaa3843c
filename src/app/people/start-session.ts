/** A new session for a user who has just proven who it is (password and TOTP code, or a passkey). */
import { userCredential, type UserRole } from '../../domain/org/people.js';
import type { UserRecord } from '../../store/store.js';
import { randomId, type Actor, type AppContext } from '../context.js';
import { viewOrganisation, type OrganisationView } from '../organisations.js';
import { peopleSettings } from './settings.js';
import { signInAudit } from './sign-in-audit.js';
import { accountSubject } from './throttle.js';
import { hashToken, newToken } from './tokens.js';
import { viewUser, type UserView } from './views.js';

export interface SignedIn {
  user: UserView;
  organisation: OrganisationView;
  /** The session cookie's value: shown once, stored as its hash. */
  token: string;
  expiresAt: string;
}

/**
 * A new session id every time, so that one planted before sign-in is worth nothing. The account's failed sign-ins
 * and locks are forgotten: its holder has proven itself. `totpStep`: the step of the code used (good once).
 */
export async function startSession(
  ctx: AppContext,
  user: UserRecord,
  how: { totpStep?: number; via: 'password' | 'passkey' },
): Promise<SignedIn> {
  const token = newToken();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + peopleSettings(ctx).sessionAbsoluteMs).toISOString();
  const org = await ctx.store.write(async (tx) => {
    if (how.totpStep !== undefined) await tx.setUserTotpLastStep(user.id, how.totpStep);
    await tx.deleteSignInThrottle(accountSubject(user.email));
    const session = {
      id: randomId('ses_'),
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt,
    };
    await tx.insertSession(session);
    await tx.insertAudit(signInAudit(ctx, user, user.email, 'success', `${how.via} ${session.id}`));
    return tx.getOrganisation(user.orgId);
  });
  const actor: Actor = {
    orgId: user.orgId,
    keyId: userCredential(user.id),
    roles: new Set(org!.roles),
    user: { id: user.id, role: user.role as UserRole, sessionId: '' },
  };
  return { user: viewUser(user), organisation: viewOrganisation(actor, org!), token, expiresAt };
}
