import { notFound } from '../../domain/errors.js';
import { actsFor, requireActor } from '../access.js';
import { audited } from '../audit.js';
import type { AppContext, Caller } from '../context.js';
import { viewInvitation, type InvitationView } from './views.js';

/** Withdraws an invitation not yet accepted: its link stops working. */
export async function withdrawInvitation(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  invitationId: string,
): Promise<InvitationView> {
  return audited(
    ctx,
    caller,
    'invitation.withdraw',
    async (tx) => {
      const actor = requireActor(caller);
      const invitation = await tx.getInvitation(invitationId);
      if (!invitation || invitation.orgId !== orgId || invitation.acceptedAt || !actsFor(actor, orgId)) {
        throw notFound(
          'invitation-not-found',
          `no pending invitation ${invitationId} in organisation ${orgId}`,
        );
      }
      await tx.deleteInvitation(invitationId);
      return viewInvitation(invitation);
    },
    (invitation) => invitation.id,
    invitationId,
  );
}
