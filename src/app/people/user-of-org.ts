import { notFound } from '../../domain/errors.js';
import type { Reader, UserRecord } from '../../store/store.js';
import { actsFor, requireActor } from '../access.js';
import type { Caller } from '../context.js';

/** A user of `orgId` the caller may manage; anyone else's user (or none) is not found, as other data is. */
export async function userOfOrg(
  r: Reader,
  caller: Caller,
  orgId: string,
  userId: string,
): Promise<UserRecord> {
  const actor = requireActor(caller);
  const user = await r.getUser(userId);
  if (!user || user.orgId !== orgId || !actsFor(actor, orgId)) {
    throw notFound('user-not-found', `no user ${userId} in organisation ${orgId}`);
  }
  return user;
}
