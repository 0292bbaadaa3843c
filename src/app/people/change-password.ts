import { checkPassword } from '../../domain/org/people.js';
import { audited } from '../audit.js';
import type { AppContext, Caller } from '../context.js';
import { proveCurrentPassword } from './current-password.js';
import { hashPassword } from './password.js';
import { peopleSettings } from './settings.js';
import { requireUser } from './signed-in.js';
import { viewUser, type UserView } from './views.js';

/**
 * The signed-in person sets a new password (the rules of an invitation's: 12 to 256 characters), proving the
 * current one first. Its other sessions end (this one stays): whoever else was signed in signs in again.
 */
export async function changePassword(
  ctx: AppContext,
  caller: Caller,
  input: { currentPassword: string; newPassword: string },
): Promise<UserView> {
  const actor = requireUser(caller);
  checkPassword(input.newPassword, '/newPassword');
  const action = 'password.change';
  const user = await proveCurrentPassword(ctx, actor, input.currentPassword, {
    field: '/currentPassword',
    action,
  });
  // Hashing takes a fraction of a second on purpose: outside the unit of work, which holds the writers' lock.
  const passwordHash = await hashPassword(input.newPassword, peopleSettings(ctx).passwordCost);
  return audited(
    ctx,
    caller,
    action,
    async (tx) => {
      await tx.setUserPassword(user.id, passwordHash);
      await tx.deleteSessionsOfUser(user.id, actor.user.sessionId);
      return viewUser(user);
    },
    (changed) => changed.id,
    user.id,
  );
}
