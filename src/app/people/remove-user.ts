import { audited } from '../audit.js';
import type { AppContext, Caller } from '../context.js';
import { userOfOrg } from './user-of-org.js';
import { viewUser, type UserView } from './views.js';

/** Removes a user: its sessions end at once; what it recorded keeps naming it (`user:<id>`). */
export async function removeUser(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  userId: string,
): Promise<UserView> {
  return audited(
    ctx,
    caller,
    'user.remove',
    async (tx) => {
      const user = await userOfOrg(tx, caller, orgId, userId);
      await tx.deleteUser(user.id);
      return viewUser(user);
    },
    (user) => user.id,
    userId,
  );
}
