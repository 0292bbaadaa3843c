import { audited } from '../audit.js';
import type { AppContext, Caller } from '../context.js';
import { checkUserRole } from './invite.js';
import { userOfOrg } from './user-of-org.js';
import { viewUser, type UserView } from './views.js';

/** Gives a user another role; its sessions end, so the new role holds from its next sign-in on. */
export async function setUserRole(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  userId: string,
  role: string,
): Promise<UserView> {
  return audited(
    ctx,
    caller,
    'user.set-role',
    async (tx) => {
      const user = await userOfOrg(tx, caller, orgId, userId);
      const next = checkUserRole(role);
      if (next !== user.role) {
        await tx.setUserRole(user.id, next);
        await tx.deleteSessionsOfUser(user.id);
      }
      return viewUser({ ...user, role: next });
    },
    (user) => user.id,
    userId,
  );
}
