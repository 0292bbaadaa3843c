import { notFound } from '../../domain/errors.js';
import { actsFor, requireActor } from '../access.js';
import { isoNow, type AppContext, type Caller } from '../context.js';
import { assertAdministers } from './permissions.js';
import { viewInvitation, type InvitationView } from './views.js';

/** The invitations of an organisation not yet accepted and not expired. */
export async function listInvitations(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
): Promise<InvitationView[]> {
  const actor = requireActor(caller);
  if (!actsFor(actor, orgId)) throw notFound('organisation-not-found', `no organisation ${orgId}`);
  assertAdministers(actor);
  const pending = await ctx.store.read((r) => r.listPendingInvitations(orgId, isoNow(ctx)));
  return pending.map(viewInvitation);
}
