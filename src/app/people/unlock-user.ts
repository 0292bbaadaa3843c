import { audited } from '../audit.js';
import type { AppContext, Caller } from '../context.js';
import { accountSubject } from './throttle.js';
import { userOfOrg } from './user-of-org.js';
import { viewUser, type UserView } from './views.js';

/**
 * Releases a locked account at once and forgets its failures and earlier locks. A lock of the client address
 * (many accounts tried from one place) is not the account's and stays until it runs out.
 */
export async function unlockUser(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  userId: string,
): Promise<UserView> {
  return audited(
    ctx,
    caller,
    'user.unlock',
    async (tx) => {
      const user = await userOfOrg(tx, caller, orgId, userId);
      await tx.deleteSignInThrottle(accountSubject(user.email));
      return viewUser(user);
    },
    (user) => user.id,
    userId,
  );
}
