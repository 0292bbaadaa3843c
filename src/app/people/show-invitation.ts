import { notFound } from '../../domain/errors.js';
import type { UserRole } from '../../domain/org/people.js';
import type { InvitationRecord, Reader } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { hashToken } from './tokens.js';

export const invitationNotFound = () =>
  notFound('invitation-not-found', 'this invitation is not known, was used already, or has expired');

/** The invitation a link's token names, if it is still pending at `now`. */
export async function pendingInvitation(r: Reader, token: string, now: Date): Promise<InvitationRecord> {
  const invitation = await r.findInvitationByToken(hashToken(token));
  if (!invitation || invitation.acceptedAt || Date.parse(invitation.expiresAt) <= now.getTime()) {
    throw invitationNotFound();
  }
  return invitation;
}

/** What the person holding the link sees before accepting (the link is the only credential needed). */
export async function showInvitation(ctx: AppContext, token: string) {
  return ctx.store.read(async (r) => {
    const invitation = await pendingInvitation(r, token, ctx.now());
    const org = await r.getOrganisation(invitation.orgId);
    if (!org) throw invitationNotFound();
    return {
      email: invitation.email,
      role: invitation.role as UserRole,
      organisation: { id: org.id, name: org.name },
      expiresAt: invitation.expiresAt,
    };
  });
}
